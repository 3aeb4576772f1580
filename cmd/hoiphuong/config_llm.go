package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/llm"
)

// llmConfig is the optional language model (bot/llm). With neither
// OPENAI_API_KEY nor OPENAI_BASE_URL it is off and nothing is called.
type llmConfig struct {
	BaseURL    string        // OPENAI_BASE_URL; empty: OpenAI
	APIKey     string        // OPENAI_API_KEY
	Model      string        // OPENAI_MODEL, default gpt-4o-mini
	EmbedModel string        // OPENAI_EMBED_MODEL; empty: no embeddings
	Timeout    time.Duration // LLM_TIMEOUT, default 3s
	Mode       string        // LLM_MODE: off | understand | full; default understand when a key or base URL is set
}

func loadLLMConfig(getenv func(string) string) (llmConfig, []error) {
	c := llmConfig{
		BaseURL:    strings.TrimRight(getenv("OPENAI_BASE_URL"), "/"),
		APIKey:     getenv("OPENAI_API_KEY"),
		Model:      or(getenv("OPENAI_MODEL"), llm.DefaultModel),
		EmbedModel: getenv("OPENAI_EMBED_MODEL"),
		Timeout:    llm.DefaultTimeout,
		Mode:       getenv("LLM_MODE"),
	}
	var errs []error
	if c.Mode == "" {
		c.Mode = llm.ModeOff
		if c.APIKey != "" || c.BaseURL != "" {
			c.Mode = llm.ModeUnderstand
		}
	}
	switch c.Mode {
	case llm.ModeOff, llm.ModeUnderstand, llm.ModeFull:
	default:
		errs = append(errs, fmt.Errorf("LLM_MODE: %q must be off, understand or full", c.Mode))
	}
	if c.Mode != llm.ModeOff && c.APIKey == "" && c.BaseURL == "" {
		errs = append(errs, fmt.Errorf("LLM_MODE=%s needs OPENAI_API_KEY or OPENAI_BASE_URL (a local OpenAI-compatible server)", c.Mode))
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		errs = append(errs, fmt.Errorf("OPENAI_BASE_URL: %q must start with http:// or https:// (e.g. http://localhost:11434/v1)", c.BaseURL))
	}
	if v := getenv("LLM_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > time.Minute {
			errs = append(errs, fmt.Errorf("LLM_TIMEOUT: %q must be a duration from 100ms to 1m (e.g. 3s)", v))
		}
		c.Timeout = d
	}
	return c, errs
}

// String prints the LLM settings with the key masked.
func (c llmConfig) String() string {
	return fmt.Sprintf("LLM_MODE=%s OPENAI_BASE_URL=%s OPENAI_API_KEY=%s OPENAI_MODEL=%s OPENAI_EMBED_MODEL=%s LLM_TIMEOUT=%s",
		c.Mode, c.BaseURL, mask(c.APIKey), c.Model, c.EmbedModel, c.Timeout)
}
