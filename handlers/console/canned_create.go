package console

import (
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

const msgCannedInvalid = "Trả lời mẫu cần tiêu đề (tối đa 80 ký tự) và nội dung (tối đa 2000 ký tự)."

// cannedForm is a new canned reply.
type cannedForm struct {
	Unit, Title, Text string
}

func (f cannedForm) Validate() error {
	t, x := len([]rune(strings.TrimSpace(f.Title))), len([]rune(strings.TrimSpace(f.Text)))
	if f.Unit == "" || t == 0 || t > 80 || x == 0 || x > 2000 {
		return errInvalidForm
	}
	return nil
}

// cannedCreate handles POST /console/canned (supervisors of the unit and
// city admins; staff 403, another unit 404).
func (c *Console) cannedCreate(w http.ResponseWriter, r *http.Request) {
	f := cannedForm{Unit: r.PostFormValue("unit"), Title: r.PostFormValue("title"), Text: r.PostFormValue("text")}
	err := f.Validate()
	if err == nil {
		err = c.desk.AddCanned(r.Context(), user(r), f.Unit, f.Title, f.Text)
	}
	if err == nil {
		staffpage.Redirect(w, r, basePath+"/canned", "canned")
		return
	}
	c.formFailed(w, r, err, msgCannedInvalid, "canned.html", func() (page, error) { return c.cannedPage(r, f) })
}
