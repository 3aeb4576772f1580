// City dashboard: every few seconds, fetch the page's live part (header
// X-Partial: 1) and swap it in, keeping the table's horizontal scroll.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var status = document.getElementById("status");
  var every = Number(live && live.dataset.refresh) * 1000;
  if (!live || !every) return;

  function refresh() {
    if (document.hidden) return;
    fetch(location.pathname + location.search, {
      headers: { "X-Partial": "1" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (res) {
      if (res.redirected || res.status === 401 || res.status === 403) {
        location.reload(); // the session ended: show the login page
        return;
      }
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.text().then(function (html) {
        var box = live.querySelector(".scroll");
        var left = box ? box.scrollLeft : 0;
        live.innerHTML = html;
        box = live.querySelector(".scroll");
        if (box) box.scrollLeft = left;
        status.hidden = true;
      });
    }).catch(function () {
      status.hidden = false;
    });
  }

  setInterval(refresh, every);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) refresh();
  });
})();
