package console

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

const msgHolidayInvalid = "Ngày nghỉ cần ngày (chọn trên lịch) và tên (tối đa 100 ký tự)."

// holidayForm is a closed day as typed.
type holidayForm struct {
	Day, Name string
}

// holidaySave handles POST /console/holidays (city admins).
func (c *Console) holidaySave(w http.ResponseWriter, r *http.Request) {
	f := holidayForm{Day: r.PostFormValue("day"), Name: r.PostFormValue("name")}
	if err := c.desk.SaveHoliday(r.Context(), user(r), f.Day, f.Name); err != nil {
		c.formFailed(w, r, err, msgHolidayInvalid, "holidays.html", func() (page, error) { return c.holidaysPage(r, f) })
		return
	}
	staffpage.Redirect(w, r, basePath+"/holidays", "holiday")
}

// holidayDelete handles POST /console/holidays/{day}/delete (city admins).
func (c *Console) holidayDelete(w http.ResponseWriter, r *http.Request) {
	if err := c.desk.DeleteHoliday(r.Context(), user(r), chi.URLParam(r, "day")); err != nil {
		c.fail(w, r, err, "")
		return
	}
	staffpage.Redirect(w, r, basePath+"/holidays", "workday")
}
