// Package jsonapi owns the JSON wire conventions shared by every HTTP
// surface: the one error shape {"error":{"code","message"}}, writing JSON
// bodies, and the adapter that turns a handler's returned error into exactly
// one response and at most one log line.
package jsonapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
)

// Error is an error a citizen may see: a stable snake_case Code for
// programs, a Vietnamese Message for people, and the internal Cause, which is
// logged and never written to the response.
type Error struct {
	Status  int
	Code    string
	Message string
	Cause   error
}

// Error implements error with the code and the internal cause, never the
// public message alone, so logs stay useful.
func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Code + ": " + e.Cause.Error()
	}
	return e.Code
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Cause }

// New returns an Error without an internal cause.
func New(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// Wrap returns an Error carrying cause for the log.
func Wrap(cause error, status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message, Cause: cause}
}

// Codes and public messages shared by several surfaces.
const (
	CodeInternal         = "internal_error"
	MessageInternal      = "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."
	CodeNotFound         = "not_found"
	MessageNotFound      = "Không tìm thấy địa chỉ bạn yêu cầu."
	CodeMethodNotAllowed = "method_not_allowed"
	MessageMethod        = "Địa chỉ này không hỗ trợ phương thức yêu cầu."
	CodeBodyTooLarge     = "body_too_large"
	MessageBodyTooLarge  = "Dữ liệu gửi lên quá lớn. Vui lòng gửi câu hỏi ngắn hơn."
)

// Body is the JSON shape of every error response.
type Body struct {
	Error BodyError `json:"error"`
}

// BodyError is the inside of Body.
type BodyError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// WriteJSON writes v as JSON with status. It marshals first so a value that
// cannot be encoded becomes a clean 500 instead of a half-written body.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		writeRaw(w, http.StatusInternalServerError, internalBody())
		return err
	}
	writeRaw(w, status, b)
	return nil
}

// WriteError writes the error shape with status, code and message.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	b, err := json.Marshal(Body{Error: BodyError{Code: code, Message: message}})
	if err != nil { // cannot happen for two strings; stay safe anyway
		b = internalBody()
		status = http.StatusInternalServerError
	}
	writeRaw(w, status, b)
}

// HandlerFunc is an HTTP handler that reports failure by returning an error.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adapts fn to http.HandlerFunc. An *Error becomes its status, code
// and message; anything else becomes a 500 with a generic message. Server
// errors are logged at error level, client errors at debug level; neither
// logs request bodies.
func Handle(logger *slog.Logger, fn HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		var apiErr *Error
		if !errors.As(err, &apiErr) {
			apiErr = Wrap(err, http.StatusInternalServerError, CodeInternal, MessageInternal)
		}
		level := slog.LevelDebug
		if apiErr.Status >= http.StatusInternalServerError {
			level = slog.LevelError
		}
		logger.Log(r.Context(), level, "request failed",
			"code", apiErr.Code, "status", apiErr.Status, "err", err,
			"request_id", RequestID(r.Context()))
		WriteError(w, apiErr.Status, apiErr.Code, apiErr.Message)
	}
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func internalBody() []byte {
	return []byte(`{"error":{"code":"` + CodeInternal + `","message":"` + MessageInternal + `"}}`)
}
