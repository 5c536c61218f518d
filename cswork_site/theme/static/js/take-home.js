// Optional: lets a visitor try their own grade and pay point, rate (an hour or a day),
// hours a week and weeks a year. The page works without it: its tables show every
// figure. The permanent figures were worked out at build time and are only looked up;
// the locum's are worked out here from the same rules (data/pay-rules.yaml), step by
// step as cswork_site/pay.py does, and tests check the two agree.
(function () {
  "use strict";
  var box = document.querySelector("[data-calculator]");
  var source = document.getElementById("take-home-data");
  if (!box || !source) return;
  var data = JSON.parse(source.textContent);
  var form = box.querySelector("form");
  var rate = box.querySelector("#calc-rate");
  var basis = box.querySelector("#calc-basis");
  var hours = box.querySelector("#calc-hours");
  var weeks = box.querySelector("#calc-weeks");
  var point = box.querySelector("#calc-point");
  var out = box.querySelector("[data-result]");
  var R = {};
  Object.keys(data.rules).forEach(function (k) {
    var v = data.rules[k];
    R[k] = typeof v === "string" ? parseFloat(v) : v;
  });
  var bands = data.rules.bands.map(function (b) { return [parseFloat(b[0]), b[1] === null ? null : parseFloat(b[1])]; });
  var min = parseFloat(data.min), max = parseFloat(data.max);
  var daysPerWeek = parseFloat(data.daysPerWeek), maxWeeks = parseFloat(data.weeks);
  var whole = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0, minimumFractionDigits: 0 });
  var exact = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var grades = {};
  // The sentences, in the page's language, with {name} for each figure (pages/agency.py).
  var words = data.words;
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }
  data.grades.forEach(function (g) { grades[g.id] = g; });

  // The nearest penny, a half penny up; the tiny nudge undoes binary fractions such as
  // 1885.065 being stored as 1885.06499...
  function pence(x) { return Math.round(x * 100 + 1e-6) / 100; }
  function pct(amount, percent) { return amount * percent / 100; }
  function between(pay, low, high) { return Math.max(0, (high === null ? pay : Math.min(pay, high)) - low); }

  function incomeTax(pay) {
    var allowance = Math.max(0, R.allowance - pct(Math.max(0, pay - R.taperThreshold), R.taperPercent));
    var taxable = Math.max(0, pay - allowance), tax = 0, floor = 0;
    for (var i = 0; i < bands.length; i++) {
      tax += pct(between(taxable, floor, bands[i][1]), bands[i][0]);
      if (bands[i][1] === null) break;
      floor = bands[i][1];
    }
    return pence(tax);
  }
  function employeeNi(pay) {
    return pence(pct(between(pay, R.niPrimary, R.niUpper), R.niMain) + pct(between(pay, R.niUpper, null), R.niAbove));
  }
  function qualifying(pay) { return between(pay, R.aeLower, R.aeUpper); }
  function cost(g) {
    return g + pct(between(g, R.erThreshold, null), R.erPercent) + pct(g, R.levyPercent) + pct(qualifying(g), R.aeEmployer);
  }
  function grossFor(available) {
    if (available <= 0) return 0;
    var points = [0, available, R.erThreshold, R.aeLower, R.aeUpper]
      .filter(function (b, i, all) { return b <= available && all.indexOf(b) === i; })
      .sort(function (a, b) { return a - b; });
    for (var i = 0; i + 1 < points.length; i++) {
      var low = points[i], high = points[i + 1], cl = cost(low), ch = cost(high);
      if (ch >= available) return low + (available - cl) * (high - low) / (ch - cl);
    }
    return available;
  }
  function locum(hourly, h, w) {
    var income = pence(hourly * h * w), margin = pence(R.marginPerWeek * w);
    var gross = Math.floor(grossFor(income - margin) * 100 + 1e-6) / 100;
    var employeePension = pence(pct(qualifying(gross), R.aeEmployee));
    var tax = incomeTax(gross - employeePension), ni = employeeNi(gross);
    var takeHome = pence(gross - employeePension - tax - ni);
    var employerPension = pence(pct(qualifying(gross), R.aeEmployer));
    var reward = pence(gross + employerPension), worked = h * w;
    return { gross: gross, takeHomeYear: takeHome, takeHomeMonth: pence(takeHome / 12),
             employerPension: employerPension, reward: reward,
             rewardPerHour: worked > 0 ? pence(reward / worked) : 0 };
  }
  function number(text) { return parseFloat(String(text).replace(/[£,\s]/g, "")); }
  // The same words as the page's "Who comes out ahead": nothing assumes who wins.
  function ahead(perm, loc) {
    if (loc > perm) return fill(words.locumAhead, { amount: whole.format(loc - perm) });
    if (perm > loc) return fill(words.permanentAhead, { amount: whole.format(perm - loc) });
    return words.level;
  }
  function takeHome(perm, loc) {
    if (loc > perm) return fill(words.takeHomeLocum, { amount: whole.format(loc - perm) });
    if (perm > loc) return fill(words.takeHomePermanent, { amount: whole.format(perm - loc) });
    return words.takeHomeSame;
  }

  function show() {
    var h = number(hours.value), w = number(weeks.value), r = number(rate.value);
    var daily = basis.value === "day";
    var hoursPerDay = h / daysPerWeek;
    if (isNaN(h) || h <= 0 || h > 48) { out.textContent = words.badHours; return; }
    if (isNaN(w) || w <= 0 || w > maxWeeks) { out.textContent = fill(words.badWeeks, { weeks: maxWeeks }); return; }
    var hourly = daily ? r / hoursPerDay : r;
    if (isNaN(r) || hourly < min || hourly > max) {
      out.textContent = daily
        ? fill(words.badDayRate, { min: exact.format(min * hoursPerDay), max: exact.format(max * hoursPerDay),
                                   hours: hoursPerDay.toFixed(1).replace(/\.0$/, "") })
        : fill(words.badHourlyRate, { min: exact.format(min), max: exact.format(max) });
      return;
    }
    var chosen = point.value.split(":"), grade = grades[chosen[0]], perm = grade.points[chosen[1]];
    var p = {};
    Object.keys(perm).forEach(function (k) { p[k] = parseFloat(perm[k]); });
    var l = locum(hourly, h, w);
    var rateText = daily ? fill(words.dayRate, { rate: exact.format(r), hourly: exact.format(hourly) })
      : fill(words.hourlyRate, { rate: exact.format(r) });
    var lines = [
      fill(words.locum, { taxYear: data.taxYear, rate: rateText, hours: h, weeks: w,
                          month: whole.format(l.takeHomeMonth), year: whole.format(l.takeHomeYear),
                          reward: whole.format(l.reward), perHour: exact.format(l.rewardPerHour) }),
      fill(words.permanent, { role: grade.title.toLowerCase(), point: chosen[1],
                              month: whole.format(p.takeHomeMonth), year: whole.format(p.takeHomeYear),
                              reward: whole.format(p.reward), perHour: exact.format(p.rewardPerHour),
                              extraDays: p.extraDays, statutory: parseFloat(data.statutoryDays),
                              extraValue: whole.format(p.extraValue) }),
      fill(words.verdict, { ahead: ahead(p.reward, l.reward), takeHome: takeHome(p.takeHomeYear, l.takeHomeYear) })
    ];
    out.textContent = "";
    lines.forEach(function (text) {
      var para = document.createElement("p");
      para.textContent = text.charAt(0).toUpperCase() + text.slice(1);
      out.appendChild(para);
    });
  }
  box.hidden = false;
  // Enter submits the form: work the figures out, and keep every value typed.
  form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
  [rate, hours, weeks].forEach(function (input) { input.addEventListener("input", show); });
  [basis, point].forEach(function (input) { input.addEventListener("change", show); });
  show();
})();
