// cswork serve only: reload the page when a rebuild finishes, and follow a story whose
// address changed (draft to published, or back). Never part of a built site.
(function () {
  var POLL_MS = 250; // a question to this computer only: cheap, and the change shows soon after the rebuild
  var me = document.currentScript;
  var current = me ? me.getAttribute("data-version") : null;
  var here = location.pathname;
  function poll() {
    fetch("/__cswork/version?page=" + encodeURIComponent(here), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.location && d.location !== here) { location.replace(d.location + location.hash); return; }
        if (current !== null && String(d.version) !== current) { location.reload(); return; }
        current = String(d.version);
        setTimeout(poll, POLL_MS);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
