package console

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

// cannedDelete handles POST /console/canned/{cannedID}/delete.
func (c *Console) cannedDelete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "cannedID"), 10, 64)
	if err != nil {
		c.fail(w, r, handoff.ErrNotFound, "")
		return
	}
	if err := c.desk.DeleteCanned(r.Context(), user(r), id); err != nil {
		c.fail(w, r, err, "")
		return
	}
	staffpage.Redirect(w, r, basePath+"/canned", "uncanned")
}
