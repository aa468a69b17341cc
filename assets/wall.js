/* The wall screen (/wall): rotates the slides, keeps the clock, and refreshes the data from
   /wall/data with fetch(), all in the browser. Does nothing on any other page.

   - Rotation is derived from a monotonic clock (slide = floor(elapsed / interval) mod slides),
     so it never loses its place or stops after a round, and a late timer catches up.
   - Rotating only toggles classes; slides are redrawn only when the data changes (the
     payload's signature), with every Plotly figure purged first, so memory stays flat.
   - A failed refresh changes nothing on screen but the "stale since" badge, and retries
     until the server answers again; then the badge goes away by itself. */
(function () {
  'use strict';
  if (window.pocWall || !/^\/wall\/?$/.test(window.location.pathname)) {
    return;
  }
  const wall = {rotations: 0, index: 0, renders: 0, fetches: 0, notModified: 0, etag: null, failures: 0, stale: false, loaded: false};
  window.pocWall = wall;

  let root = null;
  let config = null;
  let slides = [];
  let dots = [];
  let startedAt = 0;
  let lastGoodAt = null;
  let signature = null;
  let plotly = null;
  let inFlight = null;
  let refreshTimer = null;
  let resizeTimer = null;
  let shownMinute = '';

  function byId(id) {
    return document.getElementById(id);
  }

  // ------------------------------------------------------------------ time (Thai time, BE in Thai)

  function thaiDate(ms) {
    return new Date(ms + config.utcOffsetMinutes * 60000);  // read with the getUTC* methods
  }

  function pad(number) {
    return String(number).padStart(2, '0');
  }

  function timeText(day) {
    return pad(day.getUTCHours()) + ':' + pad(day.getUTCMinutes());
  }

  function dateText(day) {
    return day.getUTCDate() + ' ' + config.months[day.getUTCMonth()] + ' ' + (day.getUTCFullYear() + config.yearOffset);
  }

  function stampText(ms) {
    const day = thaiDate(ms);
    const today = dateText(thaiDate(Date.now()));
    return dateText(day) === today ? timeText(day) : dateText(day) + ' ' + timeText(day);
  }

  function tickClock() {
    const now = thaiDate(Date.now());
    const minute = timeText(now);
    if (minute !== shownMinute) {
      shownMinute = minute;
      byId('wall-clock').textContent = minute;
      byId('wall-date').textContent = dateText(now);
    }
  }

  // ------------------------------------------------------------------ rotation

  function show(index) {
    wall.index = index;
    slides.forEach(function (slide, i) {
      const active = i === index;
      slide.classList.toggle('active', active);
      slide.setAttribute('aria-hidden', active ? 'false' : 'true');
    });
    dots.forEach(function (dot, i) {
      dot.classList.toggle('active', i === index);
    });
    byId('wall-counter').textContent = (index + 1) + '/' + slides.length;
    const titles = JSON.parse(byId('wall-slide-title').dataset.titles);
    byId('wall-slide-title').textContent = titles[slides[index].dataset.slide] || '';
    const bar = byId('wall-progress-bar');
    bar.style.animation = 'none';
    void bar.offsetWidth;  // restart the progress animation
    bar.style.animation = 'wall-progress ' + config.intervalMs + 'ms linear forwards';
  }

  function rotate() {
    const elapsed = performance.now() - startedAt;
    const step = Math.floor(elapsed / config.intervalMs);
    if (step !== wall.rotations) {
      wall.rotations = step;
      show(step % slides.length);
    }
    setTimeout(rotate, Math.max(1, (step + 1) * config.intervalMs - elapsed));
  }

  // ------------------------------------------------------------------ data

  function loadPlotly() {
    if (window.Plotly) {
      return Promise.resolve(window.Plotly);
    }
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        const script = document.createElement('script');
        script.src = '/vendor/js/plotly-poc.min.js';  // the page has it already, unless its load failed
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { script.remove(); plotly = null; reject(new Error('plotly.js')); };
        document.head.appendChild(script);
      });
    }
    return plotly;
  }

  function figureScale() {
    return parseFloat(window.getComputedStyle(document.documentElement).fontSize) / 14;
  }

  function place(plot, box) {
    const scale = figureScale();
    const width = Math.max(10, Math.floor(box.clientWidth / scale));
    const height = Math.max(10, Math.floor(box.clientHeight / scale));
    plot.style.width = width + 'px';
    plot.style.height = height + 'px';
    plot.style.transform = 'scale(' + scale + ')';
    return {width: width, height: height};
  }

  function draw(box, figure) {
    const plot = document.createElement('div');
    plot.className = 'wall-plot';
    box.appendChild(plot);
    const size = place(plot, box);
    const layout = Object.assign({}, figure.layout, {width: size.width, height: size.height, autosize: false});
    return window.Plotly.newPlot(plot, figure.data, layout, {
      staticPlot: true, displayModeBar: false, responsive: false, topojsonURL: '/assets/topojson/'});
  }

  function purge(section) {
    section.querySelectorAll('.wall-plot').forEach(function (plot) {
      if (window.Plotly) {
        window.Plotly.purge(plot);
      }
    });
  }

  /* Show as many rows of each list as fit, and say how many more there are. */
  function fit(section) {
    section.querySelectorAll('.wall-fit').forEach(function (list) {
      const rows = Array.from(list.children);
      const more = section.querySelector('.wall-more[data-more="' + list.dataset.more + '"]');
      rows.forEach(function (row) { row.hidden = false; });
      if (more) {
        more.hidden = true;
      }
      if (list.scrollHeight <= list.clientHeight + 1) {
        return;
      }
      const template = config.words[list.dataset.more === 'areas' ? 'wall_more_areas' : 'wall_more_kpis'];
      if (more) {
        more.textContent = template.replace('{n}', rows.length);
        more.hidden = false;
      }
      let shown = rows.length;
      while (shown > 1 && list.scrollHeight > list.clientHeight + 1) {
        shown -= 1;
        rows[shown].hidden = true;
      }
      if (more) {
        more.textContent = template.replace('{n}', rows.length - shown);
      }
    });
  }

  /* A name that is one long word (Thai writes no spaces) and wider than its card gets a smaller
     type, down to a floor that still reads across the room, rather than being cut. */
  function fitNames(section) {
    section.querySelectorAll('.wall-area-name').forEach(function (name) {
      name.style.fontSize = '';
      const rem = parseFloat(window.getComputedStyle(document.documentElement).fontSize);
      let size = parseFloat(window.getComputedStyle(name).fontSize);
      while (name.scrollWidth > name.clientWidth + 1 && size > 1.3 * rem) {
        size = Math.max(1.3 * rem, size * 0.94);
        name.style.fontSize = size + 'px';
      }
    });
  }

  function message(text) {
    slides.forEach(function (section) {
      purge(section);
      section.innerHTML = '';
      const body = document.createElement('div');
      body.className = 'wall-slide-body wall-message';
      body.textContent = text;
      section.appendChild(body);
    });
    signature = null;
  }

  function render(payloadSlides) {
    const drawing = [];
    payloadSlides.forEach(function (data) {
      const section = root.querySelector('.wall-slide[data-slide="' + data.name + '"]');
      if (!section) {
        return;
      }
      purge(section);
      section.innerHTML = '<div class="wall-slide-body">' + data.html + '</div>';
      section.querySelectorAll('.wall-figure').forEach(function (box) {
        const figure = data.figures[box.dataset.figure];
        if (figure) {
          drawing.push(draw(box, figure));
        }
      });
      fit(section);
      fitNames(section);
    });
    wall.renders += 1;
    return Promise.all(drawing);
  }

  function apply(payload, force) {
    byId('wall-area').textContent = payload.area;
    document.title = payload.area + ' · ' + document.title.split(' · ').slice(-1)[0];
    byId('wall-as-of').textContent = payload.as_of + (payload.last_import ? ' · ' + payload.last_import : '');
    byId('wall-demo').hidden = !payload.demo;
    wall.loaded = true;
    if (!force && payload.signature === signature) {
      return Promise.resolve();
    }
    signature = payload.signature;
    const needsPlotly = payload.slides.some(function (s) { return Object.keys(s.figures).length > 0; });
    return (needsPlotly ? loadPlotly() : Promise.resolve()).then(function () {
      return render(payload.slides);
    }).catch(function (error) {
      signature = null;  // draw again on the next refresh
      console.warn('wall: could not draw the slides', error);
    });
  }

  function markGood() {
    lastGoodAt = Date.now();
    wall.stale = false;
    byId('wall-stale').hidden = true;
  }

  function markStale() {
    wall.failures += 1;
    if (!wall.stale) {
      wall.stale = true;
      byId('wall-stale-text').textContent = config.words.wall_stale_since.replace(
        '{time}', lastGoodAt === null ? '–' : stampText(lastGoodAt));
      byId('wall-stale').hidden = false;
    }
    if (!wall.loaded) {
      message(config.words.wall_waiting);
    }
  }

  function request(force) {
    const controller = new AbortController();
    const abort = setTimeout(function () { controller.abort(); }, Math.min(Math.max(config.refreshMs, 5000), 30000));
    wall.fetches += 1;
    let next = config.refreshMs;
    const headers = {Accept: 'application/json'};
    if (wall.etag && !force) {  // unchanged data answer 304 with no body: nothing to parse or redraw
      headers['If-None-Match'] = wall.etag;
    }
    return fetch(config.dataUrl, {cache: 'no-store', signal: controller.signal, headers: headers})
      .then(function (response) {
        if (response.status === 304) {
          wall.notModified += 1;
          markGood();
          return null;
        }
        const etag = response.headers.get('ETag');
        return response.json().catch(function () { return null; }).then(function (payload) {
          if (payload && payload.fatal) {  // e.g. no such province: say so, and keep asking
            message(payload.message);
            wall.loaded = true;
            markGood();
            return null;
          }
          if (!response.ok || !payload || !payload.ok) {
            throw new Error(payload && payload.message ? payload.message : 'HTTP ' + response.status);
          }
          markGood();
          wall.etag = etag;
          return apply(payload, force);
        });
      })
      .catch(function () {
        markStale();
        next = config.retryMs;
      })
      .then(function () {
        clearTimeout(abort);
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(refresh, next);
      });
  }

  function refresh(force) {
    if (!inFlight) {
      inFlight = request(force === true).then(function () { inFlight = null; });
    }
    return inFlight;
  }

  function onResize() {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      root.querySelectorAll('.wall-plot').forEach(function (plot) {
        const size = place(plot, plot.parentElement);
        if (window.Plotly) {
          window.Plotly.relayout(plot, size);
        }
      });
      slides.forEach(fit);
      slides.forEach(fitNames);
    }, 300);
  }

  // ------------------------------------------------------------------ start

  function start(element) {
    root = element;
    config = JSON.parse(root.dataset.config);
    document.documentElement.classList.add('wall-mode');
    slides = Array.from(root.querySelectorAll('.wall-slide'));
    dots = Array.from(root.querySelectorAll('.wall-dot'));
    startedAt = performance.now();
    show(0);
    setTimeout(rotate, config.intervalMs);
    tickClock();
    setInterval(tickClock, 1000);
    window.addEventListener('resize', onResize);
    wall.refresh = refresh;
    refresh();
  }

  // Dash draws the page after this script has run: start when the frame appears.
  const ready = byId('wall');
  if (ready) {
    start(ready);
  } else {
    const observer = new MutationObserver(function () {
      const element = byId('wall');
      if (element) {
        observer.disconnect();
        start(element);
      }
    });
    observer.observe(document.documentElement, {childList: true, subtree: true});
  }
}());
