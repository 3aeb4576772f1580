package main

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// TestOldDatabaseGetsSeedExamples: a database saved before procedures had
// example questions gets the seed's as a new version at start (other data
// kept); a database that has them is left alone.
func TestOldDatabaseGetsSeedExamples(t *testing.T) {
	ctx := t.Context()
	db, err := sqldb.Open(ctx, filepath.Join(t.TempDir(), dbFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kbs, err := kbstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	old, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i := range old.Procedures {
		old.Procedures[i].Examples = nil
	}
	old.Procedures[0].Fee = "phí do biên tập viên sửa"
	if _, err := kbs.SaveVersion(ctx, old, "seed", "trước khi có câu hỏi mẫu"); err != nil {
		t.Fatal(err)
	}
	a := &app{kbs: kbs, progress: io.Discard}
	if err := a.loadKB(ctx); err != nil {
		t.Fatal(err)
	}
	examples := 0
	for _, p := range a.kb.Procedures {
		examples += len(p.Examples)
	}
	if examples < 1000 || a.kb.Procedures[0].Fee != "phí do biên tập viên sửa" {
		t.Fatalf("after the upgrade: %d examples, fee %q", examples, a.kb.Procedures[0].Fee)
	}
	upgraded := a.kb.Version
	if err := a.loadKB(ctx); err != nil {
		t.Fatal(err)
	}
	if a.kb.Version != upgraded {
		t.Errorf("second start saved version %d again (was %d)", a.kb.Version, upgraded)
	}
}
