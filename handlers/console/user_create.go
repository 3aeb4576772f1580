package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

const msgUserInvalid = "Thông tin người dùng chưa hợp lệ: tên đăng nhập 3–40 ký tự a-z, 0-9, . _ -; họ tên bắt buộc; cán bộ và phụ trách cần ít nhất một mã đơn vị (5 chữ số hoặc city); số cuộc tối đa 1–50; mật khẩu ít nhất 10 ký tự."

// userForm is a new user as typed.
type userForm struct {
	Username, Name, Role, Units, MaxChats, Password string
}

// NewUser converts the form (the directory checks the values).
func (f userForm) NewUser() (staff.NewUser, error) {
	nu := staff.NewUser{Username: f.Username, Name: f.Name, Role: staff.Role(f.Role), Password: f.Password}
	for _, u := range strings.Split(f.Units, ",") {
		if u = strings.TrimSpace(u); u != "" {
			nu.Units = append(nu.Units, u)
		}
	}
	if s := strings.TrimSpace(f.MaxChats); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nu, errInvalidForm
		}
		nu.MaxChats = n
	}
	return nu, nil
}

// userCreate handles POST /console/users (city admins).
func (c *Console) userCreate(w http.ResponseWriter, r *http.Request) {
	f := userForm{Username: r.PostFormValue("username"), Name: r.PostFormValue("name"), Role: r.PostFormValue("role"),
		Units: r.PostFormValue("units"), MaxChats: r.PostFormValue("max_chats"), Password: r.PostFormValue("password")}
	nu, err := f.NewUser()
	if err == nil {
		var created staff.User
		if created, err = c.staff.Create(r.Context(), nu); err == nil {
			c.logger.InfoContext(r.Context(), "console: user created", "user_id", user(r).ID, "created", created.ID)
			staffpage.Redirect(w, r, basePath+"/users", "user")
			return
		}
	}
	c.formFailed(w, r, err, msgUserInvalid, "users.html", func() (page, error) { return c.usersPage(r, f) })
}
