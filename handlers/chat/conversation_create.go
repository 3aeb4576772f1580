package chat

import (
	"fmt"
	"net/http"

	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
)

// createConversation handles POST /api/v1/conversations: it opens a web
// conversation and returns its id and secret token (also set as an
// HttpOnly cookie for the page's event stream). The request body, if any,
// is ignored.
func (a *API) createConversation(w http.ResponseWriter, r *http.Request) error {
	if err := a.limit(w, a.opens, r); err != nil {
		return err
	}
	s, err := a.chats.Open(r.Context())
	if err != nil {
		return engineError(fmt.Errorf("start conversation: %w", err))
	}
	setTokenCookie(w, r, s.ID, s.Token)
	w.Header().Set("Location", r.URL.Path+"/"+s.ID)
	w.Header().Set("Cache-Control", "no-store")
	return jsonapi.WriteJSON(w, http.StatusCreated, s)
}

// limit takes a token of l for the request's client address, or answers
// 429 with Retry-After.
func (a *API) limit(w http.ResponseWriter, l *ratelimit.Limiter, r *http.Request) error {
	ok, wait, err := l.Allow(r.Context(), a.clients.Key(r))
	if err != nil { // decided on this gateway's own count
		a.logger.Warn("chat: rate limit", "err", err)
	}
	if ok {
		return nil
	}
	return errRateLimited(w, wait)
}
