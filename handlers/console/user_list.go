package console

import (
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// usersData is what users.html shows.
type usersData struct {
	Users []staff.User
	Roles []roleOption
	Draft userForm
}

// roleOption is one role of the select.
type roleOption struct {
	Value staff.Role
	Name  string
}

var roles = []roleOption{
	{staff.RoleStaff, staffpage.RoleName(staff.RoleStaff)},
	{staff.RoleSupervisor, staffpage.RoleName(staff.RoleSupervisor)},
	{staff.RoleCityAdmin, staffpage.RoleName(staff.RoleCityAdmin)},
	{staff.RoleEditor, staffpage.RoleName(staff.RoleEditor)},
}

// userList handles GET /console/users (city admins): every user, and the
// form to create one.
func (c *Console) userList(w http.ResponseWriter, r *http.Request) {
	p, err := c.usersPage(r, userForm{Role: string(staff.RoleStaff)})
	if err != nil {
		c.fail(w, r, err, "")
		return
	}
	c.render(w, r, http.StatusOK, "users.html", p)
}

func (c *Console) usersPage(r *http.Request, draft userForm) (page, error) {
	us, err := c.staff.List(r.Context())
	if err != nil {
		return page{}, err
	}
	draft.Password = "" // never echoed back
	return c.newPage(r, "Người dùng", "users", usersData{Users: us, Roles: roles, Draft: draft}), nil
}
