// Optional: lets a visitor try their own hourly rate and pay point. The page works
// without it; every figure here was computed at build time and is only looked up.
(function () {
  "use strict";
  var box = document.querySelector("[data-calculator]");
  var source = document.getElementById("take-home-data");
  if (!box || !source) return;
  var data = JSON.parse(source.textContent);
  var rate = box.querySelector("#calc-rate");
  var point = box.querySelector("#calc-point");
  var out = box.querySelector("[data-result]");
  var step = parseFloat(data.step), min = parseFloat(data.min), max = parseFloat(data.max);
  var money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 });

  function show() {
    var wanted = parseFloat(rate.value);
    var perm = data.points[point.value];
    if (isNaN(wanted) || wanted < min || wanted > max) {
      out.textContent = "Enter an hourly rate from £" + min + " to £" + max + ".";
      return;
    }
    var index = Math.min(Math.round((wanted - min) / step), data.rates.length - 1);
    var row = data.rates[index];
    var gap = parseFloat(perm[2]) - parseFloat(row[3]);
    out.textContent =
      "As a locum at £" + parseFloat(row[0]).toFixed(2) + " an hour you would take home about " +
      money.format(parseFloat(row[3])) + " a month (" + money.format(parseFloat(row[2])) + " a year). " +
      "At point " + point.value + " you would take home " + money.format(parseFloat(perm[2])) + " a month (" +
      money.format(parseFloat(perm[1])) + " a year): " +
      (gap >= 0 ? money.format(gap) + " a month more" : money.format(-gap) + " a month less") +
      ", before the pension, sick pay and leave a locum does not get." +
      (Math.abs(parseFloat(row[0]) - wanted) > 0.001 ? " (Worked out to the nearest 50p an hour.)" : "");
  }
  box.hidden = false;
  rate.addEventListener("input", show);
  point.addEventListener("change", show);
  show();
})();
