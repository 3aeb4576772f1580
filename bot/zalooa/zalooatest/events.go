package zalooatest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/zalooa"
)

// OAID is the fake OA's id.
const OAID = "579745863508352884"

// Event fixtures, shaped like Zalo OA webhook events (ids as strings,
// timestamp as a string of epoch milliseconds).

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func ms(at time.Time) string { return fmt.Sprint(at.UnixMilli()) }

func userEvent(name, userID, msgID string, at time.Time, message string) string {
	return fmt.Sprintf(`{"app_id":%q,"user_id_by_app":"552177279717587730","event_name":%q,"timestamp":%q,`+
		`"sender":{"id":%q},"recipient":{"id":%q},"message":{"msg_id":%q%s}}`,
		AppID, name, ms(at), userID, OAID, msgID, message)
}

// TextEvent is user_send_text.
func TextEvent(userID, msgID, text string) string {
	return TextEventAt(userID, msgID, text, time.Now())
}

// TextEventAt is user_send_text sent at at.
func TextEventAt(userID, msgID, text string, at time.Time) string {
	return userEvent("user_send_text", userID, msgID, at, `,"text":`+quote(text))
}

// LocationEvent is user_send_location with the coordinates as lat and lon
// (numbers or strings: pass them preformatted, e.g. `10.77` or `"10.77"`).
func LocationEvent(userID, msgID, lat, lon string) string {
	return userEvent("user_send_location", userID, msgID, time.Now(),
		fmt.Sprintf(`,"text":"Vị trí của tôi","attachments":[{"type":"location","payload":{"coordinates":{"latitude":%s,"longitude":%s}}}]`, lat, lon))
}

// MediaEvent is user_send_<kind> (sticker, image, file, audio, video, gif).
func MediaEvent(kind, userID, msgID string) string {
	return userEvent("user_send_"+kind, userID, msgID, time.Now(),
		`,"attachments":[{"type":"`+kind+`","payload":{"url":"https://zalo.example/x","thumbnail":"https://zalo.example/t"}}]`)
}

// FollowEvent is follow.
func FollowEvent(userID string) string { return FollowEventAt(userID, time.Now()) }

// FollowEventAt is follow sent at at.
func FollowEventAt(userID string, at time.Time) string {
	return fmt.Sprintf(`{"app_id":%q,"oa_id":%q,"event_name":"follow","timestamp":%q,"follower":{"id":%q},"user_id_by_app":"552177279717587730","source":"testing_webhook"}`,
		AppID, OAID, ms(at), userID)
}

// UnfollowEvent is unfollow.
func UnfollowEvent(userID string) string {
	return fmt.Sprintf(`{"app_id":%q,"oa_id":%q,"event_name":"unfollow","timestamp":%q,"follower":{"id":%q}}`,
		AppID, OAID, ms(time.Now()), userID)
}

// Signed returns the headers of a delivery of body signed with SecretKey.
func Signed(t testing.TB, body string) http.Header {
	t.Helper()
	var head struct {
		AppID     string `json:"app_id"`
		Timestamp string `json:"timestamp"`
	}
	if err := json.Unmarshal([]byte(body), &head); err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(zalooa.SignatureHeader, zalooa.Sign(head.AppID, head.Timestamp, []byte(body), SecretKey))
	return h
}

// Post delivers body to url + zalooa.WebhookPath with headers h and returns
// the status.
func Post(t testing.TB, client *http.Client, url, body string, h http.Header) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+zalooa.WebhookPath, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
