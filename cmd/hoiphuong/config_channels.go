package main

import (
	"errors"
	"fmt"
	"strings"
)

// checkChannels reports every bad channel setting. A channel whose token is
// unset is off; its other settings must then be unset too, so that a
// half-configured channel is not silently off.
func (c Config) checkChannels() []error {
	var errs []error
	if !isHTTPURL(c.TelegramAPIURL) {
		errs = append(errs, fmt.Errorf("TELEGRAM_API_URL: %q must start with http:// or https://", c.TelegramAPIURL))
	}
	if c.PublicBaseURL != "" && !isHTTPURL(c.PublicBaseURL) {
		errs = append(errs, fmt.Errorf("PUBLIC_BASE_URL: %q must start with https:// (or http:// for tests)", c.PublicBaseURL))
	}
	if c.TelegramToken == "" {
		if c.TelegramSecret != "" {
			errs = append(errs, errors.New("TELEGRAM_WEBHOOK_SECRET: set without TELEGRAM_BOT_TOKEN"))
		}
		return errs
	}
	if id, secret, ok := strings.Cut(c.TelegramToken, ":"); !ok || id == "" || secret == "" || strings.ContainsAny(c.TelegramToken, " %/") {
		errs = append(errs, errors.New("TELEGRAM_BOT_TOKEN: not a bot token (123456:ABC…, from @BotFather)"))
	}
	switch c.TelegramMode {
	case "webhook":
		if c.TelegramSecret == "" {
			errs = append(errs, errors.New("TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook"))
		}
	case "poll":
	default:
		errs = append(errs, fmt.Errorf("TELEGRAM_MODE: %q is not webhook or poll", c.TelegramMode))
	}
	if c.TelegramSecret != "" && !validSecretToken(c.TelegramSecret) {
		errs = append(errs, errors.New("TELEGRAM_WEBHOOK_SECRET: 1–256 characters of A-Z, a-z, 0-9, _ and -"))
	}
	return errs
}

// validSecretToken is Telegram's rule for secret_token.
func validSecretToken(s string) bool {
	if len(s) == 0 || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
