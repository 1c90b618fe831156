/* The console's page behaviour, after vendor/vega-bundle.js. Plain ES2017, no build step.
 *
 * Charts: <figure class="chart" data-spec-url="..." data-data-url="..."> gets its Vega-Lite spec (fetched once
 * per URL; its data is the named dataset {"name": "values"}) and its records (a JSON array), drawn as SVG.
 * figure.dataset.rendered is the number of records drawn, after every drawing.
 * <form data-chart-window="FIGURE-ID">: its fields replace the figure's data URL's query parameters; only the
 * data is fetched again, and the address bar gets the same parameters (a reload shows the same window).
 * Errors show in <p class="chart-error" role="alert"> inside the figure.
 * <form data-confirm="QUESTION"> asks before submitting; <time datetime="..." data-local> shows local time.
 */
(function () {
  "use strict";

  var specs = new Map(); // spec URL -> promise of the spec
  var charts = new WeakMap(); // figure -> {view: promise of the Vega view, drawn: number of the last request drawn}

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (response.ok) return response.json();
      return response.text().then(function (body) {
        var message = body;
        try {
          var parsed = JSON.parse(body);
          if (parsed && typeof parsed.message === "string") message = parsed.message;
        } catch (notJSON) { /* the text itself is the message */ }
        throw new Error(message || response.status + " " + response.statusText);
      });
    });
  }

  function showError(figure, error) {
    var paragraph = figure.querySelector(".chart-error");
    if (!error) {
      if (paragraph) paragraph.remove();
      return;
    }
    if (!paragraph) {
      paragraph = document.createElement("p");
      paragraph.className = "chart-error";
      paragraph.setAttribute("role", "alert");
      figure.appendChild(paragraph);
    }
    paragraph.textContent = error.message || String(error);
  }

  function draw(figure, view, records, request) {
    var chart = charts.get(figure);
    if (request < chart.drawn) return Promise.resolve(); // a later window is already drawn
    chart.drawn = request;
    var changes = vega.changeset().remove(function () { return true; }).insert(records);
    return view.change("values", changes).runAsync().then(function () {
      figure.dataset.rendered = String(records.length);
    });
  }

  /** Draws a figure: its spec once, then its records. */
  function renderChart(figure) {
    if (charts.has(figure)) return charts.get(figure).view;
    var specURL = figure.dataset.specUrl;
    if (!specs.has(specURL)) specs.set(specURL, fetchJSON(specURL));
    var holder = document.createElement("div");
    holder.className = "chart-view";
    figure.insertBefore(holder, figure.firstChild);
    var chart = { view: null, drawn: 0, requests: 0 };
    charts.set(figure, chart);
    var request = ++chart.requests;
    var data = fetchJSON(figure.dataset.dataUrl);
    chart.view = specs.get(specURL).then(function (spec) {
      // vega-embed may annotate the spec; each figure gets its own copy.
      var copy = JSON.parse(JSON.stringify(spec));
      // Vega-Lite sizes only a single view to its container: the panels of a concatenation or facet get the
      // figure's width here instead.
      (copy.vconcat || []).concat(copy.spec ? [copy.spec] : []).forEach(function (panel) {
        if (panel.width === "container") panel.width = Math.max(200, holder.clientWidth - 160);
      });
      return vegaEmbed(holder, copy, { renderer: "svg", actions: false });
    }).then(function (result) { return result.view; });
    Promise.all([chart.view, data]).then(function (both) {
      showError(figure, null);
      return draw(figure, both[0], both[1], request);
    }).catch(function (error) { showError(figure, error); });
    return chart.view;
  }

  /** Fetches a figure's records again from its data URL with `fields` as query parameters, and redraws it. */
  function changeWindow(figure, fields) {
    var url = new URL(figure.dataset.dataUrl, window.location.href);
    var page = new URL(window.location.href);
    fields.forEach(function (_, key) { url.searchParams.delete(key); page.searchParams.delete(key); });
    fields.forEach(function (value, key) {
      if (typeof value !== "string") return; // files are not window parameters
      url.searchParams.append(key, value);
      page.searchParams.append(key, value);
    });
    figure.dataset.dataUrl = url.origin === window.location.origin ? url.pathname + url.search : url.href;
    history.replaceState(history.state, "", page.href);
    var view = renderChart(figure);
    var chart = charts.get(figure);
    var request = ++chart.requests;
    return Promise.all([view, fetchJSON(figure.dataset.dataUrl)]).then(function (both) {
      showError(figure, null);
      return draw(figure, both[0], both[1], request);
    }).catch(function (error) { showError(figure, error); });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question !== null && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var id = form.getAttribute("data-chart-window");
    if (id === null) return;
    var figure = document.getElementById(id);
    if (!figure) return; // no chart to update: the form navigates as a plain GET form would
    event.preventDefault();
    changeWindow(figure, new FormData(form));
  }

  function localTimes(root) {
    var styles = {
      date: { year: "numeric", month: "short", day: "numeric" },
      time: { hour: "2-digit", minute: "2-digit" },
      "": { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" },
    };
    root.querySelectorAll("time[datetime][data-local]").forEach(function (element) {
      var instant = new Date(element.getAttribute("datetime"));
      if (isNaN(instant.getTime())) return;
      var style = styles[element.getAttribute("data-local")] || styles[""];
      if (!element.title) element.title = element.getAttribute("datetime");
      element.textContent = instant.toLocaleString(undefined, style);
    });
  }

  function start() {
    localTimes(document);
    document.querySelectorAll("figure.chart[data-spec-url][data-data-url]").forEach(renderChart);
  }

  document.addEventListener("submit", onSubmit);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  // For pages that add or refresh charts later (a schedule that becomes ready): the only global this file makes.
  window.consoleCharts = { render: renderChart, changeWindow: changeWindow, localTimes: localTimes };
})();
