"""A PDF snapshot of the dashboard page on screen: the warm browser opens the same path on the
app's own server, waits until Dash has drawn it, prints its filters at the top, and prints it.

**Only the app itself.** The page is opened at the app's internal base URL (`POC_INTERNAL_URL`,
by default the address the server took the request on; see `internal_url`), never
at an address a client named (its Host header): the path and query are put under that base
(`snapshot_url`), and the browser may load nothing but that base (`reports.render.RequestGuard`).

The snapshot is the page as a desktop user sees it:

* **Desktop width, landscape.** The page is drawn and laid out `SNAPSHOT_WIDTH` (1,500) CSS px
  wide, Bootstrap's xl grid: the scorecard's three columns, the cluster page's heatmap beside its
  goals, the KPI table with every column. It is printed at the scale that fits that width on the
  paper (`print_scale`). Every page with a snapshot button (province, cluster, overview) is wider
  than tall at that width, so all print on A4 landscape: a scale of 0.69 (body text about 8 pt),
  where portrait would be 0.47 (under 6 pt). A landscape page is then 1,011 px tall, which holds
  the title and the scorecard's first row of cards together; at 1,400 px it would not.
  `snapshot_pdf(..., width=, landscape=False)` prints otherwise.
* **No controls.** `assets/poc.css` hides buttons, the export bar, dropdowns, the sort toggle, the
  navbar (only links) and plotly's mode bar in print. The header (`header_html`) names the app,
  the page by its own title (its h1) and what the dropdowns and the sort toggle show
  (`FILL_HEADER`); until filled in, and for a page without them, the path and the URL's filters.
* **Nothing cut.** Cards, tiles and figures are not split across pages; the KPI table breaks
  only between rows, its header repeated, every column on the paper (CSS). Figures are redrawn
  for print (`REDRAW_FIGURES`): resized to their print boxes; a figure of panels stacked in one
  column that is taller than a page (the cluster heatmap, one panel per goal) is drawn again as
  one figure per panel, each with its own column labels, so pages break between goals, not
  through a row; a tall figure (a long bar chart of districts) whose card runs over the end of
  its page is drawn shorter to fit it: by up to a quarter, or to a page.
* **Fonts.** Sarabun comes from the app (`/vendor/fonts/`) as on screen; printing waits until
  every face the page uses is loaded. There is no page footer: Chromium draws footers apart from
  the page, without its fonts, so a footer would be set in a system font (Loma, DejaVu).
"""

from __future__ import annotations

import datetime as dt
import re
import ssl
from html import escape
from urllib.parse import parse_qsl, quote, urlsplit

from flask import has_request_context, request

from data.rules.periods import parse_period_param, thai_now
from layouts import theme
from layouts.text.format import format_timestamp
from layouts.text.i18n import t, t_at
from reports.render import PdfJob, RenderError, get_renderer, origin_of, printable_size_px
from settings import get_settings

SNAPSHOT_WIDTH = 1500  # CSS px the page is drawn and laid out at (Bootstrap xl and xxl)

# Dash has drawn the page: a page body is there, nothing is loading any more and every graph has
# been drawn by plotly
DASH_DRAWN = (
    "() => { const c = document.querySelector('#_pages_content');"
    " return c && c.children.length > 0 && !document.querySelector('[data-dash-is-loading=\"true\"]')"
    " && Array.from(c.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg')); }"
)

# The header names the page by its h1 (the parts of a heading, such as a cluster's number badge
# and its name, joined by " · ") and lists the filters as the page shows them: each dropdown's
# label and chosen option, and the active button of the sort toggle.
FILL_HEADER = """([overrides, sortLabel]) => {
  const head = document.getElementById('snapshot-header');
  const content = document.querySelector('#_pages_content') || document.body;
  if (!head) return;
  const words = node => (node ? node.textContent.replace(/\\s+/g, ' ').trim() : '');
  const h1 = content.querySelector('h1');
  if (h1) {
    const parts = Array.from(h1.childNodes).map(words).filter(Boolean);
    head.querySelector('[data-snapshot="title"]').textContent = parts.join(' · ');
  }
  const items = [];
  for (const box of content.querySelectorAll('[id^="select-"]')) {
    const label = overrides[box.id.slice(7)] || words(box.querySelector('.form-label'));
    const select = box.querySelector('select');
    const value = select && select.selectedIndex >= 0 ? words(select.options[select.selectedIndex]) : '';
    if (label && value) items.push([label, value]);
  }
  const sort = content.querySelector('.sort-toggle .active');
  if (sort) items.push([sortLabel, words(sort)]);
  if (!items.length) return;  // keep the filters read from the URL
  const list = head.querySelector('[data-snapshot="filters"]');
  list.replaceChildren();
  items.forEach(([label, value], i) => {
    if (i) list.append(' · ');
    const b = document.createElement('b');
    b.textContent = label + ':';
    list.append(b, ' ' + value);
  });
}"""

