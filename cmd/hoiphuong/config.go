package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/handlers/chat"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
)

// Config is the gateway's configuration: environment variables, with a
// .env file (if present) filling the ones the environment does not set.
type Config struct {
	HTTPAddr    string // HTTP_ADDR, default ":8080"
	DataDir     string // DATA_DIR, default "./data"
	DatabaseURL string // DATABASE_URL: Postgres; empty = SQLite under DATA_DIR
	// LeaseTTL (LEASE_TTL, default 30s) is how long a gateway's leases on
	// a shared database last unrenewed: a crashed gateway's work is taken
	// over by the others after it (gateways.go).
	LeaseTTL time.Duration
	MeiliURL string // MEILI_URL; empty = embedded Meilisearch
	// MeiliReplicas are more Meilisearch nodes holding the same indexes:
	// MEILI_URLS lists the nodes, the first becoming MeiliURL. A publish
	// builds every node; searches go on from another when one fails.
	MeiliReplicas   []string
	MeiliMasterKey  string     // MEILI_MASTER_KEY
	MeiliBin        string     // MEILI_BIN: a Meilisearch binary to use
	MeiliInstallDir string     // MEILI_INSTALL_DIR, default "./bin": where the pinned binary is installed
	IndexPrefix     string     // MEILI_INDEX_PREFIX, default "hp_"
	LogLevel        slog.Level // LOG_LEVEL: debug | info | warn | error
	MaxTextRunes    int        // MAX_TEXT_LENGTH, default 2000
	Procs           int        // GOMAXPROCS; 0 (unset): one more than the CPUs (procs.go)
	PublicBaseURL   string     // PUBLIC_BASE_URL: where platforms reach the webhooks

	TelegramToken  string // TELEGRAM_BOT_TOKEN; empty: Telegram is off
	TelegramSecret string // TELEGRAM_WEBHOOK_SECRET: required in webhook mode
	TelegramMode   string // TELEGRAM_MODE: webhook (default) | poll
	TelegramAPIURL string // TELEGRAM_API_URL, default https://api.telegram.org

	Zalo zaloConfig // ZALO_*: the Zalo OA and Zalo Bot channels (zalo.go)

	LLM llmConfig // OPENAI_*, LLM_*: the optional language model (config_llm.go)

	HandoffSLA time.Duration // HANDOFF_SLA, default 5m: first-response target in office hours

	// ChatLimits are the chat API's per-address limits: CHAT_OPEN_LIMIT
	// and CHAT_MESSAGE_LIMIT, "N/duration" or "off" (handlers/chat defaults).
	ChatLimits chat.Limits
	// TrustedProxies: TRUSTED_PROXIES, addresses or prefixes of reverse
	// proxies whose X-Forwarded-For names the client.
	TrustedProxies []netip.Prefix
	// OutboxInDoubt is what to do at start with messages a killed gateway
	// was sending: OUTBOX_IN_DOUBT, resend (default) | hold.
	OutboxInDoubt outbox.InDoubtPolicy
	// SecureCookies marks the console's cookies Secure: COOKIE_SECURE
	// (true|false), by default true when PUBLIC_BASE_URL is https.
	SecureCookies bool
}

