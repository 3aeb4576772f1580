// Package llm is Hỏi Phường's optional language-model client over any
// OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, a city's own server),
// through go-openai's Chat Completions and Embeddings. It reads messy
// questions into a structured reading (Understand), rephrases answers from
// their records only, behind a validator (Phrase), embeds texts for hybrid
// search (Embed) and summarises chats handed to staff (Summarize).
//
// The bot never depends on it: every call has the LLM_TIMEOUT budget, a
// circuit breaker stops calling a failing endpoint, and any error (429,
// 5xx, timeout, a reply that is not valid) tells the caller to answer
// deterministically at once. Phone numbers, ID numbers and e-mails are
// masked before any text leaves.
package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/hoiphuong/hoiphuong/bot"
)

// Modes.
const (
	ModeOff        = "off"        // nothing is ever called
	ModeUnderstand = "understand" // Understand, Embed, Summarize; Phrase is not used
	ModeFull       = "full"       // also Phrase
)

// Defaults.
const (
	DefaultTimeout         = 3 * time.Second
	DefaultModel           = "gpt-4o-mini"
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 30 * time.Second
)

// Errors callers branch on. Every error the client returns wraps one of
// these or an *openai.APIError; all mean "fall back now".
var (
	// ErrUnavailable: the client is off, nil, or its circuit breaker is open.
	ErrUnavailable = errors.New("llm: unavailable")
	// ErrDisabled: the mode does not allow this call (Phrase outside full).
	ErrDisabled = errors.New("llm: not enabled in this mode")
	// ErrInvalid: the model's reply is not usable (not the JSON asked for).
	ErrInvalid = errors.New("llm: invalid reply")
	// ErrRejected: a phrased text states something its records do not.
	ErrRejected = errors.New("llm: phrasing rejected by the validator")
)

// Config configures a Client.
type Config struct {
	BaseURL    string // OPENAI_BASE_URL; empty: https://api.openai.com/v1
	APIKey     string // OPENAI_API_KEY; may be empty for a local server
	Model      string // OPENAI_MODEL; default DefaultModel
	EmbedModel string // OPENAI_EMBED_MODEL; empty: Embed is unavailable
	// Timeout is the whole budget of one call (LLM_TIMEOUT), default 3 s.
	Timeout time.Duration
	Mode    string // off | understand | full; empty: off
	Logger  *slog.Logger
	Now     func() time.Time
	// BreakerFailures consecutive failures open the breaker for
	// BreakerCooldown (defaults 5 and 30 s).
	BreakerFailures int
	BreakerCooldown time.Duration
	// HTTPClient overrides the HTTP client (tests); its own timeout is
	// set from Timeout when nil.
	HTTPClient *http.Client
}

// Client calls the model. A nil *Client is valid and never calls anything:
// every method returns ErrUnavailable.
type Client struct {
	api     *openai.Client
	cfg     Config
	logger  *slog.Logger
	breaker *breaker
	metrics *Metrics
}

// New builds a client. Mode off (or empty) returns a nil client and no
// error: nothing will ever be called.
func New(cfg Config) (*Client, error) {
	switch cfg.Mode {
	case "", ModeOff:
		return nil, nil
	case ModeUnderstand, ModeFull:
	default:
		return nil, fmt.Errorf("llm: mode %q is not off, understand or full", cfg.Mode)
	}
	if cfg.BaseURL != "" && !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://") {
		return nil, fmt.Errorf("llm: base URL %q must start with http:// or https://", cfg.BaseURL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BreakerFailures <= 0 {
		cfg.BreakerFailures = DefaultBreakerFailures
	}
	if cfg.BreakerCooldown <= 0 {
		cfg.BreakerCooldown = DefaultBreakerCooldown
	}
	oc := openai.DefaultConfig(or(cfg.APIKey, "none")) // Ollama wants a non-empty key
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		// The context carries the budget; this only bounds a stuck body.
		hc = &http.Client{Timeout: cfg.Timeout + time.Second}
	}
	oc.HTTPClient = hc
	return &Client{
		api:     openai.NewClientWithConfig(oc),
		cfg:     cfg,
		logger:  cfg.Logger,
		breaker: newBreaker(cfg.BreakerFailures, cfg.BreakerCooldown, cfg.Now),
		metrics: newMetrics(),
	}, nil
}

