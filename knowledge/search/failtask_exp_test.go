package search

import (
	"context"
	"testing"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

func TestExpFail(t *testing.T) {
	client, prefix := meilitest.Client(t)
	ix := New(client, prefix)
	try := func(name string, s *meilisearch.Settings) {
		_, err := ix.build(context.Background(), []spec{{Procedures, "id", s, procedureDocs(loadKB(t)), 1}})
		t.Logf("%s: %v", name, err)
	}
	s := procedureSettings(nil)
	s.Embedders = map[string]meilisearch.Embedder{"default": {Source: "rest", URL: "http://127.0.0.1:1/embed",
		Request: map[string]any{"input": "{{text}}"}, Response: map[string]any{"embedding": "{{embedding}}"}}}
	try("rest", s)
	s = procedureSettings(nil)
	s.Embedders = map[string]meilisearch.Embedder{"default": {Source: "userProvided"}}
	try("userProvided nodim", s)
	s = procedureSettings(nil)
	s.Embedders = map[string]meilisearch.Embedder{"default": {Source: "huggingFace", Model: "no/such-model-xyz"}}
	try("hf", s)
	s = procedureSettings(nil)
	s.DistinctAttribute = new(string)
	*s.DistinctAttribute = "name"
	s.FilterableAttributes = []string{"name"}
	s.SearchableAttributes = []string{"nonexistent"}
	try("distinct", s)
}
