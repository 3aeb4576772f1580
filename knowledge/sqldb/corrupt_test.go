package sqldb_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// TestCorruptFileRefusedAtOpen: a database whose pages were overwritten
// is refused at open with ErrCorrupt, instead of serving and failing most
// writes later.
func TestCorruptFileRefusedAtOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hoiphuong.db")
	db, err := sqldb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	kbs, err := kbstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kbs.SaveVersion(ctx, kb, "seed", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	junk := make([]byte, 4096*8)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	// Overwrite pages in the middle of the file (the header stays valid).
	if _, err := f.WriteAt(junk, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if db, err := sqldb.Open(ctx, path); !errors.Is(err, sqldb.ErrCorrupt) {
		if db != nil {
			db.Close()
		}
		t.Fatalf("Open(damaged file) = %v, want ErrCorrupt", err)
	}
}
