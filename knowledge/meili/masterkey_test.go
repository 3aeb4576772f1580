package meili

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMasterKey(t *testing.T) {
	dir := t.TempDir()
	first, err := masterKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 64 {
		t.Errorf("generated key has %d chars, want 64 (32 bytes hex)", len(first))
	}
	fi, err := os.Stat(filepath.Join(dir, masterKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	again, err := masterKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Error("a second call generated a new key instead of reusing the persisted one")
	}

	tests := []struct {
		name, key, wantErr string
	}{
		{"explicit key wins", "0123456789abcdef0123", ""},
		{"explicit key too short", "short", "at least 16 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := masterKey(dir, tt.key)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.key {
				t.Fatalf("masterKey = %q, %v; want %q", got, err, tt.key)
			}
		})
	}
}

func TestMasterKeyRejectsShortFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, masterKeyFile), []byte("tiny\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := masterKey(dir, ""); err == nil {
		t.Fatal("a too-short persisted key was accepted")
	}
}
