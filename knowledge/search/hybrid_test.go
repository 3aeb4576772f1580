package search

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
	"github.com/hoiphuong/hoiphuong/knowledge/search/embedtest"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

// curatedKB is the seed plus two curated answers.
func curatedKB(t testing.TB) *knowledge.KB {
	kb := loadKB(t)
	kb.Curated = append([]knowledge.CuratedAnswer(nil), // instead of the seed's FAQ
		knowledge.CuratedAnswer{ID: "gio-lam-viec", Questions: []string{"mấy giờ phường mở cửa", "giờ làm việc của phường"}, Answer: "Từ 7 giờ 30."},
		knowledge.CuratedAnswer{ID: "le-phi-ho-chieu", Questions: []string{"lệ phí làm hộ chiếu bao nhiêu"}, Answer: "200.000 đồng.", ProcedureID: "ho-chieu"},
	)
	return kb
}

// hybridIndex returns an Index with hybrid search over the fake endpoint
// (not built yet).
func hybridIndex(t testing.TB) (*Index, *embedtest.Server) {
	t.Helper()
	srv := embedtest.NewServer(t)
	client, prefix := meilitest.Client(t)
	ix := New(client, prefix, WithSynonyms(seed.Synonyms()), WithHybrid(Hybrid{
		Embedder: embedtest.Client{BaseURL: srv.URL + "/v1", Model: "fake-embed"},
	}))
	return ix, srv
}

func buildOK(t testing.TB, ix *Index, kb *knowledge.KB) BuildStats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := ix.Build(ctx, kb)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return st
}

// embedders returns the embedders of one live index (nil if it has none).
func embedders(t testing.TB, ix *Index, name string) map[string]meilisearch.Embedder {
	t.Helper()
	emb, err := ix.client.Index(ix.UID(name)).GetEmbeddersWithContext(context.Background())
	if err != nil {
		t.Fatalf("embedders of %s: %v", name, err)
	}
	return emb
}

// vectorsOf returns the stored embeddings of one document.
func vectorsOf(t testing.TB, ix *Index, name, id string) [][]float32 {
	t.Helper()
	var doc struct {
		Vectors map[string]struct {
			Embeddings [][]float32 `json:"embeddings"`
		} `json:"_vectors"`
	}
	err := ix.client.Index(ix.UID(name)).GetDocumentWithContext(context.Background(), id,
		&meilisearch.DocumentQuery{RetrieveVectors: true}, &doc)
	if err != nil {
		t.Fatalf("document %s of %s: %v", id, name, err)
	}
	return doc.Vectors[EmbedderName].Embeddings
}

// checkSemantic checks that the procedures and curated indexes carry the
// userProvided embedder and the documents their vectors.
func checkSemantic(t *testing.T, ix *Index) {
	t.Helper()
	for _, name := range []string{Procedures, Curated} {
		e, ok := embedders(t, ix, name)[EmbedderName]
		if !ok || e.Source != meilisearch.UserProvidedEmbedderSource || e.Dimensions != embedtest.Dims {
			t.Errorf("%s embedder %q = %+v (present %v)", name, EmbedderName, e, ok)
		}
	}
	if v := vectorsOf(t, ix, Procedures, "khai-sinh"); len(v) != 1 || len(v[0]) != embedtest.Dims {
		t.Errorf("khai-sinh vectors: %d of %d dims", len(v), len(v[0]))
	}
	if v := vectorsOf(t, ix, Curated, "gio-lam-viec"); len(v) != 2 {
		t.Errorf("gio-lam-viec: %d vectors, want one per phrasing (2)", len(v))
	}
}

func TestHybridBuild(t *testing.T) {
	ix, srv := hybridIndex(t)
	kb := curatedKB(t)
	st := buildOK(t, ix, kb)
	if !st.Semantic || st.Documents[Curated] != 2 {
		t.Fatalf("stats = %+v", st)
	}
	if srv.Model() != "fake-embed" {
		t.Errorf("model sent = %q", srv.Model())
	}
	want := int64(len(kb.Procedures) + 3) // 3 curated phrasings
	if srv.Texts() != want || srv.Calls() != (want+63)/64 {
		t.Errorf("%d texts in %d calls, want %d in batches of 64", srv.Texts(), srv.Calls(), want)
	}
	checkSemantic(t, ix)

	// A rebuild of the same KB embeds nothing again; a changed name only it.
	kb.Procedures[0].Name += " (sửa)"
	buildOK(t, ix, kb)
	if got := srv.Texts() - want; got != 1 {
		t.Errorf("rebuild embedded %d texts, want the 1 changed", got)
	}
	checkSemantic(t, ix)
}

// paraphrase asks for a birth registration without any of its words.
const paraphrase = "vợ em mới đẻ, giờ làm giấy tờ cho con ở đâu"

