package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// Error codes of the JSON answers given to scripts.
const (
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	CodeCSRF         = "csrf_invalid"
)

// Require lets through only requests with a live session (cookie
// hp_session) and puts the session in the request's context (UserFrom,
// CSRFFrom). Without one, a GET or HEAD is sent to the login page (303,
// coming back afterwards) and anything else gets 401. Unsafe methods
// (POST, PUT, PATCH, DELETE) must also carry the session's CSRF token in
// the form field "csrf" or the header X-CSRF-Token, else 403.
func (a *Auth) Require(next http.Handler) http.Handler { return a.require(next, nil) }

// RequireOr is Require for routes that take uploads, behind a body limit
// (http.MaxBytesReader) set before it: when the form cannot be read for
// the CSRF token because the body is over that limit, tooLarge answers
// (with the session in the context) instead of Require's 413 page.
// Nothing of the request was read, its CSRF token unchecked: tooLarge
// only shows a page, and must do its own role check.
func (a *Auth) RequireOr(tooLarge http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler { return a.require(next, tooLarge) }
}

func (a *Auth) require(next http.Handler, tooLarge http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		s, err := a.session(r)
		if errors.Is(err, staff.ErrNoSession) {
			if _, cerr := r.Cookie(sessionCookie); cerr == nil {
				a.clearSessionCookie(w)
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, loginURL(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			a.refuse(w, r, http.StatusUnauthorized, CodeUnauthorized, msgUnauthorized)
			return
		}
		if err != nil {
			a.logger.ErrorContext(ctx, "load staff session", "err", err)
			a.refuse(w, r, http.StatusInternalServerError, jsonapi.CodeInternal, msgInternal)
			return
		}
		if unsafeMethod(r.Method) {
			token, err := requestCSRF(r)
			if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
				a.logger.InfoContext(ctx, "request body over the limit", "user_id", s.User.ID, "path", r.URL.Path, "limit", tooBig.Limit)
				if tooLarge != nil {
					tooLarge.ServeHTTP(w, r.WithContext(withSession(ctx, s)))
					return
				}
				a.refuse(w, r, http.StatusRequestEntityTooLarge, jsonapi.CodeBodyTooLarge, msgTooLarge)
				return
			}
			if !tokensEqual(token, s.CSRF) {
				a.logger.WarnContext(ctx, "csrf token missing or wrong", "user_id", s.User.ID, "method", r.Method, "path", r.URL.Path)
				a.refuse(w, r, http.StatusForbidden, CodeCSRF, msgBadCSRF)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(withSession(ctx, s)))
	})
}

// RequireRole lets through only users for whom check is true (e.g.
// staff.User.CanReassign); others get 403 with a short Vietnamese page. It
// goes inside Require.
func RequireRole(check func(staff.User) bool) func(http.Handler) http.Handler {
	styleURL := loadStyle().url
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, ok := UserFrom(r.Context()); !ok || !check(u) {
				if wantsJSON(r) {
					jsonapi.WriteError(w, http.StatusForbidden, CodeForbidden, msgForbidden)
					return
				}
				writeMessage(w, http.StatusForbidden, styleURL, msgForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// session loads the session of the request's cookie; staff.ErrNoSession
// when there is none.
func (a *Auth) session(r *http.Request) (staff.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return staff.Session{}, staff.ErrNoSession
	}
	return a.sessions.Session(r.Context(), c.Value)
}

// refuse answers a refused request: JSON for scripts, a page for people.
func (a *Auth) refuse(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if wantsJSON(r) {
		w.Header().Set("Cache-Control", "no-store")
		jsonapi.WriteError(w, status, code, msg)
		return
	}
	writeMessage(w, status, a.style.url, msg)
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// requestCSRF is the CSRF token sent with r: the header, else the form
// field (the form is read, a multipart one too: err says why it could
// not be, a *http.MaxBytesError for a body over its limit).
func requestCSRF(r *http.Request) (string, error) {
	if v := r.Header.Get(csrfHeader); v != "" {
		return v, nil
	}
	if err := r.ParseForm(); err != nil { // a urlencoded body
		return "", err
	}
	if err := r.ParseMultipartForm(maxFormMemory); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return "", err
	}
	return r.PostFormValue(csrfField), nil
}

// maxFormMemory is how much of a multipart form is kept in memory (the
// rest goes to temporary files): net/http's default.
const maxFormMemory = 32 << 20

// wantsJSON reports whether r comes from a script expecting JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
}
