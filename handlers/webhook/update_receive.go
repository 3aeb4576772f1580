package webhook

import (
	"errors"
	"io"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// Public errors of the webhooks (platforms read the status, not the text).
const (
	codeUnauthorized    = "unauthorized"
	messageUnauthorized = "Yêu cầu không hợp lệ."
	codeBadUpdate       = "bad_update"
	messageBadUpdate    = "Dữ liệu không hợp lệ."
	codeStaleUpdate     = "stale_update"
	messageStaleUpdate  = "Sự kiện đã quá hạn hoặc thời điểm không hợp lệ."
)

// receive handles POST /webhooks/{channel}: 401 without a valid signature
// (nothing stored), 400 for a malformed update or one dated outside the
// channel's time window (a replay), 200 once persisted; any other failure
// is a 500, so the platform delivers the update again.
func (h *Webhooks) receive(name string, rc Receiver) jsonapi.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		body, err := io.ReadAll(r.Body)
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return jsonapi.Wrap(err, http.StatusRequestEntityTooLarge, jsonapi.CodeBodyTooLarge, jsonapi.MessageBodyTooLarge)
		}
		if err != nil {
			return jsonapi.Wrap(err, http.StatusBadRequest, codeBadUpdate, messageBadUpdate)
		}
		if !rc.Authentic(r.Header, body) {
			h.cfg.Rejected(name)
			h.cfg.Logger.Warn("webhook signature rejected", "channel", name, "request_id", jsonapi.RequestID(r.Context()))
			return jsonapi.New(http.StatusUnauthorized, codeUnauthorized, messageUnauthorized)
		}
		if err := rc.Receive(r.Context(), body); err != nil {
			if errors.Is(err, inbox.ErrStale) {
				h.cfg.Logger.Warn("webhook update outside the time window", "channel", name, "err", err,
					"request_id", jsonapi.RequestID(r.Context()))
				return jsonapi.Wrap(err, http.StatusBadRequest, codeStaleUpdate, messageStaleUpdate)
			}
			if errors.Is(err, inbox.ErrMalformed) {
				return jsonapi.Wrap(err, http.StatusBadRequest, codeBadUpdate, messageBadUpdate)
			}
			return err
		}
		w.WriteHeader(http.StatusOK)
		return nil
	}
}
