package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// maxLoginForm bounds the login form's body.
const maxLoginForm = 8 << 10

// clockTime is t as HH:MM in Vietnam (Asia/Ho_Chi_Minh: UTC+7, no DST),
// rounded up to the minute so that the time shown is never too early.
func clockTime(t time.Time) string {
	t = t.In(time.FixedZone("ICT", 7*60*60))
	if m := t.Truncate(time.Minute); !m.Equal(t) {
		t = m.Add(time.Minute)
	}
	return t.Format("15:04")
}

// loginRequest is the parsed POST /login.
type loginRequest struct {
	username, password, next, csrf string
}

func parseLogin(r *http.Request) loginRequest {
	return loginRequest{
		username: strings.TrimSpace(r.PostFormValue("username")),
		password: r.PostFormValue("password"),
		next:     safeNext(r.PostFormValue("next")),
		csrf:     r.PostFormValue(csrfField),
	}
}

// loginSubmit handles POST /login: checks the form's double-submit CSRF
// token, then the credentials; on success sets the session cookie and
// sends the browser to next (303).
func (a *Auth) loginSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	req := parseLogin(r)
	form := loginData{Next: req.next, Username: req.username}

	cookie, err := r.Cookie(loginCSRFCookie)
	if err != nil || !tokensEqual(req.csrf, cookie.Value) {
		a.logger.WarnContext(ctx, "staff login: csrf token missing or wrong")
		form.CSRF, form.Error = a.newLoginCSRF(w), msgLoginExpired
		a.writeLogin(w, r, http.StatusForbidden, form)
		return
	}
	form.CSRF = cookie.Value
	if req.username == "" || req.password == "" {
		form.Error = msgMissingFields
		a.writeLogin(w, r, http.StatusBadRequest, form)
		return
	}

	s, err := a.sessions.LoginFrom(ctx, req.username, req.password, a.clients.Key(r))
	var locked *staff.LockedError
	switch {
	case err == nil:
	case errors.As(err, &locked):
		a.logger.WarnContext(ctx, "staff login: account locked", "username", req.username, "until", locked.Until)
		form.Error = fmt.Sprintf(msgLocked, clockTime(locked.Until))
		a.writeLogin(w, r, http.StatusTooManyRequests, form)
		return
	case errors.Is(err, staff.ErrLocked):
		form.Error = fmt.Sprintf(msgLocked, "ít phút")
		a.writeLogin(w, r, http.StatusTooManyRequests, form)
		return
	case errors.Is(err, staff.ErrBadCredentials):
		a.logger.InfoContext(ctx, "staff login: bad credentials")
		form.Error = msgBadCredentials
		a.writeLogin(w, r, http.StatusUnauthorized, form)
		return
	default:
		a.logger.ErrorContext(ctx, "staff login", "err", err)
		writeMessage(w, http.StatusInternalServerError, a.style.url, msgInternal)
		return
	}

	a.logger.InfoContext(ctx, "staff login", "user_id", s.User.ID, "username", s.User.Username, "role", string(s.User.Role))
	a.clearLoginCSRF(w)
	a.setSessionCookie(w, s.Token)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, req.next, http.StatusSeeOther)
}
