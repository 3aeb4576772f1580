package meili

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTGZ writes a gzipped tarball of entries (name → content; a name
// ending in "/" is a directory) and returns its path.
func writeTGZ(t *testing.T, entries map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, body := range entries {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(name, "/") {
			hdr = &tar.Header{Name: strings.TrimSuffix(name, "/"), Mode: 0o755, Typeflag: tar.TypeDir}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pkg.tgz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestExtractVerified(t *testing.T) {
	const body = "#!/bin/sh\necho fake meilisearch\n"
	tests := []struct {
		name    string
		entries map[string]string
		sha     string
		wantErr string
		isSum   bool
	}{
		{"ok", map[string]string{"package/package.json": "{}", "package/meilisearch": body}, sum(body), "", false},
		{"missing member", map[string]string{"package/package.json": "{}"}, sum(body), "no package/meilisearch", false},
		{"checksum mismatch", map[string]string{"package/meilisearch": body + "x"}, sum(body), "checksum mismatch", true},
		{"not a regular file", map[string]string{"package/meilisearch/": ""}, sum(body), "not a regular file", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tgz := writeTGZ(t, tt.entries)
			dest := filepath.Join(t.TempDir(), "meilisearch")
			err := extractVerified(tgz, tarballPath, dest, tt.sha)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("extract: %v", err)
				}
				fi, err := os.Stat(dest)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o755 {
					t.Errorf("mode = %v, want 0755", fi.Mode().Perm())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if tt.isSum != errors.Is(err, ErrChecksum) {
				t.Errorf("errors.Is(err, ErrChecksum) = %v, want %v", !tt.isSum, tt.isSum)
			}
			if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed extraction left %s behind", dest)
			}
		})
	}
}

func TestLastLines(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"", 3, ""},
		{"a\n\nb\nc\n", 2, "b | c"},
		{"  only  \n", 5, "only"},
	}
	for _, tt := range tests {
		if got := lastLines(tt.in, tt.n); got != tt.want {
			t.Errorf("lastLines(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
