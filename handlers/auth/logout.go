package auth

import (
	"errors"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// logout handles POST /logout: ends the session (its CSRF token required),
// clears the cookie and shows the login page. Without a live session it
// just clears the cookie.
func (a *Auth) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s, err := a.session(r)
	switch {
	case errors.Is(err, staff.ErrNoSession):
	case err != nil:
		a.logger.ErrorContext(ctx, "logout: load staff session", "err", err)
		a.refuse(w, r, http.StatusInternalServerError, jsonapi.CodeInternal, msgInternal)
		return
	case !tokensEqual(logoutCSRF(r), s.CSRF):
		a.logger.WarnContext(ctx, "logout: csrf token missing or wrong", "user_id", s.User.ID)
		a.refuse(w, r, http.StatusForbidden, CodeCSRF, msgBadCSRF)
		return
	default:
		if err := a.sessions.Logout(ctx, s.Token); err != nil {
			a.logger.ErrorContext(ctx, "logout", "user_id", s.User.ID, "err", err)
			a.refuse(w, r, http.StatusInternalServerError, jsonapi.CodeInternal, msgInternal)
			return
		}
		a.logger.InfoContext(ctx, "staff logout", "user_id", s.User.ID, "username", s.User.Username)
	}
	a.clearSessionCookie(w)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, loginPath, http.StatusSeeOther)
}

// logoutCSRF is the logout's CSRF token; a form that cannot be read has
// none (refused like a wrong one).
func logoutCSRF(r *http.Request) string {
	token, _ := requestCSRF(r)
	return token
}
