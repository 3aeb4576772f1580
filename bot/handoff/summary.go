package handoff

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Summarizer writes a short summary of a conversation's transcript for the
// staff who take it over (bot/llm's Client, which masks the citizen's text
// before it leaves).
type Summarizer interface {
	Summarize(ctx context.Context, transcript string) (string, error)
}

// Limits of a model's summary; past them the template is kept.
const (
	maxSummaryLines     = 3
	maxSummaryLineRunes = 300
	transcriptMessages  = 20  // the last messages sent to the model
	transcriptLineRunes = 400 // each clipped to this
)

// errSummary is a model's summary that may not replace the template.
var errSummary = errors.New("model summary rejected")

// refineSummary asks the Summarizer, in the background and within
// SummaryTimeout, for a summary of h's conversation, and stores it in place
// of the template when it passes checkSummary. The template stays
// otherwise (model down, slow, or naming a unit the conversation does not).
func (d *Desk) refineSummary(ctx context.Context, h store.Handoff, st bot.State, template string) {
	if d.cfg.Summarizer == nil {
		return
	}
	ctx = context.WithoutCancel(ctx) // the citizen's request is answered meanwhile
	d.bg.Add(1)
	go func() {
		defer d.bg.Done()
		ctx, cancel := context.WithTimeout(ctx, d.cfg.SummaryTimeout)
		defer cancel()
		text, err := d.modelSummary(ctx, h.ConversationID, st, template)
		if err != nil {
			d.cfg.Logger.InfoContext(ctx, "handoff summary: template kept", "handoff", h.ID, "err", err)
			return
		}
		ok, err := d.st.SetSummary(ctx, h.ID, template, text)
		if err != nil {
			d.cfg.Logger.WarnContext(ctx, "handoff summary: store", "handoff", h.ID, "err", err)
			return
		}
		if ok {
			d.publish(live.Event{Kind: live.Summary, ConversationID: h.ConversationID, Unit: h.UnitCode, HandoffID: h.ID})
		}
	}()
}

// WaitSummaries waits for the summaries being written in the background
// (shutdown, tests).
func (d *Desk) WaitSummaries() { d.bg.Wait() }

// modelSummary asks the model and checks its answer.
func (d *Desk) modelSummary(ctx context.Context, convID string, st bot.State, template string) (string, error) {
	transcript, err := d.transcript(ctx, convID, template)
	if err != nil {
		return "", err
	}
	text, err := d.cfg.Summarizer.Summarize(ctx, transcript)
	if err != nil {
		return "", err
	}
	if err := d.checkSummary(text, template, st); err != nil {
		return "", err
	}
	return normalizeLines(text), nil
}

// transcript is what the model reads: the facts the bot established (the
// template) and the conversation's last messages, one per line.
func (d *Desk) transcript(ctx context.Context, convID, template string) (string, error) {
	msgs, err := d.st.Messages(ctx, convID, transcriptMessages)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("Thông tin bot đã xác định:\n" + template + "\n\nHội thoại:\n")
	for _, m := range msgs {
		text := clip(m.Text, transcriptLineRunes)
		if text == "" {
			continue
		}
		who := "Người dân"
		switch {
		case m.Direction == store.DirectionOut && m.AuthorID != 0:
			who = "Cán bộ"
		case m.Direction == store.DirectionOut:
			who = "Hỏi Phường"
		}
		fmt.Fprintf(&b, "%s: %s\n", who, text)
	}
	return b.String(), nil
}

// unitMention finds a unit named with its type ("Phường Sài Gòn", "xã Tân
// Thới Nhì", "P.5", "quận 3"): the type, then capitalised words or numbers.
var unitMention = regexp.MustCompile(`(?:^|[^\p{L}\d])((?i:phường|xã|quận|huyện|thị trấn|thị xã|đặc khu|p\.|q\.))\s*((?:[\p{Lu}\d][\p{L}\d]*)(?:[ \t]+[\p{Lu}\d][\p{L}\d]*)*)`)

// checkSummary accepts a model's summary of one to three short lines that
// names no unit the template summary and the conversation's state do not:
// staff must never be sent to a ward the bot did not establish.
func (d *Desk) checkSummary(text, template string, st bot.State) error {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if text = normalizeLines(text); text == "" {
		return fmt.Errorf("%w: empty", errSummary)
	}
	if len(lines) > maxSummaryLines {
		return fmt.Errorf("%w: %d lines", errSummary, len(lines))
	}
	for _, l := range lines {
		if utf8.RuneCountInString(l) > maxSummaryLineRunes {
			return fmt.Errorf("%w: a line of %d characters", errSummary, utf8.RuneCountInString(l))
		}
	}
	known := []string{template, st.OldPlace}
	if st.Unit != nil {
		known = append(known, st.Unit.Name)
	}
	for _, c := range st.Candidates {
		known = append(known, c.Name)
	}
	allowed := " " + names.Fold(strings.Join(known, " | ")) + " "
	has := func(name string) bool { return strings.Contains(allowed, " "+names.Fold(name)+" ") }
	folded := " " + names.Fold(text) + " "
	for _, u := range d.cfg.Catalog.Units() {
		if strings.Contains(folded, " "+names.Fold(u.Name)+" ") && !has(u.Name) {
			return fmt.Errorf("%w: names %s", errSummary, u.Name)
		}
	}
	for _, m := range unitMention.FindAllStringSubmatch(text, -1) {
		prefix := strings.ToLower(m[1])
		switch prefix {
		case "p.":
			prefix = "phường"
		case "q.":
			prefix = "quận"
		}
		if mention := prefix + " " + m[2]; !has(mention) {
			return fmt.Errorf("%w: names %q", errSummary, mention)
		}
	}
	return nil
}

// normalizeLines trims every line and drops empty ones.
func normalizeLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
