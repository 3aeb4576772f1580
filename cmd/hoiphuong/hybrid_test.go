package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/search/embedtest"
)

// openHybrid opens the app over the fake embeddings endpoint, returning
// what it printed.
func openHybrid(t *testing.T, e testEnv) (*app, string) {
	t.Helper()
	var out bytes.Buffer
	a, err := openApp(context.Background(), &env{getenv: e.getenv, stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &out}, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a, out.String()
}

// TestHybridSearchWiring: with OPENAI_EMBED_MODEL the indexes get vectors
// at the first start, are not rebuilt at the next, and a paraphrase finds
// its procedure; without it, the embeddings endpoint is never called.
func TestHybridSearchWiring(t *testing.T) {
	srv := embedtest.NewServer(t)
	e := remoteEnv(t)
	e["OPENAI_BASE_URL"] = srv.URL + "/v1"
	e["LLM_MODE"] = "understand"

	t.Run("without an embed model", func(t *testing.T) {
		e := copyEnv(e)
		e["DATA_DIR"] = t.TempDir()
		a, _ := openHybrid(t, e)
		defer a.close()
		if a.index.Hybrid() || a.index.Semantic(context.Background()) {
			t.Error("hybrid search without OPENAI_EMBED_MODEL")
		}
		if _, err := a.index.SearchProcedures(context.Background(), "đăng ký kết hôn", 3); err != nil {
			t.Fatal(err)
		}
		if srv.Calls() != 0 {
			t.Errorf("the embeddings endpoint was called %d times", srv.Calls())
		}
	})

	e["OPENAI_EMBED_MODEL"] = "fake-embed"
	a, out := openHybrid(t, e)
	if !a.index.Semantic(context.Background()) || srv.Model() != "fake-embed" || !strings.Contains(out, "with embeddings") {
		t.Fatalf("semantic %v, model %q, output:\n%s", a.index.Semantic(context.Background()), srv.Model(), out)
	}
	hits, err := a.index.SearchProcedures(context.Background(), "vợ em mới đẻ, giờ làm giấy tờ cho con ở đâu", 3)
	if err != nil || len(hits) == 0 || hits[0].ID != "khai-sinh" {
		t.Errorf("hybrid hits = %v, %v", hits, err)
	}
	a.close()

	texts := srv.Texts()
	a, out = openHybrid(t, e) // a restart: same version, vectors present
	defer a.close()
	if !strings.Contains(out, "search index: up to date") || !a.index.Semantic(context.Background()) {
		t.Errorf("restart rebuilt or lost the vectors:\n%s", out)
	}
	if srv.Texts() != texts {
		t.Errorf("the restart embedded %d texts again", srv.Texts()-texts)
	}
}

func copyEnv(e testEnv) testEnv {
	out := testEnv{}
	for k, v := range e {
		out[k] = v
	}
	return out
}
