package search

import (
	"errors"
	"fmt"

	"github.com/meilisearch/meilisearch-go"
)

// ErrUnavailable matches (errors.Is) failures that mean Meilisearch cannot
// answer now — refused connections, timeouts, 5xx — so callers can switch
// to their degraded mode.
var ErrUnavailable = errors.New("meilisearch unavailable")

// APIError is a failed call to Meilisearch. Unlike *meilisearch.Error it
// keeps nothing of the request, whose body holds citizens' text: it is safe
// to log.
type APIError struct {
	Op      string // the client function, e.g. "Search"
	Status  int    // HTTP status; 0 when no response came back
	Code    string // Meilisearch error code, e.g. "index_not_found"
	Message string
	origin  error // transport or context error, if any
}

func (e *APIError) Error() string {
	switch {
	case e.Code != "":
		return fmt.Sprintf("meilisearch %s: %d %s: %s", e.Op, e.Status, e.Code, e.Message)
	case e.Status != 0:
		return fmt.Sprintf("meilisearch %s: status %d", e.Op, e.Status)
	default:
		return fmt.Sprintf("meilisearch %s: %s", e.Op, e.Message)
	}
}

// Unwrap exposes the transport or context error (context.Canceled …).
func (e *APIError) Unwrap() error { return e.origin }

// Is reports ErrUnavailable for failures that are the server's, not ours.
func (e *APIError) Is(target error) bool {
	return target == ErrUnavailable && (e.Status == 0 || e.Status >= 500)
}

// clean turns a *meilisearch.Error into an *APIError; other errors pass.
func clean(err error) error {
	var me *meilisearch.Error
	if !errors.As(err, &me) {
		return err
	}
	e := &APIError{
		Op:      me.Function,
		Status:  me.StatusCode,
		Code:    me.MeilisearchApiError.Code,
		Message: me.MeilisearchApiError.Message,
		origin:  me.OriginError,
	}
	if e.Message == "" && me.OriginError != nil {
		e.Message = me.OriginError.Error()
	}
	return e
}

// TaskError is a Meilisearch task that did not succeed. WaitForTask
// returns such tasks without a Go error; Index turns them into this one.
type TaskError struct {
	UID     int64
	Index   string
	Type    string
	Status  string // failed | canceled
	Code    string
	Message string
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("meilisearch task %d (%s on %s) %s: %s: %s", e.UID, e.Type, e.Index, e.Status, e.Code, e.Message)
}