// loadConfig reads .env (when present) and the environment. Every bad
// value is reported, not just the first.
func loadConfig(getenv func(string) string, envFile string) (Config, error) {
	if envFile != "" {
		if _, err := os.Stat(envFile); err == nil {
			vals, err := godotenv.Read(envFile)
			if err != nil {
				return Config{}, fmt.Errorf("read %s: %w", envFile, err)
			}
			base := getenv
			getenv = func(k string) string {
				if v := base(k); v != "" {
					return v
				}
				return vals[k]
			}
		}
	}
	c := Config{
		HTTPAddr:        or(getenv("HTTP_ADDR"), ":8080"),
		DataDir:         or(getenv("DATA_DIR"), "data"),
		DatabaseURL:     getenv("DATABASE_URL"),
		MeiliURL:        strings.TrimRight(getenv("MEILI_URL"), "/"),
		MeiliMasterKey:  getenv("MEILI_MASTER_KEY"),
		MeiliBin:        getenv("MEILI_BIN"),
		MeiliInstallDir: or(getenv("MEILI_INSTALL_DIR"), "bin"),
		IndexPrefix:     or(getenv("MEILI_INDEX_PREFIX"), "hp_"),
		MaxTextRunes:    2000,
		PublicBaseURL:   strings.TrimRight(getenv("PUBLIC_BASE_URL"), "/"),
		TelegramToken:   getenv("TELEGRAM_BOT_TOKEN"),
		TelegramSecret:  getenv("TELEGRAM_WEBHOOK_SECRET"),
		TelegramMode:    or(getenv("TELEGRAM_MODE"), "webhook"),
		TelegramAPIURL:  strings.TrimRight(or(getenv("TELEGRAM_API_URL"), "https://api.telegram.org"), "/"),
		Zalo:            loadZaloConfig(getenv),
		HandoffSLA:      5 * time.Minute,
		LeaseTTL:        30 * time.Second,
	}
	var errs []error
	if v := getenv("HANDOFF_SLA"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute || d > 24*time.Hour {
			errs = append(errs, fmt.Errorf("HANDOFF_SLA: %q must be a duration from 1m to 24h (e.g. 5m)", v))
		}
		c.HandoffSLA = d
	}
	if v := getenv("LEASE_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > 10*time.Minute {
			errs = append(errs, fmt.Errorf("LEASE_TTL: %q must be a duration from 1s to 10m (e.g. 30s)", v))
		}
		c.LeaseTTL = d
	}
	if p, err := outbox.ParseInDoubtPolicy(getenv("OUTBOX_IN_DOUBT")); err != nil {
		errs = append(errs, fmt.Errorf("OUTBOX_IN_DOUBT: %w", err))
	} else {
		c.OutboxInDoubt = p
	}
	c.SecureCookies = strings.HasPrefix(c.PublicBaseURL, "https://")
	if v := getenv("COOKIE_SECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("COOKIE_SECURE: %q must be true or false", v))
		}
		c.SecureCookies = b
	}
	for _, l := range []struct {
		name string
		rule *ratelimit.Rule
	}{{"CHAT_OPEN_LIMIT", &c.ChatLimits.Open}, {"CHAT_MESSAGE_LIMIT", &c.ChatLimits.Message}} {
		if v := getenv(l.name); v != "" {
			r, err := ratelimit.ParseRule(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", l.name, err))
			}
			*l.rule = r
		}
	}
	if v := getenv("TRUSTED_PROXIES"); v != "" {
		p, err := ratelimit.ParsePrefixes(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %w", err))
		}
		c.TrustedProxies = p
	}
	if v := c.DatabaseURL; v != "" && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
		errs = append(errs, errors.New("DATABASE_URL: want a postgres:// URL (leave it empty for SQLite under DATA_DIR)"))
	}
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("LOG_LEVEL"), "info"))); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %q is not debug, info, warn or error", getenv("LOG_LEVEL")))
	}
	if v := getenv("MAX_TEXT_LENGTH"); v != "" {
		if _, err := fmt.Sscan(v, &c.MaxTextRunes); err != nil || c.MaxTextRunes < 10 {
			errs = append(errs, fmt.Errorf("MAX_TEXT_LENGTH: %q must be a number ≥ 10", v))
		}
	}
	if v := getenv("GOMAXPROCS"); v != "" {
		if _, err := fmt.Sscan(v, &c.Procs); err != nil || c.Procs < 1 {
			errs = append(errs, fmt.Errorf("GOMAXPROCS: %q must be a number ≥ 1", v))
		}
	}
	if v := getenv("MEILI_URLS"); v != "" {
		if c.MeiliURL != "" {
			errs = append(errs, errors.New("MEILI_URLS: set it or MEILI_URL, not both"))
		}
		var nodes []string
		for _, u := range strings.Split(v, ",") {
			if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
				nodes = append(nodes, u)
			}
		}
		if len(nodes) > 0 {
			c.MeiliURL, c.MeiliReplicas = nodes[0], nodes[1:]
		}
	}
	for _, u := range append([]string{c.MeiliURL}, c.MeiliReplicas...) {
		if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			errs = append(errs, fmt.Errorf("MEILI_URL: %q must start with http:// or https://", u))
		}
	}
	if c.MeiliURL == "" && c.MeiliMasterKey != "" && len(c.MeiliMasterKey) < 16 {
		errs = append(errs, errors.New("MEILI_MASTER_KEY: must be at least 16 bytes"))
	}
	errs = append(errs, c.checkChannels()...)
	errs = append(errs, c.Zalo.check()...)
	var llmErrs []error
	c.LLM, llmErrs = loadLLMConfig(getenv)
	errs = append(errs, llmErrs...)
	for _, p := range []*string{&c.DataDir, &c.MeiliInstallDir} {
		if abs, err := filepath.Abs(*p); err == nil {
			*p = abs
		}
	}
	return c, errors.Join(errs...)
}

// String prints the configuration with secrets masked.
func (c Config) String() string {
	return fmt.Sprintf("HTTP_ADDR=%s DATA_DIR=%s DATABASE_URL=%s MEILI_URL=%s MEILI_REPLICAS=%v MEILI_MASTER_KEY=%s MEILI_BIN=%s MEILI_INDEX_PREFIX=%s LOG_LEVEL=%s MAX_TEXT_LENGTH=%d"+
		" PUBLIC_BASE_URL=%s TELEGRAM_BOT_TOKEN=%s TELEGRAM_WEBHOOK_SECRET=%s TELEGRAM_MODE=%s TELEGRAM_API_URL=%s HANDOFF_SLA=%s COOKIE_SECURE=%t TRUSTED_PROXIES=%v OUTBOX_IN_DOUBT=%s LEASE_TTL=%s",
		c.HTTPAddr, c.DataDir, maskURL(c.DatabaseURL), or(c.MeiliURL, "(embedded)"), c.MeiliReplicas, mask(c.MeiliMasterKey), c.MeiliBin, c.IndexPrefix, c.LogLevel, c.MaxTextRunes,
		c.PublicBaseURL, mask(c.TelegramToken), mask(c.TelegramSecret), c.TelegramMode, c.TelegramAPIURL, c.HandoffSLA, c.SecureCookies, c.TrustedProxies, c.OutboxInDoubt, c.LeaseTTL) + " " + c.Zalo.String() + " " + c.LLM.String()
}

// maskURL hides a URL's password.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || s == "" {
		return mask(s)
	}
	return u.Redacted()
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return "****"
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
