package console

import "net/http"

// conversationClaim handles POST /console/c/{id}/claim (Nhận xử lý): two
// staff claiming at once → one 303, the other 409 "Cán bộ khác đã nhận…".
func (c *Console) conversationClaim(w http.ResponseWriter, r *http.Request) {
	c.act(w, r, action{ok: "claim", do: c.desk.Claim})
}
