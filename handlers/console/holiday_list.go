package console

import (
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/store"
)

// holidaysData is what holidays.html shows.
type holidaysData struct {
	Days  []store.Holiday
	Draft holidayForm
}

// holidayList handles GET /console/holidays (city admins): the days the
// city's ward offices are closed besides the fixed-date public holidays.
func (c *Console) holidayList(w http.ResponseWriter, r *http.Request) {
	p, err := c.holidaysPage(r, holidayForm{})
	if err != nil {
		c.fail(w, r, err, "")
		return
	}
	c.render(w, r, http.StatusOK, "holidays.html", p)
}

func (c *Console) holidaysPage(r *http.Request, draft holidayForm) (page, error) {
	days, err := c.desk.Holidays(r.Context())
	if err != nil {
		return page{}, err
	}
	return c.newPage(r, "Ngày nghỉ lễ", "holidays", holidaysData{Days: days, Draft: draft}), nil
}
