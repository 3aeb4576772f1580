package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

const msgUserInvalid = "Thông tin người dùng chưa hợp lệ: tên đăng nhập 3–40 ký tự a-z, 0-9, . _ -; họ tên bắt buộc; cán bộ và phụ trách cần ít nhất một mã đơn vị mới (5 chữ số hoặc city); số cuộc tối đa 1–50; mật khẩu ít nhất 10 ký tự."

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
	invalid := msgUserInvalid
	if uce := (*knowledge.UnitCodeError)(nil); errors.As(err, &uce) {
		invalid = unitCodeMessage(uce)
	}
	c.formFailed(w, r, err, invalid, "users.html", func() (page, error) { return c.usersPage(r, f) })
}

// unitCodeMessage says which unit code was refused and why: an old code
// with the new unit(s) it became, another province's unit, no unit.
func unitCodeMessage(e *knowledge.UnitCodeError) string {
	switch {
	case e.Elsewhere != nil:
		return fmt.Sprintf("Mã đơn vị %s là %s, %s, không thuộc Thành phố Hồ Chí Minh.", e.Code, e.Elsewhere.Name, e.Elsewhere.Province)
	case e.Old && len(e.Now) > 0:
		now := make([]string, len(e.Now))
		for i, t := range e.Now {
			now[i] = t.Name + " (mã " + t.Code + ")"
		}
		return fmt.Sprintf("Mã %s là mã %s cũ (%s, trước ngày 1/7/2025); nay thuộc %s. Hãy nhập mã đơn vị mới.",
			e.Code, oldUnitType(e.OldType), e.OldName, strings.Join(now, ", "))
	case e.Old:
		return fmt.Sprintf("Mã %s là mã %s cũ (%s, %s, trước ngày 1/7/2025), không thuộc Thành phố Hồ Chí Minh.",
			e.Code, oldUnitType(e.OldType), e.OldName, e.OldProvince)
	}
	return fmt.Sprintf("Mã đơn vị %s không phải mã phường, xã, đặc khu nào của Thành phố Hồ Chí Minh (sau ngày 1/7/2025).", e.Code)
}

func oldUnitType(t string) string {
	switch t {
	case "phuong":
		return "phường"
	case "thi_tran":
		return "thị trấn"
	}
	return "xã"
}
