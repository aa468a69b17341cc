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
