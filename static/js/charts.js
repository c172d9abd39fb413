// Draws every figure the page embeds: <div class="chart" data-figure="ID"> reads the JSON
// of <script type="application/json" id="ID">, written by progress/charts.py.
(function () {
  "use strict";
  // plotly.js's defaults point off this server: map outlines from its CDN, and a "send to
  // Chart Studio" button posting the figure to its cloud. The server is offline and the
  // figures may hold drafts, so both stay here: no button, and any outline asked for is
  // looked up beside the bundle (our charts draw none).
  var vendor = document.currentScript.dataset.vendor;
  var config = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    showSendToCloud: false,
    plotlyServerURL: "",
    topojsonURL: vendor,
  };
  document.querySelectorAll("div.chart[data-figure]").forEach(function (div) {
    var source = document.getElementById(div.dataset.figure);
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(div, figure.data, figure.layout, config);
  });
})();
