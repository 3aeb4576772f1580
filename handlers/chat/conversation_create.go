package chat

import (
	"fmt"
	"net/http"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// conversationResponse is the body of a created conversation.
type conversationResponse struct {
	ID string `json:"id"`
}

// createConversation handles POST /api/v1/conversations. The request body,
// if any, is ignored.
func (a *API) createConversation(w http.ResponseWriter, r *http.Request) error {
	id, err := a.conv.Start(r.Context(), Channel)
	if err != nil {
		return engineError(fmt.Errorf("start conversation: %w", err))
	}
	w.Header().Set("Location", r.URL.Path+"/"+id)
	return jsonapi.WriteJSON(w, http.StatusCreated, conversationResponse{ID: id})
}
