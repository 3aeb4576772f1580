package jsonapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandleWritesOneErrorShape(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantBody   string
	}{
		{"api error", New(http.StatusBadRequest, "empty_text", "Vui lòng nhập câu hỏi."), 400,
			`{"error":{"code":"empty_text","message":"Vui lòng nhập câu hỏi."}}`},
		{"wrapped api error", fmt.Errorf("ctx: %w", New(http.StatusNotFound, "x_not_found", "Không thấy.")), 404,
			`{"error":{"code":"x_not_found","message":"Không thấy."}}`},
		{"plain error", errors.New("disk on fire"), 500,
			`{"error":{"code":"internal_error","message":"` + MessageInternal + `"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs strings.Builder
			h := Handle(slog.New(slog.NewTextHandler(&logs, nil)), func(http.ResponseWriter, *http.Request) error { return tt.err })
			rec := httptest.NewRecorder()
			h(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			if rec.Code != tt.wantStatus || strings.TrimSpace(rec.Body.String()) != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
			if tt.wantStatus >= 500 && !strings.Contains(logs.String(), "disk on fire") {
				t.Errorf("server error not logged: %q", logs.String())
			}
		})
	}
}
