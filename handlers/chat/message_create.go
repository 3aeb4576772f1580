package chat

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/webchat"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// pendingResponse is the body of a 202: the message is stored and will be
// answered; sending it again with the same client_message_id returns the
// answer.
type pendingResponse struct {
	Pending         bool   `json:"pending"`
	MessageID       int64  `json:"message_id"`
	ClientMessageID string `json:"client_message_id,omitempty"`
}

// createMessage handles POST /api/v1/conversations/{id}/messages: it
// checks the conversation's token, validates the body completely, then
// hands one message to the web chat channel (durable, idempotent on
// client_message_id or the Idempotency-Key header) and writes the stored
// bot.Answer exactly as it marshals.
func (a *API) createMessage(w http.ResponseWriter, r *http.Request) error {
	if err := a.limit(w, a.messages, r); err != nil {
		return err
	}
	id, err := a.authorize(r)
	if err != nil {
		return err
	}
	var req messageRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.ClientMessageID == "" {
		req.ClientMessageID = r.Header.Get("Idempotency-Key")
	}
	if err := req.Validate(a.maxRunes); err != nil {
		return err
	}
	reply, err := a.chats.Send(r.Context(), id, req.ClientMessageID, req.Message(id, a.now()))
	var flood *webchat.FloodError
	if errors.As(err, &flood) {
		return errFlood(w, flood.RetryAfter)
	}
	if err != nil {
		return engineError(fmt.Errorf("handle message: %w", err))
	}
	w.Header().Set("Cache-Control", "no-store")
	if reply.Pending {
		w.Header().Set("Retry-After", "2")
		return jsonapi.WriteJSON(w, http.StatusAccepted, pendingResponse{Pending: true, MessageID: reply.MessageID, ClientMessageID: req.ClientMessageID})
	}
	if reply.Duplicate {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	return jsonapi.WriteJSON(w, http.StatusOK, reply.Answer)
}

// validConversationID rejects ids no engine would issue (too long, odd
// bytes) without asking the engine.
func validConversationID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}
