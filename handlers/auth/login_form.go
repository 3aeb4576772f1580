package auth

import "net/http"

// loginForm handles GET /login: the form, or straight on to next when the
// browser already has a live session.
func (a *Auth) loginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := a.session(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	a.writeLogin(w, r, http.StatusOK, loginData{CSRF: a.loginCSRF(w, r), Next: next})
}
