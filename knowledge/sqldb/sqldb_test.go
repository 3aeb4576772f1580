package sqldb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
		skipAsRoot       bool
	}{
		{"missing directory", filepath.Join(dir, "nope", "x.db"), "does not exist", false},
		{"parent is a file", filepath.Join(file, "x.db"), "is not a directory", false},
		{"read-only directory", filepath.Join(readOnly, "x.db"), "not writable", true},
		{"empty", "", "want the path", false},
		{"memory", ":memory:", "want the path", false},
		{"query in path", filepath.Join(dir, "x.db?mode=ro"), "must not contain", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skipAsRoot && os.Geteuid() == 0 {
				t.Skip("root can write to read-only directories")
			}
			db, err := Open(t.Context(), tt.path)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded", tt.path)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open(%q) = %v, want an error saying %q", tt.path, err, tt.want)
			}
		})
	}
}

func TestOpenTwiceAndMigrate(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "hoiphuong.db")
	for range 2 { // reopening is fine
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var fk, timeout int
	var sync string
	if err := db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if fk != 1 || timeout != int(busyTimeout.Milliseconds()) || sync != "1" {
		t.Errorf("pragmas: foreign_keys=%d busy_timeout=%d synchronous=%s", fk, timeout, sync)
	}

	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte("CREATE TABLE t_a (x INTEGER);")},
		"0002_b.sql": {Data: []byte("CREATE TABLE t_b (x INTEGER); INSERT INTO t_b VALUES (1);")},
		"notes.txt":  {Data: []byte("not a migration")},
	}
	for range 2 {
		if err := Migrate(ctx, db, fsys, "test"); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t_b").Scan(&n); err != nil || n != 1 {
		t.Errorf("t_b has %d rows (%v), want 1: a migration ran twice", n, err)
	}
	fsys["0003_bad.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE t_c (x INTEGER); NOT SQL;")}
	if err := Migrate(ctx, db, fsys, "test"); err == nil {
		t.Error("a broken migration succeeded")
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t_c").Scan(&n); err == nil {
		t.Error("a failed migration left its table behind")
	}
	if err := db.QueryRowContext(ctx,
		"SELECT COUNT(*) FROM schema_migrations WHERE namespace = 'test'").Scan(&n); err != nil || n != 2 {
		t.Errorf("test migrations recorded: %d (%v), want 2", n, err)
	}
}
