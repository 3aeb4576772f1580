// City dashboard: fetch the page's live part (header X-Partial: 1) and
// swap it in — every few seconds, and at once when a table's header is
// clicked (the header is a link to the same page sorted; the address is
// updated in place, so refreshes keep the order). A tap on the map shows
// the unit's figures under it. Without this script the links and the
// map's titles still work.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var status = document.getElementById("status");
  if (!live) return;
  var every = Number(live.dataset.refresh) * 1000;
  var selected = ""; // the map unit shown under the map

  function load() {
    return fetch(location.pathname + location.search, {
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
        var lefts = Array.prototype.map.call(live.querySelectorAll(".scroll"), function (b) { return b.scrollLeft; });
        live.innerHTML = html;
        Array.prototype.forEach.call(live.querySelectorAll(".scroll"), function (b, i) { b.scrollLeft = lefts[i] || 0; });
        if (selected) show(live.querySelector('.map path[data-code="' + selected + '"]'));
        status.hidden = true;
      });
    }).catch(function () {
      status.hidden = false;
    });
  }

  function show(path) {
    var info = document.getElementById("map-info");
    if (!path || !info) return;
    var old = live.querySelector(".map path.sel");
    if (old) old.classList.remove("sel");
    path.classList.add("sel");
    selected = path.getAttribute("data-code");
    var title = path.querySelector("title");
    info.textContent = title ? title.textContent : "";
  }

  live.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-sort]");
    if (link) {
      e.preventDefault();
      var url = new URL(link.href, location.href);
      history.replaceState(null, "", url.pathname + url.search + location.hash);
      load().then(function () {
        var box = document.getElementById(url.hash.slice(1));
        var th = box && box.querySelector('th[aria-sort] a');
        if (th) th.focus();
      });
      return;
    }
    var path = e.target.closest && e.target.closest(".map path");
    if (path) show(path);
  });
  live.addEventListener("mouseover", function (e) {
    var path = e.target.closest && e.target.closest(".map path");
    if (path) show(path);
  });

  if (!every) return;
  setInterval(function () {
    if (!document.hidden) load();
  }, every);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) load();
  });
})();
