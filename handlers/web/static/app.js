// Hỏi Phường web chat. Plain JavaScript, no framework.
// Everything that comes from the server or the citizen is inserted with
// textContent (never innerHTML), so typed HTML is shown as text.
(function () {
  'use strict';

  var API = '/api/v1/conversations';
  var MAP_SEARCH = 'https://www.google.com/maps/search/'; // the bot's map links (bot.mapSearchBase)
  var STORAGE_KEY = 'hoiphuong.conversation';
  var MSG = {
    network: 'Không kết nối được với máy chủ. Vui lòng kiểm tra mạng rồi thử lại.',
    unknown: 'Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.',
    slow: 'Hệ thống đã nhận câu hỏi nhưng trả lời chậm hơn thường lệ. Vui lòng chờ một chút rồi gửi lại.',
    empty: 'Vui lòng nhập câu hỏi trước khi gửi.',
    tooLong: 'Câu hỏi quá dài. Vui lòng viết ngắn gọn, tối đa %d ký tự.',
    notSent: 'Chưa gửi được',
    answering: 'Đang trả lời…',
    locating: 'Đang lấy vị trí…',
    myLocation: '📍 Vị trí của tôi',
    call: 'Gọi ',
    map: 'Bản đồ',
    openMap: 'Mở bản đồ',
    sources: 'Nguồn',
    asOf: 'cập nhật đến ',
    degraded: 'Đang tra cứu ở chế độ dự phòng, thông tin có thể chưa đầy đủ.',
    geoUnsupported: 'Trình duyệt này không gửi được vị trí. Bạn hãy nhập tên phường, xã cũ (kèm quận, huyện) hoặc địa chỉ.',
    geoDenied: 'Bạn chưa cho phép truy cập vị trí. Bạn có thể bật quyền vị trí cho trang này trong cài đặt trình duyệt, hoặc nhập tên phường, xã, địa chỉ.',
    geoUnavailable: 'Không xác định được vị trí của bạn lúc này. Vui lòng thử lại, hoặc nhập tên phường, xã, địa chỉ.',
    geoTimeout: 'Lấy vị trí quá lâu. Vui lòng thử lại, hoặc nhập tên phường, xã, địa chỉ.',
    sentToStaff: 'Đã gửi tới cán bộ',
    staff: 'Cán bộ ',
    details: 'Xem chi tiết',
    fewer: 'Thu gọn',
    sourcesLead: 'Nguồn: ',
    dataAsOf: 'Dữ liệu cập nhật đến ',
    updated: 'cập nhật ',
    ticket: 'Yêu cầu ',
    cityDesk: 'Cán bộ tiếp nhận của Thành phố',
    waiting: 'Đang chờ cán bộ',
    position: ' · vị trí số ',
    about: ', khoảng ',
    minutes: ' phút',
    owned: 'Cán bộ đang hỗ trợ bạn',
    opensAt: 'Ngoài giờ làm việc · cán bộ trả lời từ ',
    withBot: 'Vẫn chờ cán bộ · bạn đang hỏi trợ lý tự động',
    backToBot: 'Quay lại hỏi bot',
    askStaff: 'Gặp cán bộ'
  };
  var BACK_TO_BOT = 'Quay lại hỏi bot'; // bot.PayloadBackToBot
  var ASK_STAFF = 'Gặp cán bộ'; // bot.PayloadHuman

  var list = document.getElementById('messages');
  var form = document.getElementById('composer');
  var input = document.getElementById('text');
  var sendButton = document.getElementById('send');
  var typing = document.getElementById('typing');
  var typingLabel = typing.lastElementChild;
  var consent = document.getElementById('consent');
  var ticketBox = document.getElementById('ticket');
  var ticketTitle = document.getElementById('ticket-title');
  var ticketStatus = document.getElementById('ticket-status');
  var ticketAction = document.getElementById('ticket-action');
  var maxRunes = parseInt(form.getAttribute('data-max-runes'), 10) || 2000;
  var busy = false;

  // ---- small DOM helpers ----

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function scrollToEnd() {
    list.scrollTop = list.scrollHeight;
  }

  function addTurn(who) {
    var turn = el('div', 'turn ' + who);
    list.appendChild(turn);
    return turn;
  }

  function addMine(text) {
    var turn = addTurn('me');
    turn.appendChild(el('p', 'bubble', text));
    scrollToEnd();
    return turn;
  }

  function addError(message) {
    var turn = addTurn('bot');
    var bubble = el('p', 'bubble error', message);
    bubble.setAttribute('role', 'alert');
    turn.appendChild(bubble);
    scrollToEnd();
  }

  function setBusy(on, label) {
    busy = on;
    sendButton.disabled = on;
    typingLabel.textContent = label || MSG.answering;
    typing.hidden = !on;
    if (on) scrollToEnd();
  }

  // Old suggestions no longer fit once the conversation moves on.
  function clearReplies() {
    var groups = list.querySelectorAll('.replies');
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  // ---- rendering an Answer (the bot.Answer JSON) ----

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : (iso || '');
  }

  function safeURL(url) {
    return /^https?:\/\//i.test(url || '') ? url : '';
  }

  // addBot shows an answer. replies: whether its quick replies are live
  // (false for an answer drawn again from the history and since answered).
  function addBot(answer, replies) {
    if (answer.kind === 'none') {
      // A person has the conversation: the bot stays silent.
      markSentToStaff();
      return null;
    }
    var turn = addTurn(answer.kind === 'staff' ? 'bot staff' : 'bot');
    if (answer.kind === 'staff') turn.appendChild(el('p', 'who', MSG.staff + (answer.staff || '')));
    var body = bodyText(answer);
    var lead = (answer.lead || '').trim();
    var folded = lead && body.indexOf(lead) === 0 && body.length > lead.length;
    var bubble = el('p', 'bubble');
    fillText(bubble, (folded ? lead : body) || MSG.unknown);
    turn.appendChild(bubble);

    // Candidate units are listed in the text and offered as quick replies:
    // a third list would only make a long answer longer on a phone.

    // The essentials stay in view: the answer's lead and a call button;
    // the rest of the text, the map and the sources fold behind "Xem chi
    // tiết" (only the sources, behind "Nguồn", when the text is short).
    var office = answer.office;
    var call = callAction(office);
    var map = mapAction(office);
    var sources = sourcesLine(answer);
    if (folded) {
      if (call) turn.appendChild(actionRow([call]));
      var rest = el('p', 'rest');
      fillText(rest, body.slice(lead.length).trim());
      turn.appendChild(fold(MSG.details, [rest, map && actionRow([map]), sources]));
    } else {
      if (call || map) turn.appendChild(actionRow([call, map]));
      if (sources) turn.appendChild(fold(MSG.sources, [sources]));
    }

    if (answer.degraded) turn.appendChild(el('p', 'degraded', MSG.degraded));
    if (answer.ticket) showTicket(answer.ticket);

    var quick = answer.quick_replies || [];
    if (quick.length && replies !== false) turn.appendChild(renderReplies(quick));
    return turn;
  }

  function markSentToStaff(turn) {
    var last = turn || list.querySelector('.turn.me:last-of-type');
    if (last && !last.querySelector('.status-note')) last.appendChild(el('span', 'status-note sent', MSG.sentToStaff));
  }

  // fold is a <details> that opens on a tap: "Xem chi tiết" / "Thu gọn".
  function fold(label, parts) {
    var box = el('details', label === MSG.details ? 'more' : 'more only-sources');
    var summary = el('summary', '');
    summary.appendChild(el('span', 'when-closed', label));
    if (label === MSG.details) summary.appendChild(el('span', 'when-open', MSG.fewer));
    else summary.querySelector('.when-closed').className = '';
    box.appendChild(summary);
    parts.forEach(function (p) { if (p) box.appendChild(p); });
    return box;
  }

  // A long answer is read from its start: scroll so its top is in view,
  // or to the end when it fits.
  function scrollToTurn(turn) {
    var top = turn.getBoundingClientRect().top - list.getBoundingClientRect().top;
    if (turn.offsetHeight > list.clientHeight) {
      list.scrollTop += top - 8;
    } else {
      scrollToEnd();
    }
  }

  // fillText puts text into node, its http(s) links as links (a map search
  // reads "Mở bản đồ"); everything else stays text.
  function fillText(node, text) {
    var re = /https?:\/\/[^\s<>"]+/g;
    var last = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      var url = m[0].replace(/[.,;:!?)]+$/, '');
      node.appendChild(document.createTextNode(text.slice(last, m.index)));
      var link = el('a', 'inline', url.indexOf(MAP_SEARCH) === 0 ? MSG.openMap : url);
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      node.appendChild(link);
      last = m.index + url.length;
      re.lastIndex = last;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  // The text without what the page shows apart: the sources line (folded
  // behind "Nguồn") and the map link's line (a button below).
  function bodyText(answer) {
    var text = answer.text || '';
    var footer = answer.footer || '';
    var at = footer ? text.lastIndexOf(footer) : -1;
    if (at >= 0) text = text.slice(0, at) + text.slice(at + footer.length);
    var map = answer.office && safeURL(answer.office.map_url);
    if (map) {
      text = text.split('\n').filter(function (line) { return line.trim() !== MSG.map + ': ' + map; }).join('\n');
    }
    return text.trim();
  }

  // A button to call the office.
  function callAction(office) {
    if (!office || !office.phone) return null;
    var call = el('a', 'action', MSG.call + office.phone);
    call.href = 'tel:' + office.phone.replace(/[^0-9+]/g, '');
    return call;
  }

  // A button to open the office's map.
  function mapAction(office) {
    var map = office && safeURL(office.map_url);
    if (!map) return null;
    var link = el('a', 'action', MSG.map);
    link.href = map;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    return link;
  }

  function actionRow(actions) {
    var row = el('p', 'office');
    actions.forEach(function (a) { if (a) row.appendChild(a); });
    return row.childNodes.length ? row : null;
  }

  // sourcesLine is the answer's one line of sources: each source once
  // (linked when it has a page), then the date the data were checked. It
  // stands for the sources line that ends the text, which is not shown.
  function sourcesLine(answer) {
    var citations = answer.citations || [];
    var line = el('p', 'sources-line');
    if (!citations.length) {
      if (!answer.footer) return null;
      line.textContent = answer.footer;
      return line;
    }
    line.appendChild(document.createTextNode(MSG.sourcesLead));
    var named = {};
    var first = true;
    citations.forEach(function (c) {
      var label = c.legal_basis || c.title || '';
      if (!label || named[label]) return;
      named[label] = true;
      if (!first) line.appendChild(document.createTextNode('; '));
      first = false;
      var url = safeURL(c.url);
      var item = el(url ? 'a' : 'span', 'source', label);
      if (url) {
        item.href = url;
        item.target = '_blank';
        item.rel = 'noopener noreferrer';
      }
      line.appendChild(item);
      if (c.date) line.appendChild(document.createTextNode(' (' + MSG.updated + formatDate(c.date) + ')'));
    });
    var asOf = answer.as_of || (citations[0] && citations[0].as_of);
    line.appendChild(document.createTextNode('. ' + (asOf ? MSG.dataAsOf + formatDate(asOf) + '.' : '')));
    return line;
  }

  function renderReplies(replies) {
    var group = el('div', 'replies');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Trả lời nhanh');
    replies.forEach(function (r) {
      // 👍/👎 rate the answer: together, on a line of their own.
      if (r.payload === '👍') group.appendChild(el('span', 'replies-break'));
      var b = el('button', 'reply', r.label);
      b.type = 'button';
      b.setAttribute('data-payload', r.payload);
      group.appendChild(b);
    });
    return group;
  }

  // ---- talking to the API ----

  // The conversation id outlives the tab (localStorage): a citizen who
  // closes the page finds the conversation, and the ticket staff promised
  // to answer, when they come back. The token stays in its HttpOnly cookie.
  function storedID() {
    try {
      var id = localStorage.getItem(STORAGE_KEY) || sessionStorage.getItem(STORAGE_KEY);
      if (id) storeID(id);
      return id;
    } catch (e) { return null; }
  }

  function storeID(id) {
    try {
      sessionStorage.removeItem(STORAGE_KEY); // where earlier versions kept it
      if (id) localStorage.setItem(STORAGE_KEY, id); else localStorage.removeItem(STORAGE_KEY);
    } catch (e) { /* private mode: keep the id in memory only */ }
  }

  var conversationID = storedID();

  // post returns {status, data}; it throws an Error with a Vietnamese
  // message on network failure.
  async function post(url, body) {
    return call(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  async function call(url, options) {
    var res;
    try {
      res = await fetch(url, options);
    } catch (e) {
      throw new Error(MSG.network);
    }
    var data = null;
    try { data = await res.json(); } catch (e) { /* not JSON: handled below */ }
    return { status: res.status, ok: res.ok, data: data };
  }

  function apiError(res) {
    var msg = res.data && res.data.error && res.data.error.message;
    var err = new Error(msg || MSG.unknown);
    err.code = res.data && res.data.error && res.data.error.code;
    return err;
  }

  async function startConversation() {
    var res = await post(API);
    if (!res.ok || !res.data || !res.data.id) throw apiError(res);
    conversationID = res.data.id;
    storeID(conversationID);
    showTicket(null);
    listen(conversationID, 0);
    return conversationID;
  }

  // ---- a reloaded or reopened page: the conversation drawn again ----

  // restore asks the server for the stored conversation and redraws it:
  // only the last message's quick replies are live, and only when the
  // citizen has not answered it yet. A conversation the server no longer
  // gives (expired, another browser's) is forgotten without a word.
  async function restore(id) {
    var res;
    try {
      res = await call(API + '/' + encodeURIComponent(id) + '/messages', { headers: { 'Accept': 'application/json' } });
    } catch (e) {
      listen(id, 0); // offline for now: staff replies still arrive later
      return;
    }
    if (res.status === 401 || res.status === 404) {
      if (conversationID === id) {
        conversationID = null;
        storeID(null);
      }
      return;
    }
    if (!res.ok || !res.data || conversationID !== id) return;
    var msgs = res.data.messages || [];
    var last = 0;
    if (msgs.length) clearReplies(); // the welcome's examples: the conversation has moved on
    msgs.forEach(function (m, i) {
      last = m.id;
      seen[m.id] = true;
      if (m.from === 'citizen') {
        var mine = addMine(m.location ? MSG.myLocation : m.text);
        if (m.to_staff) markSentToStaff(mine);
        return;
      }
      var answer = m.answer || { text: '' };
      if (m.from === 'staff') answer.staff = m.staff;
      addBot(answer, i === msgs.length - 1);
    });
    showTicket(res.data.ticket || null);
    scrollToEnd();
    listen(id, last);
  }

  if (conversationID) setTimeout(function () { restore(conversationID); }, 0);

  // ---- the ticket: a request to staff stays in view while it is open ----

  function showTicket(t) {
    if (!t || !t.number) {
      ticketBox.hidden = true;
      return;
    }
    var unit = t.unit && t.unit.code && t.unit.code !== 'city' ? t.unit.name : MSG.cityDesk;
    ticketTitle.textContent = MSG.ticket + t.number + ' · ' + unit;
    var status;
    if (t.with_bot) status = MSG.withBot;
    else if (t.owned) status = MSG.owned;
    else if (!t.in_hours && t.opens_at) status = MSG.opensAt + formatOpening(t.opens_at);
    else status = MSG.waiting + (t.position ? MSG.position + t.position : '') + (t.wait_minutes ? MSG.about + t.wait_minutes + MSG.minutes : '');
    ticketStatus.textContent = status;
    // Waiting: back to the bot (the ticket is kept); with the bot: back to staff.
    var action = t.with_bot ? ASK_STAFF : BACK_TO_BOT;
    ticketAction.textContent = t.with_bot ? MSG.askStaff : MSG.backToBot;
    ticketAction.setAttribute('data-payload', action);
    ticketAction.hidden = false;
    ticketBox.hidden = false;
  }

  var WEEKDAYS = ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'];

  // formatOpening writes when the office opens, in Vietnam's time: "07:30 T2 07/12".
  function formatOpening(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return '';
    var vn = new Date(d.getTime() + 7 * 3600 * 1000); // UTC+7, no daylight saving
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return two(vn.getUTCHours()) + ':' + two(vn.getUTCMinutes()) + ' ' + WEEKDAYS[vn.getUTCDay()] + ' ' +
      two(vn.getUTCDate()) + '/' + two(vn.getUTCMonth() + 1);
  }

  ticketAction.addEventListener('click', function () {
    if (busy) return;
    send({ text: ticketAction.getAttribute('data-payload') }, ticketAction.textContent, '');
  });

  // ---- live: staff replies, notices and the ticket arrive without asking ----

  var stream = null;
  var seen = {};

  function listen(id, after) {
    if (!window.EventSource || !id) return;
    if (stream) stream.close();
    // The stream resumes after the last message drawn (then after the last
    // event, which the browser sends back when it reconnects).
    stream = new EventSource(API + '/' + encodeURIComponent(id) + '/events' + (after ? '?after=' + after : ''));
    stream.addEventListener('message', function (e) {
      var msg;
      try { msg = JSON.parse(e.data); } catch (err) { return; }
      if (!msg || seen[msg.id]) return;
      seen[msg.id] = true;
      var answer = msg.answer || { text: msg.text };
      answer.kind = msg.kind;
      answer.staff = msg.staff;
      clearReplies();
      var turn = addBot(answer);
      if (turn) scrollToTurn(turn);
    });
    stream.addEventListener('ticket', function (e) {
      var t = null;
      try { t = JSON.parse(e.data); } catch (err) { return; }
      showTicket(t);
    });
  }

  // messageKey names one message for the server: a retry with the same key
  // (after a network error, or while the answer is pending) is answered once.
  function messageKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function lostConversation(res) {
    var code = res.data && res.data.error && res.data.error.code;
    return (res.status === 404 && code === 'conversation_not_found') || (res.status === 401 && code === 'token_required');
  }

  async function deliver(body) {
    body.client_message_id = messageKey();
    var id = conversationID || await startConversation();
    var restarted = false;
    for (var attempt = 0; attempt < 12; attempt++) {
      var res;
      try {
        res = await post(API + '/' + encodeURIComponent(id) + '/messages', body);
      } catch (e) {
        if (attempt >= 2) throw e;
        await sleep(1000); // the same key: answered once even if the first try got through
        continue;
      }
      if (lostConversation(res) && !restarted) {
        restarted = true;
        id = await startConversation(); // the old conversation expired: start over once
        continue;
      }
      if (res.status === 202) { // stored, the answer is on its way
        await sleep(1500);
        continue;
      }
      if (!res.ok || !res.data) throw apiError(res);
      return res.data;
    }
    throw new Error(MSG.slow);
  }

  // send shows the citizen's bubble, asks the API and shows the answer or a
  // Vietnamese error. restore is the input text to put back on failure.
  async function send(body, shown, restore) {
    if (busy) return;
    var mine = addMine(shown);
    clearReplies();
    setBusy(true);
    try {
      var turn = addBot(await deliver(body));
      if (turn) scrollToTurn(turn);
    } catch (e) {
      mine.classList.add('failed');
      mine.appendChild(el('span', 'status-note', MSG.notSent));
      addError(e.message || MSG.unknown);
      if (restore && !input.value) {
        input.value = restore;
        autosize();
      }
    } finally {
      setBusy(false);
    }
  }

  // ---- the citizen's actions ----

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 3, 140) + 'px';
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (busy) return;
    var text = input.value.trim();
    if (!text) {
      addError(MSG.empty);
      input.focus();
      return;
    }
    if (Array.from(text).length > maxRunes) {
      addError(MSG.tooLong.replace('%d', maxRunes));
      return;
    }
    input.value = '';
    autosize();
    send({ text: text }, text, text);
  });

  input.addEventListener('keydown', function (e) {
    // Enter sends, Shift+Enter breaks the line; never during IME composition
    // (Vietnamese Telex/VNI input composes characters).
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      sendButton.click(); // requestSubmit() is missing on older iOS Safari
    }
  });
  input.addEventListener('input', autosize);

  var LOCATION_PAYLOAD = '#vitri'; // bot.PayloadLocation

  list.addEventListener('click', function (e) {
    var button = e.target.closest('.reply');
    if (!button || busy) return;
    // The engine's "send your location" reply opens the location consent.
    if (button.getAttribute('data-payload') === LOCATION_PAYLOAD) {
      document.getElementById('locate').click();
      return;
    }
    send({ text: button.getAttribute('data-payload') }, button.textContent, '');
  });

  // Location: explain first, then let the browser ask for permission.
  document.getElementById('locate').addEventListener('click', function () {
    if (!navigator.geolocation || !window.isSecureContext) {
      addError(MSG.geoUnsupported);
      return;
    }
    consent.hidden = false;
    document.getElementById('consent-yes').focus();
  });

  document.getElementById('consent-no').addEventListener('click', function () {
    consent.hidden = true;
    input.focus();
  });

  document.getElementById('consent-yes').addEventListener('click', function () {
    consent.hidden = true;
    if (busy) return;
    setBusy(true, MSG.locating);
    navigator.geolocation.getCurrentPosition(function (pos) {
      setBusy(false);
      send({ lat: pos.coords.latitude, lon: pos.coords.longitude }, MSG.myLocation, '');
    }, function (err) {
      setBusy(false);
      var byCode = { 1: MSG.geoDenied, 2: MSG.geoUnavailable, 3: MSG.geoTimeout };
      addError(byCode[err.code] || MSG.geoUnavailable);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
