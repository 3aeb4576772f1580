package llm

import (
	"context"
	"fmt"

	openai "github.com/sashabaranov/go-openai"
)

// Embed returns one vector per text (same order), from EmbedModel. Texts
// are masked first. Without an EmbedModel it returns ErrDisabled.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c == nil {
		return nil, ErrUnavailable
	}
	if c.cfg.EmbedModel == "" {
		return nil, ErrDisabled
	}
	if len(texts) == 0 {
		return nil, nil
	}
	var out [][]float32
	err := c.do(ctx, "embed", func(ctx context.Context) error {
		in := make([]string, len(texts))
		for i, t := range texts {
			in[i] = Mask(t)
		}
		resp, err := c.api.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
			Input: in, Model: openai.EmbeddingModel(c.cfg.EmbedModel), EncodingFormat: openai.EmbeddingEncodingFormatFloat,
		})
		if err != nil {
			return err
		}
		c.metrics.tokens.WithLabelValues("in").Add(float64(resp.Usage.PromptTokens))
		if len(resp.Data) != len(texts) {
			return fmt.Errorf("%w: %d embeddings for %d texts", ErrInvalid, len(resp.Data), len(texts))
		}
		out = make([][]float32, len(texts))
		for _, d := range resp.Data {
			if d.Index < 0 || d.Index >= len(texts) || out[d.Index] != nil || len(d.Embedding) == 0 {
				return fmt.Errorf("%w: embedding index %d", ErrInvalid, d.Index)
			}
			out[d.Index] = d.Embedding
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