func TestHybridFindsOtherWords(t *testing.T) {
	ctx := context.Background()
	kb := curatedKB(t)

	client, prefix := meilitest.Client(t)
	keyword := New(client, prefix+"kw_", WithSynonyms(seed.Synonyms()))
	buildOK(t, keyword, kb)
	hits, err := keyword.SearchProcedures(ctx, paraphrase, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) > 0 && hits[0].ID == "khai-sinh" {
		t.Fatalf("keyword search already finds it: %v", hits)
	}

	ix, _ := hybridIndex(t)
	buildOK(t, ix, kb)
	hits, err = ix.SearchProcedures(ctx, paraphrase, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].ID != "khai-sinh" {
		t.Fatalf("hybrid hits = %v, want khai-sinh first", hits)
	}
	// The usual phrasings still come first as they did.
	for q, want := range map[string]string{"đăng ký kết hôn": "ket-hon", "gplx": "giay-phep-lai-xe", "lam cccd o dau": "can-cuoc-tu-14"} {
		hits, err := ix.SearchProcedures(ctx, q, 3)
		if err != nil || len(hits) == 0 || hits[0].ID != want {
			t.Errorf("%q: %v %v, want %s first", q, hits, err, want)
		}
	}

	ch, err := ix.SearchCurated(ctx, "giờ mở cửa phường là mấy giờ", 3)
	if err != nil || len(ch) == 0 || ch[0].ID != "gio-lam-viec" || !ch[0].Semantic {
		t.Errorf("curated hits = %+v, %v", ch, err)
	}
	if ch, err := keyword.SearchCurated(ctx, "giờ mở cửa phường", 3); err != nil || ch != nil {
		t.Errorf("keyword-only curated search = %v, %v; want nothing", ch, err)
	}
}

func TestHybridBuildEmbeddingFailure(t *testing.T) {
	ix, srv := hybridIndex(t)
	kb := curatedKB(t)
	buildOK(t, ix, kb) // with vectors and a curated index
	// A new process (nothing cached) publishes while the endpoint fails.
	srv.Fail.Store(true)
	ix = New(ix.client, ix.prefix, WithHybrid(Hybrid{
		Embedder: embedtest.Client{BaseURL: srv.URL + "/v1", Model: "fake-embed"},
	}))
	st := buildOK(t, ix, kb)
	if st.Semantic {
		t.Fatal("stats say semantic with a failing endpoint")
	}
	if e := embedders(t, ix, Procedures); len(e) != 0 {
		t.Errorf("procedures embedders = %v, want none", e)
	}
	existing, err := ix.existing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if existing[ix.UID(Curated)] {
		t.Error("the curated index of the earlier build is still live")
	}
	calls := srv.Calls()
	hits, err := ix.SearchProcedures(context.Background(), "đăng ký kết hôn", 3)
	if err != nil || len(hits) == 0 || hits[0].ID != "ket-hon" {
		t.Errorf("keyword search after a keyword-only build: %v %v", hits, err)
	}
	if srv.Calls() != calls {
		t.Error("a keyword-only index still embeds queries")
	}
	// The endpoint is back: the next build has vectors again.
	srv.Fail.Store(false)
	if st := buildOK(t, ix, kb); !st.Semantic {
		t.Error("no vectors once the endpoint is back")
	}
}

func TestHybridQueryEmbeddingFailure(t *testing.T) {
	ctx := context.Background()
	ix, srv := hybridIndex(t)
	buildOK(t, ix, curatedKB(t))
	for _, tc := range []struct {
		name  string
		setup func()
	}{
		{"5xx", func() { srv.Fail.Store(true) }},
		{"slow", func() { srv.Fail.Store(false); srv.Delay.Store(int64(2 * time.Second)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			start := time.Now()
			hits, err := ix.SearchProcedures(ctx, "đăng ký kết hôn", 3)
			if err != nil || len(hits) == 0 || hits[0].ID != "ket-hon" {
				t.Fatalf("keyword fallback: %v %v", hits, err)
			}
			if d := time.Since(start); d > ix.hybrid.QueryTimeout+300*time.Millisecond {
				t.Errorf("fallback took %s", d)
			}
			if ch, err := ix.SearchCurated(ctx, "giờ làm việc của phường", 3); err != nil || len(ch) != 0 {
				t.Errorf("curated search without an embedding = %v, %v", ch, err)
			}
		})
	}
}

func TestNoEmbedModel(t *testing.T) {
	client, prefix := meilitest.Client(t)
	ix := New(client, prefix, WithHybrid(Hybrid{})) // no embedder: off
	st := buildOK(t, ix, curatedKB(t))
	if st.Semantic || ix.Semantic(context.Background()) {
		t.Error("semantic without an embedder")
	}
	if e := embedders(t, ix, Procedures); len(e) != 0 {
		t.Errorf("embedders = %v", e)
	}
	existing, err := ix.existing(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for uid := range existing {
		names = append(names, uid[len(prefix):])
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{OldUnits, Procedures, Units}) {
		t.Errorf("indexes = %v", names)
	}
}

func TestSemanticAfterRestart(t *testing.T) {
	ix, srv := hybridIndex(t)
	buildOK(t, ix, curatedKB(t))
	// A new process over the same indexes finds out from the settings.
	again := New(ix.client, ix.prefix, WithHybrid(Hybrid{
		Embedder: embedtest.Client{BaseURL: srv.URL + "/v1", Model: "fake-embed"},
	}))
	if !again.Semantic(context.Background()) {
		t.Fatal("built with vectors, but Semantic is false")
	}
	hits, err := again.SearchProcedures(context.Background(), paraphrase, 3)
	if err != nil || len(hits) == 0 || hits[0].ID != "khai-sinh" {
		t.Errorf("hits = %v %v", hits, err)
	}
}