// Mode is the client's mode; ModeOff for a nil client.
func (c *Client) Mode() string {
	if c == nil {
		return ModeOff
	}
	return c.cfg.Mode
}

// Metrics are the client's counters (nil for a nil client).
func (c *Client) Metrics() *Metrics {
	if c == nil {
		return nil
	}
	return c.metrics
}

// do runs one call of operation op within the budget and the breaker,
// recording its outcome and latency.
func (c *Client) do(ctx context.Context, op string, call func(ctx context.Context) error) error {
	if c == nil {
		return ErrUnavailable
	}
	if !c.breaker.allow() {
		c.metrics.calls.WithLabelValues(op, outcomeOpen).Inc()
		c.metrics.fallbacks.WithLabelValues(op).Inc()
		return fmt.Errorf("%s: %w (circuit open)", op, ErrUnavailable)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	start := c.cfg.Now()
	err := call(ctx)
	c.metrics.latency.WithLabelValues(op).Observe(c.cfg.Now().Sub(start).Seconds())
	outcome := classify(ctx, err)
	c.metrics.calls.WithLabelValues(op, outcome).Inc()
	switch outcome {
	case outcomeOK:
		c.breaker.success()
		return nil
	case outcomeInvalid, outcomeRejected:
		c.breaker.success() // the endpoint works; the reply was not usable
	default:
		if c.breaker.failure() {
			c.logger.WarnContext(ctx, "llm circuit breaker opened", "op", op, "cooldown", c.cfg.BreakerCooldown)
		}
	}
	c.metrics.fallbacks.WithLabelValues(op).Inc()
	c.logger.DebugContext(ctx, "llm call failed", "op", op, "outcome", outcome, "err", err)
	return fmt.Errorf("%s: %w", op, err)
}

// Call outcomes (the "outcome" label).
const (
	outcomeOK        = "ok"
	outcomeTimeout   = "timeout"
	outcomeRateLimit = "rate_limited"
	outcomeServer    = "server_error"
	outcomeClient    = "client_error"
	outcomeNetwork   = "network_error"
	outcomeInvalid   = "invalid"
	outcomeRejected  = "rejected"
	outcomeOpen      = "circuit_open"
)

func classify(ctx context.Context, err error) string {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case err == nil:
		return outcomeOK
	case errors.Is(err, ErrRejected):
		return outcomeRejected
	case errors.Is(err, ErrInvalid):
		return outcomeInvalid
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		return outcomeTimeout
	case errors.As(err, &apiErr):
		return statusOutcome(apiErr.HTTPStatusCode)
	case errors.As(err, &reqErr):
		return statusOutcome(reqErr.HTTPStatusCode)
	}
	return outcomeNetwork
}

func statusOutcome(code int) string {
	switch {
	case code == http.StatusTooManyRequests:
		return outcomeRateLimit
	case code >= 500:
		return outcomeServer
	case code >= 400:
		return outcomeClient
	}
	return outcomeNetwork
}

// temperature is near 0: go-openai drops an exact 0 (omitempty), and the
// server's default (often 1) would apply.
const temperature = 0.0001

func (c *Client) chat(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	req.Model = c.cfg.Model
	req.Temperature = temperature
	resp, err := c.api.CreateChatCompletion(ctx, req)
	if err != nil {
		return resp, err
	}
	c.metrics.tokens.WithLabelValues("in").Add(float64(resp.Usage.PromptTokens))
	c.metrics.tokens.WithLabelValues("out").Add(float64(resp.Usage.CompletionTokens))
	if len(resp.Choices) == 0 {
		return resp, fmt.Errorf("%w: no choices", ErrInvalid)
	}
	return resp, nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Client is the engine's Assistant.
var _ bot.Assistant = (*Client)(nil)
