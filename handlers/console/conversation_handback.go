package console

import "net/http"

// conversationHandBack handles POST /console/c/{id}/handback (Trả lại cho
// bot): the bot answers the citizen again.
func (c *Console) conversationHandBack(w http.ResponseWriter, r *http.Request) {
	c.act(w, r, action{ok: "handback", draft: draft{Form: "handback"}, do: c.desk.HandBack})
}
