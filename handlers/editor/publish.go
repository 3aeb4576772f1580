package editor

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// dateLayout is how a date travels in a form (input type=date).
const dateLayout = "2006-01-02"

// Reasons the publish form is refused, shown next to their field.
const (
	msgChangelog = "Hãy ghi tóm tắt thay đổi (tối đa 2000 ký tự) để người khác biết phiên bản này sửa gì."
	msgAsOfEmpty = "Hãy chọn ngày dữ liệu được cập nhật đến: ngày bạn đã kiểm tra lại các thông tin của phiên bản này."
	msgAsOfBad   = "Ngày cập nhật phải là một ngày hợp lệ (ngày/tháng/năm)."
	msgAsOfLater = "Ngày cập nhật không thể ở tương lai: hãy chọn hôm nay (%s) hoặc một ngày trước đó."
)

// publishForm is the publish form: a changelog and the date up to which
// the editor has checked the facts ("as of"), which every answer cites.
type publishForm struct {
	Changelog, AsOf string
	// Today is the latest date the form accepts (YYYY-MM-DD, Vietnam time).
	Today string
}

// publishErrors are the form's problems, by field.
type publishErrors struct {
	Changelog, AsOf string
}

func (e publishErrors) any() bool { return e.Changelog != "" || e.AsOf != "" }

// first is the first problem, for the page's flash.
func (e publishErrors) first() string { return cmpOr(e.Changelog, e.AsOf) }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Validate checks the form and returns the as-of date. The date is
// required (it defaults to the published version's, never to today) and
// may not be after Today.
func (f publishForm) Validate() (time.Time, publishErrors) {
	var errs publishErrors
	if n := utf8.RuneCountInString(strings.TrimSpace(f.Changelog)); n == 0 || n > 2000 {
		errs.Changelog = msgChangelog
	}
	s := strings.TrimSpace(f.AsOf)
	asOf, err := time.Parse(dateLayout, s)
	switch {
	case s == "":
		errs.AsOf = msgAsOfEmpty
	case err != nil:
		errs.AsOf = msgAsOfBad
	case s > f.Today:
		today, _ := time.Parse(dateLayout, f.Today)
		errs.AsOf = strings.Replace(msgAsOfLater, "%s", today.Format("02/01/2006"), 1)
	}
	return asOf, errs
}

// today is the current date in Vietnam, as a form value.
func (e *Editor) today() string { return e.now().In(staffpage.Zone).Format(dateLayout) }

// publish handles POST /publish: the draft becomes the next version, its
// facts checked as of the date the editor confirmed. Another editor having
// published (or publishing) the draft is a clear message, not an error page.
func (e *Editor) publish(w http.ResponseWriter, r *http.Request) {
	f := publishForm{Changelog: strings.TrimSpace(r.PostFormValue("changelog")), AsOf: r.PostFormValue("as_of"), Today: e.today()}
	asOf, errs := f.Validate()
	status := http.StatusUnprocessableEntity
	flash := errs.first()
	if !errs.any() {
		_, err := e.publisher.Publish(r.Context(), actor(r), f.Changelog, asOf)
		switch {
		case err == nil:
			staffpage.Redirect(w, r, basePath, "published")
			return
		case errors.Is(err, ErrBusy), errors.Is(err, ErrNoDraft):
			flash, status = msgPublishRace, http.StatusConflict
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
	d.FormErrors = errs
	p := e.newPage(r, "Tổng quan", "overview", d)
	p.Flash, p.Error = flash, true
	e.render(w, r, status, "overview.html", p)
}
