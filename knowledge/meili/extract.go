package meili

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
)

// extractVerified copies the regular file member of the gzipped tarball tgz
// to dest (mode 0755), and removes it again unless its sha256 is wantSHA.
func extractVerified(tgz, member, dest, wantSHA string) (err error) {
	f, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("open tarball: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", tgz, err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: no %s in the tarball", tgz, member)
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", tgz, err)
		}
		if hdr.Name != member {
			continue
		}
		if hdr.Typeflag != tar.TypeReg {
			return fmt.Errorf("%s: %s is not a regular file", tgz, member)
		}
		return writeVerified(tr, dest, wantSHA)
	}
}

// writeVerified writes r to dest while hashing it; on any failure, a
// checksum mismatch included, dest is removed.
func writeVerified(r io.Reader, dest, wantSHA string) (err error) {
	out, err := os.OpenFile(dest, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return fmt.Errorf("create binary: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(dest)
		}
	}()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), r); err != nil {
		out.Close()
		return fmt.Errorf("write binary: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("write binary: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSHA {
		return fmt.Errorf("%w: got %s, want %s", ErrChecksum, got, wantSHA)
	}
	// OpenFile's mode is filtered by the umask; the binary must be executable.
	if err := os.Chmod(dest, 0o755); err != nil {
		return fmt.Errorf("chmod binary: %w", err)
	}
	return nil
}
