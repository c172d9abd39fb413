// A table wider than the screen scrolls in its own box (site.css) and opens at its first
// column. One whose header cell says data-scroll-to opens scrolled to show that column: the
// status grid's year due, its last column but for this year's, was off a phone's screen.
(function () {
  "use strict";
  document.querySelectorAll("th[data-scroll-to]").forEach(function (cell) {
    var table = cell.closest("table");
    var hidden = cell.offsetLeft + cell.offsetWidth - table.clientWidth;
    if (hidden > 0) { table.scrollLeft = hidden; }
  });
})();
