// Hỏi Phường staff console: keeps the queue and conversation pages live
// over Server-Sent Events, alerts on new chats (notification, beep, title
// badge) and fills the reply box from a canned reply. Plain JS, no build.
(function () {
  "use strict";
  var body = document.body;
  var live = body.getAttribute("data-live");
  var audio = null;

  // Canned reply picker: fills the reply textarea.
  document.querySelectorAll("select[data-fill]").forEach(function (sel) {
    sel.addEventListener("change", function () {
      var box = document.getElementById(sel.getAttribute("data-fill"));
      if (box && sel.value) {
        box.value = sel.value;
        box.focus();
      }
      sel.selectedIndex = 0;
    });
  });
  // The unit filter submits itself.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  if (!live) return;

  // Notifications and sound are turned on by a click (browsers require it).
  var btn = document.getElementById("notify-on");
  function soundOn() { return localStorage.getItem("hp-sound") === "1"; }
  function unlockAudio() {
    if (!audio && window.AudioContext) audio = new AudioContext();
    if (audio && audio.state === "suspended") audio.resume();
  }
  function showButton() {
    if (!btn) return;
    var granted = "Notification" in window && Notification.permission === "granted";
    btn.hidden = granted && soundOn();
  }
  if (btn) {
    btn.addEventListener("click", function () {
      localStorage.setItem("hp-sound", "1");
      unlockAudio();
      if ("Notification" in window && Notification.permission === "default") {
        Notification.requestPermission().then(showButton);
      }
      showButton();
      beep();
    });
    showButton();
  }
  if (soundOn()) document.addEventListener("click", unlockAudio, { once: true });

  function beep() {
    if (!soundOn()) return;
    unlockAudio();
    if (!audio) return;
    var o = audio.createOscillator(), g = audio.createGain(), t = audio.currentTime;
    o.type = "sine";
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.0001, t);
    g.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
    g.gain.exponentialRampToValueAtTime(0.0001, t + 0.35);
    o.connect(g).connect(audio.destination);
    o.start(t);
    o.stop(t + 0.4);
  }

  function alertNewChat() {
    beep();
    if ("Notification" in window && Notification.permission === "granted" && document.visibilityState !== "visible") {
      var n = new Notification("Hỏi Phường", { body: "Có cuộc trò chuyện mới trong hàng chờ.", tag: "hp-queued" });
      n.onclick = function () { window.focus(); location.href = "/console"; };
    }
  }

  // A breached first-response deadline is escalated to supervisors.
  function alertEscalation() {
    if (body.getAttribute("data-escalations") !== "on") return;
    beep();
    if ("Notification" in window && Notification.permission === "granted") {
      var n = new Notification("Hỏi Phường — quá hạn phản hồi", { body: "Một cuộc trò chuyện đã quá hạn phản hồi đầu tiên.", tag: "hp-escalate" });
      n.onclick = function () { window.focus(); location.href = "/console"; };
    }
  }

  function setBadge(n) {
    var t = document.title.replace(/^\(\d+\) /, "");
    document.title = n > 0 ? "(" + n + ") " + t : t;
  }

  // Refetch the live part of this page (X-Partial: 1) and swap it in.
  var pending = null;
  function refresh() {
    if (pending) return;
    pending = setTimeout(function () {
      pending = null;
      fetch(location.href, { headers: { "X-Partial": "1" }, credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 404) { location.href = "/console"; return null; }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html === null || html === undefined) return;
          var box = document.getElementById("live");
          if (!box) return;
          var stick = nearBottom();
          box.innerHTML = html;
          var root = box.querySelector("[data-queued]");
          if (root) setBadge(parseInt(root.getAttribute("data-queued"), 10) || 0);
          if (stick) scrollHistory();
        })
        .catch(function () {});
    }, 250);
  }

  function history() { return document.querySelector(".history"); }
  function nearBottom() {
    var h = history();
    return !h || h.scrollHeight - h.scrollTop - h.clientHeight < 80;
  }
  function scrollHistory() {
    var h = history();
    if (h) h.scrollTop = h.scrollHeight;
  }
  scrollHistory();

  var conv = document.querySelector("[data-conversation]");
  var convID = conv ? conv.getAttribute("data-conversation") : "";
  if (!window.EventSource) return;
  var es = new EventSource("/console/events");
  // The server ends streams (request timeout, restart); the browser
  // reconnects by itself, and what happened meanwhile is fetched again.
  var opened = false;
  es.onopen = function () {
    if (opened) refresh();
    opened = true;
  };
  es.onmessage = function (m) {
    var e;
    try { e = JSON.parse(m.data); } catch (err) { return; }
    if (e.kind === "queued") alertNewChat();
    if (e.kind === "escalate") alertEscalation();
    if (live === "queue" || e.conversation_id === convID) refresh();
  };
})();
