// The forms that open a report or fetch its template pick a unit and a year apart. Each
// unit's option lists the years it files (data-years): a merged unit from its merger on,
// a former unit up to it and, for its own plan, its area after. For the year chosen only
// those units are offered. A unit no longer offered gives way to the one its code means
// that year (the old and the new Thái Nguyên share 19), else to the first offered. Without
// this script the server refuses the pair and names the unit that files that year.
(function () {
  "use strict";
  document.querySelectorAll("form[data-unit-years]").forEach(function (form) {
    var units = form.querySelector("select[name=province]");
    var year = form.querySelector("select[name=year]");
    function offer() {
      var options = Array.prototype.slice.call(units.options);
      options.forEach(function (option) {
        // The national report has no data-years: the ministry files every year.
        var years = option.dataset.years;
        var refused = years !== undefined && years.split(" ").indexOf(year.value) < 0;
        option.disabled = refused;
        option.hidden = refused;
      });
      var chosen = units.options[units.selectedIndex];
      if (!chosen || !chosen.disabled) { return; }
      var offered = options.filter(function (option) { return !option.disabled; });
      var same = offered.filter(function (option) { return option.dataset.code === chosen.dataset.code; });
      var next = same[0] || offered[0];
      if (next) { next.selected = true; }
    }
    year.addEventListener("change", offer);
    offer();
  });
})();
