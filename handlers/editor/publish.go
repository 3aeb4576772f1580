package editor

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// publishForm is the publish form: a changelog and the date the facts
// were checked.
type publishForm struct {
	Changelog, AsOf string
}

// Validate checks the form and returns the as-of date.
func (f publishForm) Validate() (time.Time, string) {
	n := utf8.RuneCountInString(strings.TrimSpace(f.Changelog))
	if n == 0 || n > 2000 {
		return time.Time{}, "Hãy ghi tóm tắt thay đổi (tối đa 2000 ký tự) để người khác biết phiên bản này sửa gì."
	}
	asOf, err := time.Parse("2006-01-02", strings.TrimSpace(f.AsOf))
	if err != nil {
		return time.Time{}, "Ngày cập nhật phải là một ngày hợp lệ (năm-tháng-ngày)."
	}
	return asOf, ""
}

// publish handles POST /publish: the draft becomes the next version.
// Another editor having published (or publishing) the draft is a clear
// message, not an error page.
func (e *Editor) publish(w http.ResponseWriter, r *http.Request) {
	f := publishForm{Changelog: strings.TrimSpace(r.PostFormValue("changelog")), AsOf: r.PostFormValue("as_of")}
	asOf, invalid := f.Validate()
	status := http.StatusUnprocessableEntity
	if invalid == "" {
		_, err := e.publisher.Publish(r.Context(), actor(r), f.Changelog, asOf)
		switch {
		case err == nil:
			staffpage.Redirect(w, r, basePath, "published")
			return
		case errors.Is(err, ErrBusy), errors.Is(err, ErrNoDraft):
			invalid, status = msgPublishRace, http.StatusConflict
		default:
			e.fail(w, r, err)
			return
		}
	}
	d, err := e.overviewData(r, f)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	d.FormError = invalid
	p := e.newPage(r, "Tổng quan", "overview", d)
	p.Flash, p.Error = invalid, true
	e.render(w, r, status, "overview.html", p)
}
