package chat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/flood"
	"github.com/hoiphuong/hoiphuong/handlers/jsonapi"
)

// The chat API's refusals. Codes are stable; messages are for citizens.
// They are funcs, not package variables, so nothing shared can be mutated.

func errEmptyText() error {
	return jsonapi.New(http.StatusBadRequest, "empty_text", "Vui lòng nhập câu hỏi trước khi gửi.")
}

func errInvalidLocation() error {
	return jsonapi.New(http.StatusBadRequest, "invalid_location",
		"Vị trí không hợp lệ. Vui lòng gửi lại vị trí hoặc nhập tên phường, xã, địa chỉ.")
}

func errTextAndLocation() error {
	return jsonapi.New(http.StatusBadRequest, "text_and_location",
		"Vui lòng gửi câu hỏi hoặc vị trí, không gửi cả hai trong cùng một tin nhắn.")
}

func errUnsupportedMediaType() error {
	return jsonapi.New(http.StatusUnsupportedMediaType, "unsupported_media_type",
		"Dữ liệu phải được gửi ở dạng JSON (Content-Type: application/json).")
}

func errBodyTooLarge(cause error) error {
	return jsonapi.Wrap(cause, http.StatusRequestEntityTooLarge, jsonapi.CodeBodyTooLarge, jsonapi.MessageBodyTooLarge)
}

func errTextTooLong(maxRunes int) error {
	return jsonapi.New(http.StatusBadRequest, "text_too_long",
		fmt.Sprintf("Câu hỏi quá dài. Vui lòng viết ngắn gọn, tối đa %d ký tự.", maxRunes))
}

func errInvalidJSON(cause error) error {
	return jsonapi.Wrap(cause, http.StatusBadRequest, "invalid_json",
		"Dữ liệu gửi lên không đúng định dạng. Vui lòng thử lại.")
}

func errConversationNotFound(cause error) error {
	return jsonapi.Wrap(cause, http.StatusNotFound, "conversation_not_found",
		"Không tìm thấy cuộc trò chuyện. Vui lòng bắt đầu cuộc trò chuyện mới.")
}

func errNoToken() error {
	return jsonapi.New(http.StatusUnauthorized, "token_required",
		"Thiếu mã truy cập của cuộc trò chuyện. Vui lòng tải lại trang hoặc bắt đầu cuộc trò chuyện mới.")
}

func errInvalidMessageID() error {
	return jsonapi.New(http.StatusBadRequest, "invalid_client_message_id",
		"Mã tin nhắn không hợp lệ (tối đa 64 ký tự chữ, số, dấu gạch). Vui lòng thử lại.")
}

// errRateLimited answers 429 with Retry-After in whole seconds.
func errRateLimited(w http.ResponseWriter, wait time.Duration) error {
	secs := retrySeconds(wait)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return jsonapi.New(http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("Bạn thao tác quá nhanh. Vui lòng thử lại sau %d giây.", secs))
}

// errFlood answers 429 for a conversation over its flood limit.
func errFlood(w http.ResponseWriter, wait time.Duration) error {
	w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(wait)))
	return jsonapi.New(http.StatusTooManyRequests, "flood_limited", flood.Notice)
}

func retrySeconds(wait time.Duration) int {
	return max(1, int((wait+time.Second-1)/time.Second))
}

// engineError maps an error of the web chat channel to the public error.
func engineError(err error) error {
	switch {
	case errors.Is(err, bot.ErrNotFound):
		return errConversationNotFound(err)
	case errors.Is(err, context.DeadlineExceeded):
		return jsonapi.Wrap(err, http.StatusGatewayTimeout, "timeout",
			"Hệ thống trả lời quá chậm. Vui lòng thử lại sau ít phút.")
	case errors.Is(err, context.Canceled):
		return jsonapi.Wrap(err, http.StatusServiceUnavailable, "canceled",
			"Yêu cầu đã bị hủy. Vui lòng thử lại.")
	}
	return jsonapi.Wrap(err, http.StatusInternalServerError, jsonapi.CodeInternal, jsonapi.MessageInternal)
}
