package chat

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/bot"
)

// messageRequest is the body of POST .../messages: either a text or a pin,
// and the client's id for the message (sent again with a retry, it gets the
// first answer instead of a second one).
type messageRequest struct {
	Text            *string  `json:"text"`
	Lat             *float64 `json:"lat"`
	Lon             *float64 `json:"lon"`
	ClientMessageID string   `json:"client_message_id"`
}

// maxClientMessageID bounds the client's message id.
const maxClientMessageID = 64

// Validate normalises the text (invalid UTF-8 becomes U+FFFD, surrounding
// white space is dropped) and checks that the request is exactly one
// acceptable text or one possible pin. A blank text next to a pin counts as
// no text.
func (m *messageRequest) Validate(maxRunes int) error {
	if !validClientMessageID(m.ClientMessageID) {
		return errInvalidMessageID()
	}
	text := ""
	if m.Text != nil {
		text = strings.TrimFunc(strings.ToValidUTF8(*m.Text, "\uFFFD"), unicode.IsSpace)
		m.Text = &text
	}
	hasPin := m.Lat != nil || m.Lon != nil
	switch {
	case hasPin && text != "":
		return errTextAndLocation()
	case hasPin:
		if m.Lat == nil || m.Lon == nil || !m.location().Valid() {
			return errInvalidLocation()
		}
		return nil
	case text == "":
		return errEmptyText()
	case utf8.RuneCountInString(text) > maxRunes:
		return errTextTooLong(maxRunes)
	}
	return nil
}

// Message returns the validated request as the engine's message.
func (m *messageRequest) Message(conversationID string, at time.Time) bot.Message {
	msg := bot.Message{ConversationID: conversationID, Channel: Channel, At: at}
	if m.Lat != nil && m.Lon != nil {
		loc := m.location()
		msg.Location = &loc
		return msg
	}
	msg.Text = *m.Text
	return msg
}

func (m *messageRequest) location() bot.Location {
	return bot.Location{Lat: *m.Lat, Lon: *m.Lon}
}

// validClientMessageID accepts "" (none) or up to 64 letters, digits and
// - _ . : (UUIDs, ULIDs, counters).
func validClientMessageID(id string) bool {
	return id == "" || len(id) <= maxClientMessageID && validConversationID(id)
}
