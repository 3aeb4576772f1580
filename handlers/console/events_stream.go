package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/live"
)

// eventStream handles GET /console/events: Server-Sent Events of what
// happens in the queues the user may see (a city admin: everything), each
// flushed as it comes, with a heartbeat comment every 15 s, until the
// client goes. Events carry ids only; pages refetch what they show.
func (c *Console) eventStream(w http.ResponseWriter, r *http.Request) {
	u := user(r)
	rc := http.NewResponseController(w)
	events, stop := c.desk.Hub().Subscribe(func(e live.Event) bool {
		return u.IsCityAdmin() || u.CanSeeUnit(e.Unit)
	})
	defer stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// retry: reconnect soon after the server ends the stream (a deploy, the
	// request timeout); the first comment tells the client it is live.
	if _, err := fmt.Fprint(w, "retry: 3000\n: connected\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	beat := time.NewTicker(c.heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return
			}
		case e, ok := <-events:
			if !ok {
				return
			}
			b, err := json.Marshal(e)
			if err != nil {
				continue
			}
			if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
				return
			}
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
