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

// SetVersion records the KB version the live indexes hold, on every node.
func (i *Index) SetVersion(ctx context.Context, version int) error {
	for n, node := range i.nodes() {
		if err := node.setVersion(ctx, version); err != nil {
			return nodeErr(n, err)
		}
	}
	return nil
}

func (i *Index) setVersion(ctx context.Context, version int) error {
	pk := "id"
	info, err := i.client.Index(i.UID(Meta)).AddDocumentsWithContext(ctx, []metaDoc{{ID: "kb", Version: version}}, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("search: set version: %w", clean(err))
	}
	return i.waitTask(ctx, info.TaskUID)
}

// Version returns the KB version recorded by SetVersion; an error when
// none is recorded, a node cannot be reached or the nodes disagree (a
// node added or restored empty): the caller builds them all again.
func (i *Index) Version(ctx context.Context) (int, error) {
	v, err := i.version(ctx)
	if err != nil {
		return 0, err
	}
	for n, node := range i.replicas {
		rv, err := node.version(ctx)
		if err != nil {
			return 0, nodeErr(n+1, err)
		}
		if rv != v {
			return 0, fmt.Errorf("search: version: node %d holds %d, node 1 holds %d", n+2, rv, v)
		}
	}
	return v, nil
}

func (i *Index) version(ctx context.Context) (int, error) {
	var d metaDoc
	if err := i.client.Index(i.UID(Meta)).GetDocumentWithContext(ctx, "kb", nil, &d); err != nil {
		return 0, fmt.Errorf("search: version: %w", clean(err))
	}
	return d.Version, nil
}
