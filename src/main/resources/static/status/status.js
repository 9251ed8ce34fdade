/*
 * The status page's script. The HTML holds no data: this reads the report endpoints with the token the visitor
 * gives (kept in sessionStorage, sent as Authorization: Bearer, never in the address) and fills the page. Text from
 * the database (product names, errors) only ever goes in through textContent. Charts: uPlot, from its webjar.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'stripe-sync-products.token';
  var API = '/stripe-sync-products';
  var REFRESH_EVERY_MS = 60 * 1000;
  var OUTCOMES = ['succeeded', 'failed', 'interrupted', 'skipped', 'running'];

  var token = null;
  var clockSkewMs = 0; // the server's clock minus ours: "3 h ago" counts from the database's now
  var charts = {};
  var lastData = null;

  /* ---------- small helpers ---------- */

  function byId(id) { return document.getElementById(id); }

  function field(root, name) { return root.querySelector('[data-field="' + name + '"]'); }

  function setText(root, name, text) {
    var el = field(root, name);
    if (el) { el.textContent = text == null ? '' : String(text); }
    return el;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text != null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function count(n) { return n == null ? '–' : Number(n).toLocaleString('en'); }

  function serverNow() { return Date.now() + clockSkewMs; }

  function duration(ms) {
    if (ms == null) { return '–'; }
    if (ms < 1000) { return Math.round(ms) + ' ms'; }
    var s = ms / 1000;
    if (s < 60) { return (s < 10 ? s.toFixed(1) : Math.round(s)) + ' s'; }
    // days only from 48 h on: a threshold of 26 h reads as 26 h
    var days = s >= 172800 ? Math.floor(s / 86400) : 0;
    var parts = [[days, 'd'], [Math.floor(s / 3600) - days * 24, 'h'], [Math.floor(s / 60) % 60, 'min'],
      [Math.floor(s) % 60, 's']];
    // the two largest units, the first not zero: "26 h", "3 min 5 s", "2 d 4 h"
    var first = parts.findIndex(function (p) { return p[0] > 0; });
    return parts.slice(first, first + 2).filter(function (p, i) { return i === 0 || p[0] > 0; })
      .map(function (p) { return p[0] + ' ' + p[1]; }).join(' ');
  }

  /** "3 h ago", "in 5 min": from the server's now. */
  function relative(iso) {
    if (!iso) { return '–'; }
    var ms = Date.parse(iso) - serverNow();
    var text = duration(Math.abs(ms)).replace(/ \d+ (s|min|h)$/, ''); // "3 h ago", not "3 h 12 min ago"
    if (Math.abs(ms) < 60 * 1000) { return ms < 0 ? 'just now' : 'in under a minute'; }
    return ms < 0 ? text + ' ago' : 'in ' + text;
  }

  var whenFormat = new Intl.DateTimeFormat(undefined, {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'
  });
  var dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

  function when(iso) { return iso ? whenFormat.format(new Date(Date.parse(iso))) : '–'; }

  /** An ISO-8601 duration as Java writes it (PT26H, PT1H30M, PT0.5S) in milliseconds. */
  function isoDurationMs(text) {
    var m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(text || '');
    if (!m) { return null; }
    return ((+m[1] || 0) * 3600 + (+m[2] || 0) * 60 + (+m[3] || 0)) * 1000;
  }

  function badge(node, status) {
    node.textContent = status ? status.replace(/_/g, ' ') : '';
    node.className = 'badge ' + (status || '').toLowerCase();
  }

  /* ---------- reading the endpoints ---------- */

  function Refused(status, retryAfter) {
    this.status = status;
    this.retryAfter = retryAfter;
  }

  function api(path) {
    return fetch(API + path, {
      headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'application/json' },
      cache: 'no-store', credentials: 'omit'
    }).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.status === 429) {
        throw new Refused(response.status, response.headers.get('Retry-After'));
      }
      if (response.status === 404) {
        throw new Error(API + path + ' answered HTTP 404: are the report endpoints off (SYNC_HTTP_ENABLED=false)?');
      }
      if (!response.ok) {
        throw new Error(API + path + ' answered HTTP ' + response.status);
      }
      return response.json();
    });
  }

  function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

  function load() {
    return Promise.all([api('/overview'), api('/timeline'), api('/stats'), api('/logged-per-day'),
                        api('/changes')])
      .then(function (parts) {
        var overview = parts[0];
        clockSkewMs = Date.parse(overview.now) - Date.now();
        var since = isoDay(serverNow() - overview.windows.drift_days * 86400 * 1000);
        var failed = overview.last_failed_run;
        return Promise.all([
          api('/drift?since=' + since),
          failed ? api('/runs/' + encodeURIComponent(failed.id)) : Promise.resolve(null)
        ]).then(function (more) {
          return {
            overview: overview, timeline: parts[1], stats: parts[2], logged: parts[3], changes: parts[4],
            drift: more[0], failedRun: more[1], loadedAt: new Date()
          };
        });
      });
  }

  /* ---------- the health cards ---------- */

  function renderRun(card, run, emptyText) {
    // the counts a card shows are the ones its HTML lists
    card.querySelectorAll('dd[data-field]').forEach(function (dd) {
      dd.textContent = count(run && run[dd.dataset.field]);
    });
    badge(field(card, 'status'), run && run.status);
    if (!run) {
      setText(card, 'when', emptyText);
      setText(card, 'detail', '');
      field(card, 'error').hidden = true;
      return;
    }
    setText(card, 'when', relative(run.started_at));
    setText(card, 'detail', when(run.started_at) + ' · took ' + duration(run.duration_ms) + ' · run ' + run.id
      + ' · ' + run.trigger);
    var error = setText(card, 'error', run.error);
    error.hidden = !run.error;
  }

  function renderFreshness(overview) {
    var card = byId('freshness');
    var freshness = overview.freshness || {};
    var details = freshness.details || {};
    badge(field(card, 'status'), freshness.status);
    var maxAge = isoDurationMs(details.maxAge);
    var last = details.lastSuccessfulRun && details.lastSuccessfulRun !== 'none' ? details.lastSuccessfulRun : null;
    // as /actuator/health judges it: the last successful walk (a catch-up's freshness is the events line below)
    setText(card, 'walk', last ? 'Last successful walk ' + relative(last) : 'No successful walk yet');
    setText(card, 'walk-limit', 'limit ' + (maxAge == null ? details.maxAge : duration(maxAge))
      + (last ? ' · ' + when(last) : ''));
    if (details.eventsMaxAge) {
      var read = details.eventsReadAt && details.eventsReadAt !== 'never' ? details.eventsReadAt : null;
      setText(card, 'events', read ? 'Events read ' + relative(read) : 'Events never read');
      setText(card, 'events-limit', 'limit ' + duration(isoDurationMs(details.eventsMaxAge)));
    } else {
      setText(card, 'events', 'Events catch-up off');
      setText(card, 'events-limit', '');
    }
  }

  function renderSchedule(overview) {
    var card = byId('schedule');
    function fire(trigger, name, detailName, label) {
      if (!trigger || !trigger.next_fire_time) {
        setText(card, name, label + ': not scheduled');
        setText(card, detailName, 'no instance has this schedule on');
        return;
      }
      setText(card, name, label + ' ' + relative(trigger.next_fire_time));
      setText(card, detailName, when(trigger.next_fire_time) + ' · ' + (trigger.cron_expression || '')
        + ' ' + (trigger.time_zone_id || '') + (trigger.trigger_state && trigger.trigger_state !== 'WAITING'
          && trigger.trigger_state !== 'ACQUIRED' ? ' · ' + trigger.trigger_state.toLowerCase() : ''));
    }
    fire(overview.next_walk, 'walk', 'walk-detail', 'Walk');
    fire(overview.next_catch_up, 'catch-up', 'catch-up-detail', 'Catch-up');
  }

  /* ---------- charts ---------- */

  function chartSize(container) {
    var width = Math.max(container.clientWidth, 240);
    return { width: width, height: width < 500 ? 170 : 210 };
  }

  /** Empties the table's body, then adds a row per item, filled by fill(row, item, index). */
  function fillRows(tableId, items, fill) {
    var body = byId(tableId).tBodies[0];
    body.textContent = '';
    items.forEach(function (item, i) { fill(body.insertRow(), item, i); });
  }

  /** A y scale from 0 to a little above the largest value (at least 1). */
  function fromZero(u, min, max) { return [0, Math.max(max, 1) * 1.1]; }

  function axis(extra) {
    var base = {
      stroke: cssVar('--dim'),
      grid: { stroke: cssVar('--grid'), width: 1 },
      ticks: { stroke: cssVar('--grid'), width: 1 },
      font: '11px system-ui, sans-serif'
    };
    return Object.assign(base, extra);
  }

  var wholeNumbers = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000,
    500000, 1000000];

  function draw(name, container, options, data) {
    if (charts[name]) { charts[name].destroy(); }
    container.textContent = '';
    var size = chartSize(container);
    options.width = size.width;
    options.height = size.height;
    charts[name] = new uPlot(options, data, container);
  }

  function bars(widthFactor, maxWidth, minWidth) {
    return uPlot.paths.bars({ size: [widthFactor, maxWidth, minWidth], align: 0 });
  }

  function renderRunsChart(overview, runs) {
    var section = byId('runs');
    setText(section, 'days', overview.windows.run_days);
    var xs = runs.map(function (r) { return Date.parse(r.started_at) / 1000; });
    var longest = runs.reduce(function (max, r) { return Math.max(max, r.duration_ms || 0); }, 0) / 1000;
    // a skipped fire time ran nothing; it is drawn as a stub so that the night is seen
    var stub = Math.max(longest * 0.04, 0.05);
    var now = serverNow() / 1000;
    var series = [{}];
    var data = [xs];
    OUTCOMES.forEach(function (outcome) {
      var colour = cssVar('--' + outcome);
      series.push({
        label: outcome, stroke: colour, fill: colour, width: 0, paths: bars(0.7, 18, 4), points: { show: false },
        value: function (u, v) { return v == null ? '' : duration(v * 1000); }
      });
      data.push(runs.map(function (r) {
        if (r.status !== outcome) { return null; }
        return outcome === 'skipped' ? stub : Math.max((r.duration_ms || 0) / 1000, stub);
      }));
    });
    var hover = byId('runs-hover');
    draw('runs', byId('runs-chart'), {
      scales: {
        x: { time: true, range: [now - overview.windows.run_days * 86400, now + 3600] },
        y: { range: fromZero }
      },
      axes: [axis(), axis({ label: 'seconds', labelSize: 18, size: 46 })],
      series: series,
      legend: { live: false },
      cursor: { y: false, drag: { x: false, y: false }, points: { show: false } },
      hooks: {
        setCursor: [function (u) {
          var run = u.cursor.idx == null ? null : runs[u.cursor.idx];
          hover.textContent = run
            ? 'Run ' + run.id + ' · ' + when(run.started_at) + ' · ' + run.trigger + ' · ' + run.status + ' · '
              + duration(run.duration_ms) + ' · synced ' + count(run.synced) + ', changed ' + count(run.changed)
              + ', deleted ' + count(run.deleted) + ', failed ' + count(run.failed)
              + (run.error ? ' · ' + run.error : '')
            : 'Point at a bar for its counts.';
        }]
      }
    }, data);

    fillRows('runs-table', runs.slice().reverse(), function (row, r) {
      row.appendChild(el('td', r.id));
      row.appendChild(el('td', when(r.started_at), 'when'));
      row.appendChild(el('td', r.trigger));
      var outcome = el('td');
      var status = el('span');
      badge(status, r.status);
      outcome.appendChild(status);
      row.appendChild(outcome);
      row.appendChild(el('td', r.status === 'skipped' ? '–' : duration(r.duration_ms), 'num'));
      ['synced', 'changed', 'deleted', 'failed'].forEach(function (k) { row.appendChild(el('td', count(r[k]), 'num')); });
    });
  }

  function renderProjects(stats) {
    var section = byId('projects');
    var names = stats.map(function (p) { return p.project == null ? '(none)' : p.project; });
    var totals = stats.map(function (p) { return p.total_products; });
    var indices = names.map(function (_, i) { return i; });
    var accent = cssVar('--accent');
    draw('projects', byId('projects-chart'), {
      scales: {
        x: { time: false, range: [-0.5, Math.max(names.length, 1) - 0.5] },
        y: { range: fromZero }
      },
      axes: [
        axis({ splits: function () { return indices; }, values: function (u, splits) {
          return splits.map(function (i) { var n = names[i] || ''; return n.length > 14 ? n.slice(0, 13) + '…' : n; });
        }, grid: { show: false } }),
        axis({ incrs: wholeNumbers, size: 50 })
      ],
      series: [{}, {
        label: 'products', stroke: accent, fill: accent, width: 0, paths: bars(0.6, 64, 6), points: { show: false }
      }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } }
    }, [indices, totals]);

    var total = 0;
    var recent = 0;
    fillRows('projects-table', stats, function (row, p, i) {
      row.dataset.project = names[i];
      row.appendChild(el('td', names[i]));
      row.appendChild(el('td', count(p.total_products), 'num'));
      row.appendChild(el('td', count(p.logged_last_24h), 'num'));
      row.appendChild(el('td', when(p.last_logged_at), 'when'));
      total += p.total_products;
      recent += p.logged_last_24h;
    });
    setText(section, 'total', count(total));
    setText(section, 'last-24h', count(recent));
  }

  function renderLogged(overview, days) {
    var section = byId('logged');
    setText(section, 'days', overview.windows.logged_days);
    var xs = days.map(function (d) { return Date.parse(d.day + 'T00:00:00Z') / 1000; });
    var ys = days.map(function (d) { return d.logged; });
    var accent = cssVar('--accent');
    draw('logged', byId('logged-chart'), {
      scales: { x: { time: true }, y: { range: fromZero } },
      axes: [axis(), axis({ incrs: wholeNumbers, size: 50 })],
      series: [{}, {
        label: 'logged', stroke: accent, fill: cssVar('--accent-fill'), width: 2,
        points: { show: days.length <= 31, size: 4 }
      }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false } }
    }, [xs, ys]);

    var total = ys.reduce(function (a, b) { return a + b; }, 0);
    var peak = days.reduce(function (best, d) { return !best || d.logged > best.logged ? d : best; }, null);
    setText(section, 'total', count(total));
    setText(section, 'peak', peak && peak.logged > 0
      ? dayFormat.format(new Date(Date.parse(peak.day + 'T12:00:00Z'))) + ' (' + count(peak.logged) + ')' : '–');
    fillRows('logged-table', days.slice().reverse(), function (row, d) {
      row.appendChild(el('td', d.day));
      row.appendChild(el('td', count(d.logged), 'num'));
    });
  }

  /* ---------- the lists ---------- */

  function productCell(id, name) {
    var cell = el('td');
    cell.appendChild(document.createTextNode(name || '(no name)'));
    cell.appendChild(el('span', id, 'id'));
    return cell;
  }

  /** 19.9 usd as $19.90, 500 jpy as ¥500: the currency's own minor unit. */
  function money(amount, currency) {
    if (amount == null) { return '–'; }
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency: String(currency).toUpperCase() })
        .format(amount);
    } catch (unknownCurrency) {
      return Number(amount).toLocaleString('en') + ' ' + (currency || '');
    }
  }

  function price(value) {
    if (value.amount != null) { return money(value.amount, value.currency); }
    return (value.currency || '') + ' price ' + (value.id || ''); // tiered or custom: no single amount
  }

  function shown(change, value) {
    if (change.field === 'deleted') { return value == null ? 'listed' : 'deleted'; }
    if (value == null) { return '–'; }
    if (change.field === 'default_price' && typeof value === 'object') { return price(value); }
    var text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 120 ? text.slice(0, 119) + '…' : text;
  }

  function renderChanges(overview, changes) {
    var section = byId('changes');
    setText(section, 'limit', overview.windows.recent_changes);
    fillRows('changes-table', changes, function (row, c) {
      row.appendChild(el('td', when(c.detected_at), 'when'));
      row.appendChild(productCell(c.product_id, c.product_name));
      row.appendChild(el('td', c.field));
      row.appendChild(el('td', shown(c, c.old_value) + ' → ' + shown(c, c.new_value), 'value'));
      row.appendChild(el('td', c.source + (c.run_id ? ' · run ' + c.run_id : '')));
    });
    field(section, 'none').hidden = changes.length > 0;
  }

  function renderDrift(overview, drift) {
    var section = byId('drift');
    setText(section, 'days', overview.windows.drift_days);
    var all = drift.price_changes || [];
    var top = all.slice().sort(function (a, b) {
      var x = a.change_percent == null ? -1 : Math.abs(a.change_percent);
      var y = b.change_percent == null ? -1 : Math.abs(b.change_percent);
      return y - x;
    }).slice(0, overview.windows.drift_top);
    fillRows('drift-table', top, function (row, d) {
      row.dataset.product = d.product_id;
      row.appendChild(el('td', when(d.detected_at), 'when'));
      row.appendChild(productCell(d.product_id, d.product_name));
      row.appendChild(el('td', money(d.old_amount, d.old_currency), 'num'));
      row.appendChild(el('td', money(d.new_amount, d.new_currency), 'num'));
      var pct = d.change_percent;
      row.appendChild(el('td', pct == null ? '–' : (pct > 0 ? '+' : '') + pct + ' %',
        'num ' + (pct > 0 ? 'up-move' : pct < 0 ? 'down-move' : '')));
    });
    setText(section, 'summary', all.length === 0 ? 'No price changed in these days.'
      : count(all.length) + ' price change' + (all.length === 1 ? '' : 's') + ' in these days'
        + (all.length > top.length ? ', the ' + top.length + ' largest shown.' : '.'));
  }

  function renderFailures(failedRun) {
    var section = byId('failures');
    section.hidden = !failedRun;
    if (!failedRun) { return; }
    var run = failedRun.run;
    setText(section, 'run', 'run ' + run.id + ', ' + when(run.started_at) + ' (' + relative(run.started_at) + ')');
    setText(section, 'error', run.error);
    fillRows('failures-table', failedRun.failures, function (row, f) {
      row.dataset.product = f.stripe_product_id || '';
      row.appendChild(el('td', f.stripe_product_id || '(no id)'));
      row.appendChild(el('td', f.reason, 'value'));
      row.appendChild(el('td', when(f.recorded_at), 'when'));
    });
    field(section, 'none').hidden = failedRun.failures.length > 0;
  }

  function render(data) {
    lastData = data;
    var o = data.overview;
    renderRun(byId('last-walk'), o.last_walk, 'No walk yet');
    renderRun(byId('last-catch-up'), o.last_catch_up, 'No catch-up yet');
    renderFreshness(o);
    renderSchedule(o);
    renderRunsChart(o, data.timeline);
    renderProjects(data.stats);
    renderLogged(o, data.logged);
    renderFailures(data.failedRun);
    renderChanges(o, data.changes);
    renderDrift(o, data.drift);
    byId('loaded-at').textContent = 'Read ' + data.loadedAt.toLocaleTimeString();
    document.body.dataset.loaded = String(data.loadedAt.getTime());
  }

  /* ---------- token, refresh, errors ---------- */

  function showLogin(message) {
    byId('status').hidden = true;
    byId('session').hidden = true;
    byId('login').hidden = false;
    var text = byId('login-message');
    text.textContent = message || '';
    text.hidden = !message;
    byId('token').value = '';
    byId('token').focus();
  }

  function refusedMessage(refusal) {
    if (refusal.status === 429) {
      return 'Too many wrong tokens from this address: the service refuses it for now. Try again in '
        + (refusal.retryAfter || 60) + ' s.';
    }
    if (refusal.status === 403) {
      return 'That token may not read these reports (HTTP 403).';
    }
    return 'That token was refused (HTTP 401). Give SYNC_READ_TOKEN or SYNC_API_TOKEN as configured on the service.';
  }

  function show() {
    var button = byId('refresh');
    button.disabled = true;
    return load().then(function (data) {
      sessionStorage.setItem(TOKEN_KEY, token);
      byId('login').hidden = true;
      byId('error').hidden = true;
      byId('status').hidden = false;
      byId('session').hidden = false;
      render(data);
    }).catch(function (failure) {
      if (failure instanceof Refused) {
        if (failure.status !== 429) {
          sessionStorage.removeItem(TOKEN_KEY);
          token = null;
        }
        showLogin(refusedMessage(failure));
      } else {
        var error = byId('error');
        error.textContent = 'Could not read the status: ' + (failure && failure.message ? failure.message : failure);
        error.hidden = false;
      }
    }).then(function () { button.disabled = false; });
  }

  function start() {
    if (typeof uPlot === 'undefined') {
      byId('error').textContent = 'The chart library did not load (/webjars/uplot/...).';
      byId('error').hidden = false;
    }
    byId('login-form').addEventListener('submit', function (event) {
      event.preventDefault(); // the form goes nowhere (the Content-Security-Policy allows no form action)
      var given = byId('token').value.trim();
      if (!given) { return; }
      token = given;
      show();
    });
    byId('refresh').addEventListener('click', show);
    byId('forget').addEventListener('click', function () {
      sessionStorage.removeItem(TOKEN_KEY);
      token = null;
      showLogin('');
    });
    var redraw = function () { if (lastData && !byId('status').hidden) { render(lastData); } };
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redraw);
    var resizing = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizing);
      resizing = setTimeout(redraw, 150);
    });
    setInterval(function () {
      if (token && !document.hidden && !byId('status').hidden) { show(); }
    }, REFRESH_EVERY_MS);

    token = sessionStorage.getItem(TOKEN_KEY);
    if (token) { show(); } else { showLogin(''); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
