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
    staff: 'Cán bộ '
  };

  var list = document.getElementById('messages');
  var form = document.getElementById('composer');
  var input = document.getElementById('text');
  var sendButton = document.getElementById('send');
  var typing = document.getElementById('typing');
  var typingLabel = typing.lastElementChild;
  var consent = document.getElementById('consent');
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

  function addBot(answer) {
    if (answer.kind === 'none') {
      // A person has the conversation: the bot stays silent.
      var last = list.querySelector('.turn.me:last-of-type .bubble');
      if (last) last.parentNode.appendChild(el('span', 'status-note sent', MSG.sentToStaff));
      return;
    }
    var turn = addTurn(answer.kind === 'staff' ? 'bot staff' : 'bot');
    if (answer.kind === 'staff') turn.appendChild(el('p', 'who', MSG.staff + (answer.staff || '')));
    var bubble = el('p', 'bubble');
    fillText(bubble, bodyText(answer) || MSG.unknown);
    turn.appendChild(bubble);

    // Candidate units are listed in the text and offered as quick replies:
    // a third list would only make a long answer longer on a phone.

    var actions = officeActions(answer.office);
    if (actions) turn.appendChild(actions);

    if (answer.degraded) turn.appendChild(el('p', 'degraded', MSG.degraded));

    var sources = renderSources(answer);
    if (sources) turn.appendChild(sources);

    var replies = answer.quick_replies || [];
    if (replies.length) turn.appendChild(renderReplies(replies));
    scrollToTurn(turn);
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

  // Buttons to call the office and to open its map.
  function officeActions(office) {
    if (!office) return null;
    var row = el('p', 'office');
    if (office.phone) {
      var call = el('a', 'action', MSG.call + office.phone);
      call.href = 'tel:' + office.phone.replace(/[^0-9+]/g, '');
      row.appendChild(call);
    }
    var map = safeURL(office.map_url);
    if (map) {
      var link = el('a', 'action', MSG.map);
      link.href = map;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      row.appendChild(link);
    }
    return row.childNodes.length ? row : null;
  }

  // The sources, folded behind "Nguồn": the answer's sources line, then
  // each citation with its link and dates.
  function renderSources(answer) {
    var citations = answer.citations || [];
    if (!citations.length && !answer.footer) return null;
    var box = el('details', 'sources');
    box.appendChild(el('summary', '', MSG.sources));
    if (answer.footer) box.appendChild(el('p', 'sources-line', answer.footer));
    if (citations.length) {
      var list = el('ul', '');
      list.setAttribute('aria-label', MSG.sources);
      citations.forEach(function (c) { list.appendChild(renderCitation(c)); });
      box.appendChild(list);
    }
    return box;
  }

  function renderCitation(c) {
    var li = el('li', '');
    var title = c.title || c.legal_basis || '';
    var url = safeURL(c.url);
    if (url) {
      var link = el('a', '', title);
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      li.appendChild(link);
    } else {
      li.appendChild(document.createTextNode(title));
    }
    if (c.legal_basis && c.legal_basis !== title) {
      li.appendChild(document.createTextNode(' (' + c.legal_basis + ')'));
    }
    if (c.date) li.appendChild(document.createTextNode(' · ' + formatDate(c.date)));
    if (c.as_of) li.appendChild(document.createTextNode(' · ' + MSG.asOf + formatDate(c.as_of)));
    return li;
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

  function storedID() {
    try { return sessionStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  function storeID(id) {
    try {
      if (id) sessionStorage.setItem(STORAGE_KEY, id); else sessionStorage.removeItem(STORAGE_KEY);
    } catch (e) { /* private mode: keep the id in memory only */ }
  }

  var conversationID = storedID();
  if (conversationID) setTimeout(function () { listen(conversationID); }, 0);

  // post returns {status, data}; it throws an Error with a Vietnamese
  // message on network failure.
  async function post(url, body) {
    var res;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
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
    listen(conversationID);
    return conversationID;
  }

  // ---- live: staff replies and notices arrive without asking ----

  var stream = null;
  var seen = {};

  function listen(id) {
    if (!window.EventSource || !id) return;
    if (stream) stream.close();
    stream = new EventSource(API + '/' + encodeURIComponent(id) + '/events');
    stream.addEventListener('message', function (e) {
      var msg;
      try { msg = JSON.parse(e.data); } catch (err) { return; }
      if (!msg || seen[msg.id]) return;
      seen[msg.id] = true;
      var answer = msg.answer || { text: msg.text };
      answer.kind = msg.kind;
      answer.staff = msg.staff;
      clearReplies();
      addBot(answer);
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
      addBot(await deliver(body));
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
