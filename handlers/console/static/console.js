// Hỏi Phường staff console: keeps the queue and conversation pages live
// over Server-Sent Events, alerts on new chats (notification, beep, title
// badge), turns long selects into search pickers (transfer targets, canned
// replies inserted at the cursor), keeps the conversation's history at its
// latest message and switches a phone between the chat and its details.
// Plain JS, no build.
(function () {
  "use strict";
  var body = document.body;
  var live = body.getAttribute("data-live");
  var audio = null;

  // fold makes text comparable without diacritics: "Phường Tân Định" and
  // "phuong  tan dinh" both read "phuong tan dinh".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  // The reply box remembers where its cursor was (it keeps its selection
  // while another control has the focus); untouched, text goes at the end.
  function insertAt(box, text) {
    var v = box.value;
    var start = box.dataset.touched ? box.selectionStart : v.length;
    var end = box.dataset.touched ? box.selectionEnd : v.length;
    var before = v.slice(0, start), after = v.slice(end);
    if (before && !/\s$/.test(before)) text = " " + text;
    if (after && !/^\s/.test(after)) text += " ";
    box.focus();
    box.setRangeText(text, start, end, "end");
    box.dataset.touched = "1";
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // picker turns <select data-picker> into a search box over its options
  // (a combobox with a list): typing filters without diacritics, arrows and
  // Enter choose, Escape closes, a tap picks. data-picker="choose" sets the
  // select's value (it is still what the form sends); "insert" inserts the
  // option's value into the textarea data-target at its cursor.
  var pickers = 0;
  function picker(sel) {
    var mode = sel.getAttribute("data-picker");
    var target = document.getElementById(sel.getAttribute("data-target") || "");
    var id = sel.id || "picker" + (++pickers);
    var wrap = document.createElement("div");
    wrap.className = "picker" + (mode === "insert" ? " picker-up" : "");
    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "-q";
    input.className = "picker-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = sel.getAttribute("data-placeholder") || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    if (sel.getAttribute("aria-label")) input.setAttribute("aria-label", sel.getAttribute("aria-label"));
    var list = document.createElement("ul");
    list.id = id + "-list";
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var none = document.createElement("p");
    none.className = "picker-none";
    none.textContent = "Không tìm thấy — thử gõ tên khác.";
    none.hidden = true;
    none.setAttribute("role", "status");
    var items = [];
    Array.prototype.forEach.call(sel.options, function (o, i) {
      if (!o.value) return;
      var li = document.createElement("li");
      li.id = id + "-o" + i;
      li.className = "picker-option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var title = document.createElement("span");
      title.className = "picker-title";
      title.textContent = o.textContent;
      li.appendChild(title);
      var key = o.textContent;
      if (mode === "insert") {
        var preview = document.createElement("span");
        preview.className = "picker-preview";
        preview.textContent = o.value;
        li.appendChild(preview);
        key += " " + o.value;
      }
      key = fold(key) + " " + (o.getAttribute("data-code") || "");
      var it = { li: li, value: o.value, label: o.textContent, key: key };
      li.addEventListener("click", function () { choose(it); });
      items.push(it);
      list.appendChild(li);
    });
    var shown = [], active = -1, entered = null;

    function setActive(i) {
      if (active >= 0 && shown[active]) shown[active].li.setAttribute("aria-selected", "false");
      active = i;
      if (i < 0 || !shown[i]) { input.removeAttribute("aria-activedescendant"); return; }
      shown[i].li.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", shown[i].li.id);
      shown[i].li.scrollIntoView({ block: "nearest" });
    }
    function filter() {
      var words = fold(input.value).split(" ").filter(Boolean);
      if (mode === "choose" && sel.value && input.value === label(sel.value)) words = [];
      shown = [];
      items.forEach(function (it) {
        var ok = words.every(function (w) { return it.key.indexOf(w) >= 0; });
        it.li.hidden = !ok;
        if (ok) shown.push(it);
      });
      none.hidden = shown.length > 0;
      list.hidden = shown.length === 0;
      active = -1;
      setActive(shown.length ? 0 : -1);
    }
    function open() {
      input.setAttribute("aria-expanded", "true");
      filter();
    }
    function close() {
      list.hidden = true;
      none.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
    function label(value) {
      for (var i = 0; i < items.length; i++) if (items[i].value === value) return items[i].label;
      return "";
    }
    function choose(it) {
      close();
      if (mode === "insert") {
        input.value = "";
        if (target) insertAt(target, it.value);
        return;
      }
      sel.value = it.value;
      input.value = it.label;
      input.setCustomValidity("");
      input.focus();
    }

    input.addEventListener("focus", function () { if (mode === "choose") input.select(); open(); });
    input.addEventListener("input", function () {
      if (mode === "choose" && input.value !== label(sel.value)) sel.value = "";
      input.setCustomValidity("");
      open();
    });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (e) {
      var isOpen = input.getAttribute("aria-expanded") === "true";
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!isOpen) { open(); return; }
        var n = shown.length;
        if (n) setActive(((active < 0 ? 0 : active) + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
      } else if (e.key === "Enter") {
        // Chosen when the key comes up: the focus may then move to the
        // reply box, which must not get the Enter.
        if (isOpen && active >= 0 && shown[active]) { e.preventDefault(); entered = shown[active]; }
      } else if (e.key === "Escape") {
        if (isOpen) { e.preventDefault(); close(); }
        if (mode === "insert" && target) target.focus();
      }
    });
    // The Enter that picks must not also send the form (its keypress).
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && entered) e.preventDefault();
    });
    input.addEventListener("keyup", function (e) {
      if (e.key !== "Enter" || !entered) return;
      var it = entered;
      entered = null;
      choose(it);
    });
    // A press on the list keeps the focus in the box, so a tap or click picks.
    list.addEventListener("mousedown", function (e) { e.preventDefault(); });

    if (mode === "choose") {
      input.value = label(sel.value);
      sel.required = false; // the box checks instead: a hidden control cannot show why
      var form = sel.form;
      if (form) form.addEventListener("submit", function (e) {
        if (sel.value) return;
        e.preventDefault();
        input.setCustomValidity(sel.getAttribute("data-invalid") || "");
        input.reportValidity();
      });
    }
    var lab = sel.id && document.querySelector('label[for="' + sel.id + '"]');
    if (lab) lab.setAttribute("for", input.id);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(none);
    sel.hidden = true;
    sel.setAttribute("aria-hidden", "true");
    sel.tabIndex = -1;
    sel.parentNode.insertBefore(wrap, sel.nextSibling);
  }
  document.querySelectorAll("select[data-picker]").forEach(picker);

  // The reply box grows with what is typed (up to 40% of the window) and
  // notes that the clerk has put the cursor somewhere.
  var reply = document.getElementById("reply");
  if (reply) {
    var grow = function () {
      reply.style.height = "auto";
      reply.style.height = Math.min(reply.scrollHeight + 2, Math.round(window.innerHeight * 0.4)) + "px";
    };
    ["focus", "keyup", "mouseup", "select"].forEach(function (ev) {
      reply.addEventListener(ev, function () { reply.dataset.touched = "1"; });
    });
    // On a slow phone the clerk may be typing before this script runs.
    if (document.activeElement === reply) reply.dataset.touched = "1";
    reply.addEventListener("input", grow);
    if (reply.value) grow();
  }

  // A phone shows the chat or its details and actions.
  var conv = document.getElementById("conv");
  var toggle = document.getElementById("pane-toggle");
  if (conv && toggle) {
    toggle.addEventListener("click", function (e) {
      e.preventDefault(); // the link is for a tap before this script ran
      var side = conv.getAttribute("data-pane") !== "side";
      conv.setAttribute("data-pane", side ? "side" : "thread");
      toggle.setAttribute("aria-expanded", side ? "true" : "false");
      toggle.setAttribute("href", side ? "?pane=thread" : "?pane=side");
      toggle.textContent = toggle.getAttribute(side ? "data-close" : "data-open");
      if (!side) scrollHistory();
    });
  }

  // A form of the details pane that failed is shown (its message is on top).
  var failed = document.querySelector("form[data-failed]");
  if (failed) failed.scrollIntoView({ block: "center" });

  // The unit filter submits itself.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });

  // The history opens at the latest message: its own scroll, or the page's
  // when the window is too short to split.
  function historyBox() { return document.getElementById("history"); }
  function scrolls(h) { return h && h.scrollHeight > h.clientHeight + 1 && getComputedStyle(h).overflowY !== "visible"; }
  function nearBottom() {
    var h = historyBox();
    if (!h) return false;
    if (scrolls(h)) return h.scrollHeight - h.scrollTop - h.clientHeight < 80;
    return document.documentElement.scrollHeight - window.scrollY - window.innerHeight < 80;
  }
  function scrollHistory() {
    var h = historyBox();
    if (!h) return;
    if (scrolls(h)) { h.scrollTop = h.scrollHeight; return; }
    // The page scrolls: bring the history's end just above the reply box
    // (stuck to the bottom of the window) or the window's bottom.
    var c = document.getElementById("composer");
    window.scrollBy(0, h.getBoundingClientRect().bottom - (c ? c.getBoundingClientRect().top : window.innerHeight));
  }
  // The page opens where it says, not where a reload left it.
  if (historyBox() && "scrollRestoration" in window.history) window.history.scrollRestoration = "manual";
  scrollHistory();

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
          var stick = nearBottom();
          swap(html);
          var root = document.querySelector("#live [data-queued]");
          if (root) setBadge(parseInt(root.getAttribute("data-queued"), 10) || 0);
          if (stick) scrollHistory();
        })
        .catch(function () {});
    }, 250);
  }

  // swap puts the fetched live parts in place: each [data-part] element
  // replaces the page's element of the same id (the conversation's details
  // and history, leaving the reply box and its scroll alone); otherwise
  // the whole #live box (the queue).
  function swap(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    var parts = t.content.querySelectorAll("[data-part][id]");
    if (!parts.length) {
      var box = document.getElementById("live");
      if (!box) return;
      var next = box.cloneNode(false);
      next.innerHTML = html;
      if (next.isEqualNode(box)) return; // nothing changed: leave the nodes alone
      var open = openDetails(box);
      box.innerHTML = html;
      box.querySelectorAll("details").forEach(function (d, i) {
        if (open[i]) d.open = true;
      });
      return;
    }
    parts.forEach(function (p) {
      var old = document.getElementById(p.id);
      // An unchanged part stays as it is: a swap that changes nothing
      // would still move nodes under a clerk's finger.
      if (!old || old.isEqualNode(p)) return;
      var open = openDetails(old);
      old.replaceWith(p);
      p.querySelectorAll("details").forEach(function (d, i) {
        if (open[i]) d.open = true;
      });
    });
  }

  // openDetails lists which <details> of a part the clerk has open, by
  // position, so the swapped-in copy keeps them open.
  function openDetails(el) {
    return Array.prototype.map.call(el.querySelectorAll("details"), function (d) { return d.open; });
  }

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
