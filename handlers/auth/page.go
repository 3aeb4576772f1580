package auth

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/auth.css
var styleCSS []byte

func parseTemplates() (*template.Template, error) {
	t, err := template.ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("auth: parse templates: %w", err)
	}
	return t, nil
}

// style is the pages' stylesheet, served under a content-hashed name so
// that a changed file gets a new URL.
type style struct {
	name string // auth.<hash>.css
	url  string // /console/auth.<hash>.css
	etag string
}

func loadStyle() style {
	sum := sha256.Sum256(styleCSS)
	hash := hex.EncodeToString(sum[:])[:12]
	name := "auth." + hash + ".css"
	return style{name: name, url: consolePath + "/" + name, etag: `"` + hash + `"`}
}

func (s style) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", s.etag)
	if r.Header.Get("If-None-Match") == s.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(styleCSS)
}

// loginData is what login.html shows.
type loginData struct {
	StyleURL string
	Action   string
	CSRF     string
	Next     string
	Username string
	Error    string
}

func (a *Auth) renderLogin(d loginData) ([]byte, error) {
	d.StyleURL, d.Action = a.style.url, loginPath
	var buf bytes.Buffer
	if err := a.tmpl.ExecuteTemplate(&buf, "login.html", d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeLogin renders the login form with status.
func (a *Auth) writeLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	body, err := a.renderLogin(d)
	if err != nil {
		a.logger.ErrorContext(r.Context(), "render login page", "err", err)
		writeMessage(w, http.StatusInternalServerError, a.style.url, msgInternal)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Vietnamese texts of the pages.
const (
	msgBadCredentials = "Sai tên đăng nhập hoặc mật khẩu."
	msgLocked         = "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Thử lại sau %s."
	msgLoginExpired   = "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."
	msgMissingFields  = "Vui lòng nhập tên đăng nhập và mật khẩu."
	msgForbidden      = "Bạn không có quyền truy cập trang này."
	msgUnauthorized   = "Bạn cần đăng nhập để tiếp tục."
	msgBadCSRF        = "Yêu cầu không hợp lệ hoặc đã hết hạn. Vui lòng tải lại trang và thử lại."
	msgInternal       = "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."
	msgTooLarge       = "Dữ liệu hoặc tệp gửi lên quá lớn."
)

// writeMessage writes a small Vietnamese page with one message and a way
// back to the console, or a JSON error for scripts.
func writeMessage(w http.ResponseWriter, status int, styleURL, msg string) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hỏi Phường — Cán bộ</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="%s">
</head>
<body>
<header class="band"><div class="band-inner"><span class="brand">Hỏi Phường</span><span class="sub">Cổng cán bộ phường, xã</span></div></header>
<main class="card message">
<p>%s</p>
<p><a href="%s">Về trang làm việc</a></p>
</main>
</body>
</html>
`, html.EscapeString(styleURL), html.EscapeString(msg), consolePath)
}
