package zalooa

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/zalo"
)

// SignatureHeader carries the event's MAC.
const SignatureHeader = "X-ZEvent-Signature"

// The time window of a signed event around the gateway's clock. The
// signature covers the event's timestamp, so an old delivery replayed
// keeps its date. Zalo redelivers an unacknowledged event for up to 12
// hours (the longest schedule reported, ../shared/notes/channels.md b1),
// and the two clocks may differ a little. Within the window a replay is a
// duplicate of the first delivery (the inbox keeps update ids 7 days).
const (
	MaxEventAge  = 12 * time.Hour
	MaxEventSkew = 5 * time.Minute
)

// Errors of Receive: a body that is not an OA event, and a signed event
// dated outside the time window.
var (
	ErrBadEvent   = fmt.Errorf("zalooa: %w", inbox.ErrMalformed)
	ErrStaleEvent = fmt.Errorf("zalooa: %w", inbox.ErrStale)
)

// Sign is the X-ZEvent-Signature of body: "mac=" + hex(SHA-256(app_id +
// body + timestamp + OA secret key)), app_id and timestamp read from body.
func Sign(appID, timestamp string, body []byte, secretKey string) string {
	h := sha256.New()
	h.Write([]byte(appID))
	h.Write(body)
	h.Write([]byte(timestamp))
	h.Write([]byte(secretKey))
	return "mac=" + hex.EncodeToString(h.Sum(nil))
}

// Authentic reports, in constant time, whether the event carries a valid
// signature of this OA's app.
func (c *Channel) Authentic(h http.Header, body []byte) bool {
	var head struct {
		AppID     zalo.ID `json:"app_id"`
		Timestamp zalo.ID `json:"timestamp"`
	}
	if json.Unmarshal(body, &head) != nil || string(head.AppID) != c.cfg.AppID {
		return false
	}
	got := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h.Get(SignatureHeader)), "mac="))
	want := strings.TrimPrefix(Sign(string(head.AppID), string(head.Timestamp), body, c.cfg.SecretKey), "mac=")
	gs, ws := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(gs[:], ws[:]) == 1
}

// event is an OA webhook event (the fields the gateway uses).
type event struct {
	AppID     zalo.ID `json:"app_id"`
	EventName string  `json:"event_name"`
	Timestamp zalo.ID `json:"timestamp"` // epoch ms
	Sender    struct {
		ID zalo.ID `json:"id"`
	} `json:"sender"`
	Follower struct {
		ID zalo.ID `json:"id"`
	} `json:"follower"`
	Message struct {
		MsgID       zalo.ID      `json:"msg_id"`
		Text        string       `json:"text"`
		Attachments []attachment `json:"attachments"`
		Location    *coords      `json:"location"`
		Coordinates *coords      `json:"coordinates"`
	} `json:"message"`
}

type attachment struct {
	Type    string `json:"type"`
	Payload struct {
		Coordinates *coords `json:"coordinates"`
	} `json:"payload"`
}

// coords accepts latitude/longitude and lat/long (lng), numbers or strings.
type coords struct {
	Latitude  zalo.Float `json:"latitude"`
	Longitude zalo.Float `json:"longitude"`
	Lat       zalo.Float `json:"lat"`
	Long      zalo.Float `json:"long"`
	Lng       zalo.Float `json:"lng"`
}

func (c *coords) location() *bot.Location {
	if c == nil {
		return nil
	}
	lat, lon := c.Latitude, c.Longitude
	if !lat.Valid {
		lat = c.Lat
	}
	if !lon.Valid {
		lon = c.Long
	}
	if !lon.Valid {
		lon = c.Lng
	}
	if !lat.Valid || !lon.Valid {
		return nil
	}
	return &bot.Location{Lat: lat.V, Lon: lon.V}
}

// Receive parses an event and persists it; it returns once the event is
// durable (or deliberately ignored), so the webhook may answer 200.
func (c *Channel) Receive(ctx context.Context, body []byte) error {
	var e event
	if err := json.Unmarshal(body, &e); err != nil || e.EventName == "" {
		return ErrBadEvent
	}
	at, err := c.eventTime(e)
	if err != nil {
		return err
	}
	u, ok, err := c.parse(e, at)
	if err != nil || !ok {
		return err
	}
	// A newer message renews the follower's reply window and quota.
	if err := c.cfg.Store.TouchFollower(ctx, u.ChatID, u.Message.At); err != nil {
		return fmt.Errorf("zalooa: record inbound: %w", err)
	}
	res, err := c.cfg.Inbox.Accept(ctx, u)
	if err != nil {
		return err
	}
	c.cfg.Logger.Debug("zalo oa event", "channel", Name, "chat_id", u.ChatID, "update_id", u.ID, "duplicate", res.Duplicate)
	return nil
}

// parse turns an event into an inbound update; ok=false for what the
// gateway ignores (unfollow, delivery and seen receipts, the OA's own
// messages).
func (c *Channel) parse(e event, at time.Time) (inbox.Update, bool, error) {
	u := inbox.Update{Channel: Name, ChatID: string(e.Sender.ID), ID: e.EventName + ":" + string(e.Message.MsgID)}
	u.Message.At = at
	switch e.EventName {
	case "follow":
		if e.Follower.ID != "" {
			u.ChatID = string(e.Follower.ID)
		}
		u.ID = "follow:" + string(e.Timestamp)
		u.Message.Text = zalo.TextFollowIn
	case "user_send_text":
		u.Message.Text = e.Message.Text
	case "user_send_location":
		u.Message.Location = e.location()
		if u.Message.Location == nil {
			u.Message.Text = zalo.TextUnsupportedIn
		}
	case "user_send_sticker", "user_send_image", "user_send_file", "user_send_audio", "user_send_video",
		"user_send_gif", "user_send_link", "user_send_business_card":
		u.Message.Text = zalo.TextUnsupportedIn
	default: // unfollow, user_received_message, user_seen_message, oa_send_*, …
		return u, false, nil
	}
	if u.ChatID == "" || (e.EventName != "follow" && e.Message.MsgID == "") {
		return u, false, ErrBadEvent
	}
	if strings.TrimSpace(u.Message.Text) == "" && u.Message.Location == nil {
		return u, false, nil
	}
	return u, true, nil
}

// eventTime is when the event happened (its timestamp, epoch ms): an
// event without one is malformed, one outside the time window around now
// is refused (ErrStaleEvent) before anything is stored.
func (c *Channel) eventTime(e event) (time.Time, error) {
	ms, err := strconv.ParseInt(string(e.Timestamp), 10, 64)
	if err != nil || ms <= 0 {
		return time.Time{}, fmt.Errorf("%w: %s without a timestamp", ErrBadEvent, e.EventName)
	}
	at := time.UnixMilli(ms).UTC()
	if age := c.cfg.Now().Sub(at); age > MaxEventAge || age < -MaxEventSkew {
		return at, fmt.Errorf("%w: %s of %s is dated %s, %s from now (accepted: %s back to %s ahead)", ErrStaleEvent,
			e.EventName, e.Sender.ID+e.Follower.ID, at.Format(time.RFC3339), (-age).Round(time.Second), MaxEventAge, MaxEventSkew)
	}
	return at, nil
}

func (e event) location() *bot.Location {
	for _, a := range e.Message.Attachments {
		if l := a.Payload.Coordinates.location(); l != nil {
			return l
		}
	}
	if l := e.Message.Location.location(); l != nil {
		return l
	}
	return e.Message.Coordinates.location()
}
