package publish

import (
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
	"github.com/hoiphuong/hoiphuong/knowledge/search/embedtest"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	"github.com/hoiphuong/hoiphuong/knowledge/store"
)

// hybridRig is a rig whose index embeds over the fake endpoint.
func hybridRig(t *testing.T) (*rig, meilisearch.ServiceManager, *embedtest.Server) {
	t.Helper()
	ctx := t.Context()
	db := sqldbtest.Open(t)
	kbs, err := store.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{store: kbs}
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.store.SaveVersion(ctx, kb, "seed", "seed"); err != nil {
		t.Fatal(err)
	}
	srv := embedtest.NewServer(t)
	client, prefix := meilitest.Client(t)
	r.index = search.New(client, prefix, search.WithSynonyms(seed.Synonyms()), search.WithHybrid(search.Hybrid{
		Embedder: embedtest.Client{BaseURL: srv.URL + "/v1", Model: "fake-embed"},
	}))
	if st, err := r.index.Build(ctx, kb); err != nil || !st.Semantic {
		t.Fatalf("first build: %+v, %v", st, err)
	}
	r.pub = r.publisher(t, r.index)
	return r, client, srv
}

// semantic reports whether the live procedures index has the embedder,
// and whether procedure id carries a vector.
func semantic(t *testing.T, r *rig, client meilisearch.ServiceManager, id string) (bool, bool) {
	t.Helper()
	ix := client.Index(r.index.UID(search.Procedures))
	emb, err := ix.GetEmbeddersWithContext(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Vectors map[string]struct {
			Embeddings [][]float32 `json:"embeddings"`
		} `json:"_vectors"`
	}
	if err := ix.GetDocumentWithContext(t.Context(), id, &meilisearch.DocumentQuery{RetrieveVectors: true}, &doc); err != nil {
		t.Fatal(err)
	}
	_, has := emb[search.EmbedderName]
	return has, len(doc.Vectors[search.EmbedderName].Embeddings) == 1
}

func TestPublishRebuildsVectors(t *testing.T) {
	ctx := t.Context()
	r, client, srv := hybridRig(t)
	if err := r.store.SaveProcedure(ctx, "an", zebra); err != nil {
		t.Fatal(err)
	}
	first, err := r.pub.Publish(ctx, "an", "Thêm ngựa vằn", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if emb, vec := semantic(t, r, client, zebra.ID); !emb || !vec {
		t.Fatalf("after publish: embedder %v, zebra vector %v", emb, vec)
	}
	if !r.finds(t, "ngựa vằn zebra") {
		t.Error("the published procedure is not searchable")
	}

	// The endpoint fails: the next publish still goes through, keyword-only.
	srv.Fail.Store(true)
	horse := knowledge.Procedure{ID: "thu-tuc-ngua-o", Name: "Đăng ký ngựa ô", Authority: "UBND cấp xã",
		OfficeLevels: []string{knowledge.LevelCommune}, FileAnywhere: "yes", Online: "yes", Confidence: "low"}
	if err := r.store.SaveProcedure(ctx, "an", horse); err != nil {
		t.Fatal(err)
	}
	if _, err := r.pub.Publish(ctx, "an", "Thêm ngựa ô", time.Time{}); err != nil {
		t.Fatalf("publish with the embeddings endpoint down: %v", err)
	}
	if emb, vec := semantic(t, r, client, horse.ID); emb || vec {
		t.Errorf("keyword-only publish: embedder %v, vector %v", emb, vec)
	}
	if r.index.Semantic(ctx) {
		t.Error("Semantic after a keyword-only publish")
	}
	if hits, err := r.index.SearchProcedures(ctx, "đăng ký ngựa ô", 3); err != nil || len(hits) == 0 || hits[0].ID != horse.ID {
		t.Errorf("keyword search after the publish: %v %v", hits, err)
	}

	// Back up: a rollback rebuilds the vectors with the rest.
	srv.Fail.Store(false)
	if _, err := r.pub.Rollback(ctx, "an", first.Version); err != nil {
		t.Fatal(err)
	}
	if emb, vec := semantic(t, r, client, zebra.ID); !emb || !vec {
		t.Errorf("after rollback: embedder %v, zebra vector %v", emb, vec)
	}
}
