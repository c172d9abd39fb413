// Draws every figure the page embeds: <div class="chart" data-figure="ID"> reads the JSON
// of <script type="application/json" id="ID">, written by progress/charts.py.
(function () {
  "use strict";
  // The vendored bundle's off-server defaults are already local (scripts/vendor_plotly.py):
  // no "send to Chart Studio" button, and map outlines, if a chart ever asked for them,
  // looked up beside the bundle, under this server's static prefix.
  var vendor = document.currentScript.dataset.vendor;
  var config = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    topojsonURL: vendor,
  };
  // On a touch screen a finger on a chart scrolls the page, as anywhere else: plotly's
  // drag-to-zoom took every swipe begun on one, and a phone could not scroll past a page of
  // full-width charts. A tap still shows a point's figure and source. Without dragging the
  // zoom and pan buttons have nothing to do; the picture can still be saved.
  var touch = window.matchMedia("(pointer: coarse)").matches;
  if (touch) {
    config.modeBarButtonsToRemove = config.modeBarButtonsToRemove.concat([
      "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d",
    ]);
  }
  // The toolbar's tooltips in the page's language: templates/progress/_chart_scripts.html
  // writes them, none for English, plotly.js's own.
  var words = document.getElementById("chart-locale");
  if (words) {
    var locale = JSON.parse(words.textContent);
    window.Plotly.register({
      moduleType: "locale",
      name: locale.name,
      dictionary: locale.dictionary,
    });
    config.locale = locale.name;
  }
  document.querySelectorAll("div.chart[data-figure]").forEach(function (div) {
    var source = document.getElementById(div.dataset.figure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    if (touch) { figure.layout.dragmode = false; }
    window.Plotly.newPlot(div, figure.data, figure.layout, config).then(function () {
      // The toolbar's buttons are links holding only an icon: a screen reader announced
      // "link" seven times a chart. Each is named by its tooltip, in the page's language.
      div.querySelectorAll(".modebar-btn").forEach(function (button) {
        button.setAttribute("role", "button");
        button.setAttribute("aria-label", button.getAttribute("data-title"));
      });
    });
  });
})();
