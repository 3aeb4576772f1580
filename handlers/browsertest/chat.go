package browsertest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChatState is what a test reads back from the chat page (handlers/web).
type ChatState struct {
	BotTurns    int      `json:"botTurns"`
	Typing      bool     `json:"typing"`
	LastBot     string   `json:"lastBot"`     // the last bot bubble's text
	LastBotHTML string   `json:"lastBotHTML"` // the last bot turn's markup
	LastMine    string   `json:"lastMine"`
	MineFailed  bool     `json:"mineFailed"`
	Units       []string `json:"units"`       // candidate units of the last bot turn
	Sources     []string `json:"sources"`     // the sources named in the last bot turn's sources line
	SourcesLine string   `json:"sourcesLine"` // that line (one per answer)
	SourcesOpen bool     `json:"sourcesOpen"` // the fold that holds it is open
	SourceLines int      `json:"sourceLines"` // sources lines in the last bot turn
	Folded      bool     `json:"folded"`      // the last bot turn shows its lead and folds the rest
	Details     string   `json:"details"`     // the folded rest of its text
	Summary     string   `json:"summary"`     // the fold's visible label
	Shown       int      `json:"shown"`       // characters of the last bot turn on screen (quick replies aside)
	Degraded    bool     `json:"degraded"`
	Replies     []string `json:"replies"` // quick replies on the page
	Phone       string   `json:"phone"`
	Map         string   `json:"map"` // the office's map link of the last bot turn
	Input       string   `json:"input"`
	Injected    int      `json:"injected"` // script/img elements inside the message list
	// Transcript is every turn, "me: …" or "bot: …" (a bot turn's bubble).
	Transcript  []string `json:"transcript"`
	SentToStaff int      `json:"sentToStaff"` // citizen turns marked "Đã gửi tới cán bộ"
	// Ticket is the ticket bar's text ("" when hidden); TicketAction its button.
	Ticket       string `json:"ticket"`
	TicketAction string `json:"ticketAction"`
	Stored       string `json:"stored"` // the conversation id the page keeps (localStorage)
}

const readChat = `(() => {
  const bots = document.querySelectorAll('#messages .turn.bot');
  const last = bots[bots.length - 1];
  const mine = document.querySelectorAll('#messages .turn.me');
  const lastMine = mine[mine.length - 1];
  const texts = (root, sel) => root ? Array.from(root.querySelectorAll(sel), e => e.textContent) : [];
  const phone = last && last.querySelector('.office a[href^="tel:"]');
  const map = last && last.querySelector('.office a[target]');
  const line = last && last.querySelector('.sources-line');
  const fold = line && line.closest('details');
  const more = last && last.querySelector('details.more');
  const rest = last && last.querySelector('.more .rest');
  const replies = last && last.querySelector('.replies');
  const ticket = document.getElementById('ticket');
  return {
    botTurns: bots.length,
    typing: !document.getElementById('typing').hidden,
    lastBot: last ? last.querySelector('.bubble').textContent : '',
    lastBotHTML: last ? last.innerHTML : '',
    lastMine: lastMine ? lastMine.querySelector('.bubble').textContent : '',
    mineFailed: !!lastMine && lastMine.classList.contains('failed'),
    units: texts(last, '.units li'),
    sources: texts(last, '.sources-line .source'),
    sourcesLine: line ? line.textContent : '',
    sourcesOpen: !!(fold && fold.open),
    sourceLines: last ? last.querySelectorAll('.sources-line').length : 0,
    folded: !!rest,
    details: rest ? rest.textContent : '',
    summary: more ? more.querySelector('summary').innerText.trim() : '',
    shown: last ? last.innerText.length - (replies ? replies.innerText.length : 0) : 0,
    degraded: !!(last && last.querySelector('.degraded')),
    replies: texts(document, '#messages .reply'),
    phone: phone ? phone.getAttribute('href') : '',
    map: map ? map.getAttribute('href') : '',
    input: document.getElementById('text').value,
    injected: document.querySelectorAll('#messages script, #messages img').length,
    transcript: Array.from(document.querySelectorAll('#messages .turn'), t =>
      (t.classList.contains('me') ? 'me: ' : 'bot: ') + (t.querySelector('.bubble') ? t.querySelector('.bubble').textContent : '')),
    sentToStaff: document.querySelectorAll('#messages .turn.me .status-note.sent').length,
    ticket: ticket && !ticket.hidden ? ticket.querySelector('.ticket-text').innerText.replace(/\s+/g, ' ').trim() : '',
    ticketAction: ticket && !ticket.hidden && !document.getElementById('ticket-action').hidden ? document.getElementById('ticket-action').textContent : '',
    stored: localStorage.getItem('hoiphuong.conversation') || '',
  };
})()`

// ReadChat reads the chat page's state.
func ReadChat(t testing.TB, ctx context.Context) ChatState {
	t.Helper()
	return Run(t, ctx, chromedp.Evaluate[ChatState](readChat))
}

// WaitBotTurns waits (up to 10 s) until the chat page shows exactly n bot
// turns and is no longer typing, and returns its state.
func WaitBotTurns(t testing.TB, ctx context.Context, n int) ChatState {
	t.Helper()
	cond := `document.querySelectorAll('#messages .turn.bot').length >= ` + strconv.Itoa(n) +
		` && document.getElementById('typing').hidden`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		st, _ := chromedp.Run(ctx, chromedp.Evaluate[ChatState](readChat))
		t.Fatalf("waiting for %d bot turns: %v; page: %+v", n, err, st)
	}
	st := ReadChat(t, ctx)
	if st.BotTurns != n {
		t.Fatalf("bot turns = %d, want %d", st.BotTurns, n)
	}
	return st
}

// Layout lists what a thumb on a phone would trip on.
type Layout struct {
	ScrollWidth     int      `json:"scrollWidth"`
	InnerWidth      int      `json:"innerWidth"`
	SmallTargets    []string `json:"smallTargets"` // visible controls under 44×44 px (links inline in text and the sources line excepted)
	Heading         string   `json:"heading"`
	ComposerVisible bool     `json:"composerVisible"`
}

const readLayout = `(() => {
  const small = [];
  for (const el of document.querySelectorAll('button, textarea, a')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || el.closest('.sources-line') || el.closest('.bubble') || el.closest('.rest')) continue; // hidden, or links inline in text
    if (r.width < 44 || r.height < 44) small.push((el.id || el.className || el.tagName) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  const c = document.getElementById('composer').getBoundingClientRect();
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    smallTargets: small,
    heading: document.querySelector('h1').textContent,
    composerVisible: c.bottom <= window.innerHeight + 1 && c.top >= 0,
  };
})()`

// ReadLayout measures the chat page's layout.
func ReadLayout(t testing.TB, ctx context.Context) Layout {
	t.Helper()
	return Run(t, ctx, chromedp.Evaluate[Layout](readLayout))
}
