package chat

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// createMessage handles POST /api/v1/conversations/{id}/messages: it
// validates the body completely, then hands one bot.Message to the engine and
// writes the bot.Answer exactly as it marshals.
func (a *API) createMessage(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "id")
	if !validConversationID(id) {
		return errConversationNotFound(nil)
	}
	var req messageRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := req.Validate(a.maxRunes); err != nil {
		return err
	}
	answer, err := a.conv.Handle(r.Context(), req.Message(id, a.now()))
	if err != nil {
		return engineError(fmt.Errorf("handle message: %w", err))
	}
	return jsonapi.WriteJSON(w, http.StatusOK, answer)
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