# Every plotly figure drawn again at its print size. A figure of panels stacked in one column
# (several y axes, one x axis each) taller than `pageHeight` is replaced by one figure per panel:
# the panel's traces, its axes (the x axis labelled on top, as the first panel's is), the paper
# annotations at its top (its title) and the colour bar, at the panel's own pixel height.
REDRAW_FIGURES = """async (pageHeight) => {
  const Plotly = window.Plotly;
  if (!Plotly) return 0;
  const copy = value => JSON.parse(JSON.stringify(value === undefined ? null : value));
  const axisKey = (id, letter) => letter + 'axis' + id.slice(1);
  function panelsOf(gd) {
    const full = gd._fullLayout;
    const ys = Object.keys(full).filter(k => /^yaxis\\d*$/.test(k)).map(k => full[k]);
    if (ys.length < 2) return null;
    const panels = ys.map(y => ({y, traces: gd.data.filter(d => (d.yaxis || 'y') === y._id)}))
                     .filter(p => p.traces.length).sort((a, b) => b.y.domain[1] - a.y.domain[1]);
    const xs = new Set(panels.map(p => p.traces[0].xaxis || 'x'));
    return panels.length > 1 && xs.size === panels.length ? panels : null;
  }
  function split(gd, panels) {
    const full = gd._fullLayout, layout = gd.layout;
    const first = layout[axisKey(panels[0].traces[0].xaxis || 'x', 'x')] || {};
    const notes = (layout.annotations || []).filter(a => a.yref === 'paper');
    const holder = document.createElement('div');
    holder.className = 'print-panels';
    gd.after(holder);
    gd.style.display = 'none';
    return Promise.all(panels.map(panel => {
      const xId = panel.traces[0].xaxis || 'x', top = panel.y.domain[1];
      const base = copy(layout);
      for (const key of Object.keys(base)) if (/^[xy]axis\\d*$/.test(key)) delete base[key];
      const xaxis = Object.assign(copy(layout[axisKey(xId, 'x')] || {}), {domain: [0, 1], anchor: 'y'});
      delete xaxis.matches;
      Object.assign(xaxis, {side: first.side || xaxis.side, showticklabels: first.showticklabels !== false,
                            tickfont: first.tickfont || xaxis.tickfont});
      const yaxis = Object.assign(copy(layout[axisKey(panel.y._id, 'y')] || {}), {domain: [0, 1], anchor: 'x'});
      const own = notes.filter(a => panels.every(p => Math.abs(p.y.domain[1] - a.y) >= Math.abs(top - a.y)));
      const firstShift = Math.max(0, ...notes.filter(a => Math.abs(a.y - panels[0].y.domain[1]) < 1e-6)
                                           .map(a => a.yshift || 0));
      Object.assign(base, {xaxis, yaxis, width: full.width, autosize: false,
                           height: Math.round(panel.y._length + full.margin.t + full.margin.b),
                           annotations: own.map(a => Object.assign(copy(a), {y: 1, yshift: firstShift}))});
      delete base.shapes; delete base.images;
      const traces = panel.traces.map(d => {
        const trace = Object.assign(copy(d), {xaxis: 'x', yaxis: 'y'});
        if (trace.colorbar) Object.assign(trace.colorbar, {lenmode: 'pixels', len: Math.min(300, panel.y._length),
                                                           y: 1, yanchor: 'top'});
        return trace;
      });
      const div = document.createElement('div');
      div.className = 'print-panel';
      holder.append(div);
      return Plotly.newPlot(div, traces, base, {staticPlot: true, displayModeBar: false});
    }));
  }
  const drawn = () => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(gd => gd._fullLayout && gd.offsetParent && !gd.closest('.print-panels'));  // not hidden in print
  const jobs = drawn().map(gd => {
    const panels = gd.getBoundingClientRect().height > pageHeight ? panelsOf(gd) : null;
    return panels ? split(gd, panels) : Plotly.Plots.resize(gd);
  });
  await Promise.all(jobs);
  // A card that runs over the end of the page it starts on, because of a tall figure (a long bar
  // chart of districts), has the figure drawn shorter to fit that page: by up to a quarter, or as
  // much as it takes for a card taller than a page (to a whole page if little is left). Cards are
  // measured at their own height (not stretched to their row), one at a time, as each figure made
  // shorter changes the height of its row.
  const natural = document.createElement('style');
  natural.textContent = '.row { align-items: flex-start !important; }';
  for (const gd of drawn()) {
    document.head.append(natural);
    const box = gd.closest('.card') || gd, outer = box.getBoundingClientRect(), own = gd.getBoundingClientRect();
    natural.remove();
    const start = (outer.top + window.scrollY) % pageHeight, rest = outer.height - own.height + 24;  // + margins
    if (start + outer.height + 24 <= pageHeight || own.height < pageHeight / 3) continue;
    const left = pageHeight - start - rest, long = outer.height > pageHeight;
    const height = left >= own.height * 0.75 || (long && left >= Math.min(400, own.height / 2)) ? left
                 : long ? pageHeight - rest : null;
    if (height) await Plotly.relayout(gd, {height: Math.floor(height)});
  }
  await document.fonts.ready;
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  return jobs.length;
}"""


