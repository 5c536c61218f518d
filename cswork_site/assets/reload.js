// cswork serve only: reload the page when a rebuild finishes. Never part of a built site.
(function () {
  var me = document.currentScript;
  var current = me ? me.getAttribute("data-version") : null;
  function poll() {
    fetch("/__cswork/version", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (current !== null && String(d.version) !== current) { location.reload(); return; }
        current = String(d.version);
        setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
