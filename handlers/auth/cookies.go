package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"time"
)

// Paths and cookie names. The routes are mounted at consolePath.
const (
	consolePath = "/console"
	loginPath   = consolePath + "/login"

	sessionCookie = "hp_session"
	// loginCSRFCookie is the pre-session double-submit token of the login form.
	loginCSRFCookie = "hp_login_csrf"
	loginCSRFMaxAge = 2 * time.Hour

	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// setSessionCookie sets the session cookie: a browser-session cookie (gone
// when the browser closes); the server ends idle sessions itself.
func (a *Auth) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: consolePath,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

func (a *Auth) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: consolePath, MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

// loginCSRF returns the login form's token: the one in the request's
// cookie when well formed, else a new one, set as a cookie on w.
func (a *Auth) loginCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(loginCSRFCookie); err == nil && wellFormedToken(c.Value) {
		return c.Value
	}
	return a.newLoginCSRF(w)
}

// newLoginCSRF sets a new login form token as a cookie on w and returns it.
func (a *Auth) newLoginCSRF(w http.ResponseWriter) string {
	tok := newToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: tok, Path: loginPath,
		Expires: a.now().Add(loginCSRFMaxAge), MaxAge: int(loginCSRFMaxAge.Seconds()),
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteStrictMode})
	return tok
}

func (a *Auth) clearLoginCSRF(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: loginPath, MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteStrictMode})
}

// newToken returns 32 random bytes, base64url without padding.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func wellFormedToken(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// tokensEqual compares two tokens in constant time; empty never matches.
func tokensEqual(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
