package meili

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// masterKeyFile holds the generated master key inside the data folder, so
// that a restarted gateway reaches the same Meilisearch database.
const masterKeyFile = "master.key"

// minKeyLen is Meilisearch's minimum master key length, in bytes.
const minKeyLen = 16

// masterKey returns key when set, else the key persisted in dataDir, else a
// new random 32-byte key (hex) that it persists there with mode 0600.
func masterKey(dataDir, key string) (string, error) {
	if key != "" {
		if len(key) < minKeyLen {
			return "", fmt.Errorf("master key must be at least %d bytes", minKeyLen)
		}
		return key, nil
	}
	path := filepath.Join(dataDir, masterKeyFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		k := strings.TrimSpace(string(b))
		if len(k) < minKeyLen {
			return "", fmt.Errorf("%s: master key shorter than %d bytes", path, minKeyLen)
		}
		return k, nil
	case !errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("read master key: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate master key: %w", err)
	}
	k := hex.EncodeToString(raw)
	// O_EXCL: never overwrite a key another process has just written.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("write master key: %w", err)
	}
	if _, err := f.WriteString(k + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("write master key: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write master key: %w", err)
	}
	return k, nil
}