def filters(path_and_query: str, language: str) -> list[tuple[str, str]]:
    """The page's filters in words: (label, value) pairs from its URL."""
    parts = urlsplit(path_and_query)
    params = dict(parse_qsl(parts.query))
    out = []
    try:
        period = parse_period_param(params.get("period")) if params.get("period") not in (None, "latest") else None
    except ValueError:
        period = None
    out.append((t("period", language), period.label(language) if period else t("latest", language)))
    if params.get("show"):
        out.append((t("snapshot_show", language), params["show"]))
    if params.get("sort"):
        out.append(
            (t("snapshot_sort", language), t("sort_worst", language) if params["sort"] == "worst" else params["sort"])
        )
    if params.get("kpi"):
        out.append((t("kpi", language), params["kpi"]))
    return out


def header_html(path_and_query: str, language: str, now: dt.datetime | None = None) -> str:
    """The block printed above the page: what it is, its filters, when it was taken. The page's
    title and the filters as the page shows them are filled in in the browser (`FILL_HEADER`);
    until then (and for a page without them) it reads the path and the filters in the URL."""
    path = urlsplit(path_and_query).path or "/"
    items = " · ".join(f"<b>{escape(label)}:</b> {escape(value)}" for label, value in filters(path_and_query, language))
    stamp = format_timestamp(now or thai_now(), language)
    return (
        '<div id="snapshot-header" style="font-family:Sarabun,sans-serif;font-size:16px;line-height:1.45;'
        f'border-left:5px solid {theme.NAVY};padding:6px 10px;margin:0 0 8px;background:{theme.WHITE}">'
        f'<div><b style="color:{theme.NAVY}">{escape(t("app_title", language))} · {escape(t("snapshot", language))}</b>'
        f' · <b>{escape(t("snapshot_page", language))}:</b> <span data-snapshot="title">{escape(path)}</span>'
        f' <span style="color:{theme.GREY_600}">({escape(path_and_query)})</span>'
        f" · {escape(t('esr_generated', language))} {escape(stamp)}</div>"
        f'<div><b>{escape(t("snapshot_filters", language))}:</b> <span data-snapshot="filters">{items}</span>'
        "</div></div>"
    )


def print_scale(width: int = SNAPSHOT_WIDTH, landscape: bool = True) -> float:
    """The scale at which a page laid out `width` CSS px wide fills the printable width of A4."""
    return printable_size_px(landscape)[0] / width


def ready_for_print(language: str, width: int, landscape: bool, path: str = "/"):
    """The last step before printing, on the worker thread (print media already emulated): the
    header filled in from the page (the KPI chosen for the districts named as the page's panel is,
    เขต in Bangkok), every figure redrawn at its print size."""
    page_height = printable_size_px(landscape)[1] / print_scale(width, landscape)
    area = urlsplit(path).path.rstrip("/").rsplit("/", 1)[-1]
    kpi_label = t_at("kpi_by_district", language, area) if area.isdigit() else t("kpi_by_district", language)

    def prepare(page) -> None:
        page.evaluate(FILL_HEADER, [{"kpi": kpi_label}, t("snapshot_sort", language)])
        page.evaluate(REDRAW_FIGURES, page_height)

    return prepare


