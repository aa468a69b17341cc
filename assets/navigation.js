/* Clientside callbacks (see callbacks/navigation.py). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  poc: {
    /* A click on a map area or bar: go to the link the figure stored in customdata[0]. */
    openClickedArea: function () {
      const noUpdate = window.dash_clientside.no_update;
      const triggered = window.dash_clientside.callback_context.triggered || [];
      const clicked = triggered.length ? triggered[0].value : null;
      if (!clicked || !clicked.points || !clicked.points.length) {
        return noUpdate;
      }
      const point = clicked.points[0];
      const link = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
      return link ? link : noUpdate;
    },
  },
});

/* Links in static markup blocks (dcc.Markdown: the overview's clusters and rankings, the
   scorecard's KPI table) open in the page, as dcc.Link does: the URL changes and Dash's page
   router renders the new page, with no reload of the scripts. A modified click (new tab,
   window) is left to the browser. */
document.addEventListener('click', function (event) {
  const link = event.target.closest ? event.target.closest('a.spa-link') : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
      event.shiftKey || event.altKey || (link.target && link.target !== '_self') ||
      link.origin !== window.location.origin) {
    return;
  }
  event.preventDefault();
  window.history.pushState({}, '', link.getAttribute('href'));
  window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
  window.scrollTo(0, 0);
});

/* The page's language (<html lang>) follows the view's ?lang= as the view moves inside the app
   (the server sets it for the first page; web/index.py): a screen reader then reads Thai as Thai
   and English as English, and the browser breaks lines by the language's rules. */
function pocFollowLanguage() {
  const language = new URLSearchParams(window.location.search).get('lang') === 'en' ? 'en' : 'th';
  if (document.documentElement.lang !== language) {
    document.documentElement.lang = language;
  }
}
window.addEventListener('_dashprivate_pushstate', pocFollowLanguage);
window.addEventListener('popstate', pocFollowLanguage);
document.addEventListener('DOMContentLoaded', pocFollowLanguage);

/* A choice made with the keyboard keeps the keyboard there: choosing a period or what the map
   shows redraws the page, which takes the focus away with the old selector; once the new selector
   is drawn, the focus goes back to it (not to the top of the page). A link whose holder names
   `data-focus-after` ("Show all" and its way back) hands the focus to the element it names. */
let pocRefocus = null;
function pocRefocusOn(selector) {
  pocRefocus = selector ? {selector: selector, until: Date.now() + 15000} : null;
}
document.addEventListener('change', function (event) {
  const holder = event.target.closest ? event.target.closest('.poc-selector[id]') : null;
  pocRefocusOn(holder ? '#' + CSS.escape(holder.id) + ' select' : null);
});
document.addEventListener('click', function (event) {
  const holder = event.target.closest ? event.target.closest('[data-focus-after]') : null;
  if (holder && event.target.closest('a')) {
    pocRefocusOn('#' + CSS.escape(holder.getAttribute('data-focus-after')));
  }
});
/* On a phone (narrower than 576 px) the data page's goal sections come folded, one goal opened at a
   time; a wider screen shows them open, as drawn. */
function pocFoldForPhone() {
  if (window.innerWidth >= 576) {
    return;
  }
  document.querySelectorAll('details.goal-section:not([data-folded])').forEach(function (section) {
    section.open = false;
    section.setAttribute('data-folded', '1');
  });
}
new MutationObserver(function () {
  pocFoldForPhone();
  if (!pocRefocus) {
    return;
  }
  if (Date.now() > pocRefocus.until) {
    pocRefocus = null;
    return;
  }
  const focused = document.activeElement;
  if (focused && focused !== document.body && document.contains(focused)) {
    return;
  }
  const again = document.querySelector(pocRefocus.selector);
  if (again) {
    pocRefocus = null;
    again.focus();
  }
}).observe(document.documentElement, {childList: true, subtree: true});
