package chat

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/webchat"
)

// tokenCookie carries "id.token" of the page's conversation, HttpOnly: the
// page's script never handles the token, and EventSource sends it.
const tokenCookie = "hp_chat"

// tokenLifetime is how long the page's cookie keeps its conversation.
const tokenLifetime = 30 * 24 * time.Hour

func setTokenCookie(w http.ResponseWriter, r *http.Request, id, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: tokenCookie, Value: id + "." + token, Path: "/api/v1/conversations",
		MaxAge: int(tokenLifetime / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
	})
}

// requestToken is the conversation token of the request: the
// Authorization bearer token, else the cookie when it names conversation id.
func requestToken(r *http.Request, id string) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		return ""
	}
	if c, err := r.Cookie(tokenCookie); err == nil {
		if cid, token, ok := strings.Cut(c.Value, "."); ok && cid == id {
			return token
		}
	}
	return ""
}

// authorize checks the {id} of the route and the request's token; it
// returns the id.
func (a *API) authorize(r *http.Request) (string, error) {
	id := chi.URLParam(r, "id")
	if !validConversationID(id) {
		return "", errConversationNotFound(nil)
	}
	token := requestToken(r, id)
	if token == "" {
		return "", errNoToken()
	}
	err := a.chats.Authorize(r.Context(), id, token)
	if errors.Is(err, webchat.ErrUnauthorized) {
		// The same answer as an unknown id: a wrong token learns nothing.
		return "", errConversationNotFound(err)
	}
	if err != nil {
		return "", engineError(err)
	}
	return id, nil
}
