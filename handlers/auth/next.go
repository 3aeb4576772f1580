package auth

import (
	"net/url"
	"strings"
)

// safeNext returns next when it is a same-site path inside the console
// (/console or below), and /console otherwise, so that the login page
// cannot be used to send someone to another site (//evil.com,
// https://evil, /\evil.com).
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\x00\r\n\t") {
		return consolePath
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return consolePath
	}
	if u.Path != consolePath && !strings.HasPrefix(u.Path, consolePath+"/") {
		return consolePath
	}
	if strings.Contains(u.Path, "/../") || strings.HasSuffix(u.Path, "/..") {
		return consolePath
	}
	return next
}

// loginURL is the login page that comes back to next.
func loginURL(next string) string {
	if next = safeNext(next); next == consolePath {
		return loginPath
	}
	return loginPath + "?next=" + url.QueryEscape(next)
}