def checked_base(url: str) -> str:
    """An http(s) base URL without credentials, query or fragment, no trailing slash."""
    parts = urlsplit(url.strip())
    try:
        _ = parts.port  # urlsplit checks the port only when asked
    except ValueError:
        raise ValueError(f"POC_INTERNAL_URL: {url[:80]!r} has no valid port") from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"POC_INTERNAL_URL: {url[:80]!r} is not a base URL such as http://127.0.0.1:8050")
    return url.strip().rstrip("/")


def internal_url() -> str:
    """The base URL at which this server's own browser opens the app: POC_INTERNAL_URL; else the
    local address and port of the socket that took the current request (the address the server
    is bound to, never the client's Host header); else http://POC_HOST:POC_PORT."""
    settings = get_settings()
    if settings.internal_url:
        return checked_base(settings.internal_url)
    return _bound_base() or f"http://{_url_host(settings.host)}:{settings.port}"


def _bound_base() -> str | None:
    if not has_request_context():
        return None
    connection = request.environ.get("werkzeug.socket") or request.environ.get("gunicorn.socket")
    try:
        address = connection.getsockname() if connection is not None else None
    except OSError:
        return None
    if not (isinstance(address, tuple) and len(address) >= 2 and isinstance(address[0], str)):
        return None  # a Unix socket: set POC_INTERNAL_URL
    scheme = "https" if isinstance(connection, ssl.SSLSocket) else "http"
    return f"{scheme}://{_url_host(address[0])}:{address[1]}"


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host in ("::", "::0"):
        return "[::1]"
    return f"[{host.split('%')[0]}]" if ":" in host else host


# what stays as it is in a path or a query put under the base; anything else is percent-encoded
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
QUERY_SAFE = PATH_SAFE + "?"


def snapshot_url(base_url: str, path_and_query: str) -> str:
    """The app's page `path_and_query` under `base_url`: always a path on that base, whatever
    the text tries ("//other-host/", "/\\other", "http://…"): backslashes and leading slashes are
    one slash, a fragment is dropped, other characters are percent-encoded."""
    base = base_url.rstrip("/")
    if origin_of(base) is None:
        raise RenderError("the server's internal address (POC_INTERNAL_URL) is not an http(s) URL")
    path, _, query = path_and_query.partition("#")[0].partition("?")
    path = "/" + path.replace("\\", "/").lstrip("/")
    url = base + quote(path, safe=PATH_SAFE) + ("?" + quote(query, safe=QUERY_SAFE) if query else "")
    if origin_of(url) != origin_of(base) or not url.startswith(base + "/"):  # cannot happen; never print elsewhere
        raise RenderError("the page to print is not one this server may open")
    return url


def snapshot_pdf(
    base_url: str,
    path_and_query: str,
    language: str,
    now: dt.datetime | None = None,
    *,
    width: int = SNAPSHOT_WIDTH,
    landscape: bool = True,
    cookies: dict[str, str] | None = None,
) -> bytes:
    """The page at `path_and_query` on the app at `base_url` (its internal address, never one a
    client gave), as an A4 PDF with its filters on top: drawn `width` CSS px wide and scaled to
    the paper (landscape by default; see the module). The browser loads nothing but `base_url`,
    with `cookies` (the viewer's session: the page shows what the viewer may see, nothing more)."""
    url = snapshot_url(base_url, path_and_query)
    return get_renderer().pdf(
        PdfJob(
            url=url,
            allowed=(base_url.rstrip("/"),),
            wait_for=DASH_DRAWN,
            wait_until="networkidle",
            header_html=header_html(path_and_query, language, now),
            viewport_width=width,
            landscape=landscape,
            scale=print_scale(width, landscape),
            before_print=ready_for_print(language, width, landscape, path_and_query),
            cookies=dict(cookies or {}),
        )
    )


def snapshot_stem(path_and_query: str) -> str:
    """snapshot_province_50_2569: the page and its period."""
    parts = urlsplit(path_and_query)
    params = dict(parse_qsl(parts.query))
    page = "_".join(p for p in parts.path.strip("/").split("/") if p) or "overview"
    stem = "_".join(p for p in ("snapshot", page, params.get("period") or "latest") if p)
    return re.sub(r"[^\w.-]+", "_", stem)[:120]  # a file name: letters (Thai too), digits, _ . -
