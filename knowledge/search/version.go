package search

import (
	"context"
	"fmt"

	"github.com/meilisearch/meilisearch-go"
)

// Meta is the index holding one document: which KB version the live
// indexes were built from, so a restart can skip an unneeded rebuild.
const Meta = "meta"

type metaDoc struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

// SetVersion records the KB version the live indexes hold.
func (i *Index) SetVersion(ctx context.Context, version int) error {
	pk := "id"
	info, err := i.client.Index(i.UID(Meta)).AddDocumentsWithContext(ctx, []metaDoc{{ID: "kb", Version: version}}, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("search: set version: %w", clean(err))
	}
	return i.waitTask(ctx, info.TaskUID)
}

// Version returns the KB version recorded by SetVersion; an error when
// none is recorded or Meilisearch cannot be reached.
func (i *Index) Version(ctx context.Context) (int, error) {
	var d metaDoc
	if err := i.client.Index(i.UID(Meta)).GetDocumentWithContext(ctx, "kb", nil, &d); err != nil {
		return 0, fmt.Errorf("search: version: %w", clean(err))
	}
	return d.Version, nil
}
