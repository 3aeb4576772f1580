package console

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

const (
	msgSelfDisable    = "Bạn không thể tự khoá tài khoản của mình."
	msgPasswordLength = "Mật khẩu mới cần ít nhất 10 ký tự."
)

// userDisable handles POST /console/users/{userID}/disable: the user can
// no longer log in; their sessions end.
func (c *Console) userDisable(w http.ResponseWriter, r *http.Request) { c.setDisabled(w, r, true) }

// userEnable handles POST /console/users/{userID}/enable.
func (c *Console) userEnable(w http.ResponseWriter, r *http.Request) { c.setDisabled(w, r, false) }

func (c *Console) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	ctx := r.Context()
	id, err := userID(r)
	if err == nil && disabled && id == user(r).ID {
		err = errInvalidForm
	}
	var u staff.User
	if err == nil {
		u, err = c.staff.Get(ctx, id)
	}
	if err == nil {
		err = c.staff.Update(ctx, id, staff.UserUpdate{Name: u.Name, Role: u.Role, Units: u.Units,
			MaxChats: u.MaxChats, Disabled: disabled})
	}
	if err != nil {
		c.formFailed(w, r, err, msgSelfDisable, "users.html", func() (page, error) { return c.usersPage(r, userForm{}) })
		return
	}
	c.logger.InfoContext(ctx, "console: user updated", "user_id", user(r).ID, "target", id, "disabled", disabled)
	ok := "enable"
	if disabled {
		ok = "disable"
	}
	staffpage.Redirect(w, r, basePath+"/users", ok)
}

// userPassword handles POST /console/users/{userID}/password: a new
// initial password; the user's sessions end.
func (c *Console) userPassword(w http.ResponseWriter, r *http.Request) {
	id, err := userID(r)
	if err == nil {
		err = c.staff.SetPassword(r.Context(), id, r.PostFormValue("password"))
	}
	if err != nil {
		c.formFailed(w, r, err, msgPasswordLength, "users.html", func() (page, error) { return c.usersPage(r, userForm{}) })
		return
	}
	c.logger.InfoContext(r.Context(), "console: password reset", "user_id", user(r).ID, "target", id)
	staffpage.Redirect(w, r, basePath+"/users", "password")
}

func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return 0, staff.ErrNotFound
	}
	return id, nil
}
