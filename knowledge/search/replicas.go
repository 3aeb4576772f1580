package search

import (
	"context"
	"fmt"

	"github.com/meilisearch/meilisearch-go"
)

// WithReplicas keeps the same indexes on more Meilisearch nodes
// (MEILI_URLS): a build and a version mark go to every node, so a publish
// switches all of them; a search reads from the node that last answered,
// and goes on to the next when it fails. Several gateways then survive the
// loss of a search node as they survive the loss of a gateway.
func WithReplicas(clients ...meilisearch.ServiceManager) Option {
	return func(i *Index) {
		for _, c := range clients {
			i.replicas = append(i.replicas, &Index{client: c})
		}
	}
}

// nodes are the primary and its replicas, in order.
func (i *Index) nodes() []*Index {
	return append([]*Index{i}, i.replicas...)
}

// multiSearch runs req on the node that last answered, then on the others
// in turn while they fail.
func (i *Index) multiSearch(ctx context.Context, req *meilisearch.MultiSearchRequest) (*meilisearch.MultiSearchResponse, error) {
	nodes := i.nodes()
	start := int(i.good.Load()) % len(nodes)
	var err error
	for k := range nodes {
		n := (start + k) % len(nodes)
		var res *meilisearch.MultiSearchResponse
		if res, err = nodes[n].client.MultiSearchWithContext(ctx, req); err == nil {
			i.good.Store(int32(n))
			return res, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, err
}

// nodeErr names the node an error of a write to every node came from.
func nodeErr(n int, err error) error {
	if n == 0 {
		return err
	}
	return fmt.Errorf("meilisearch node %d: %w", n+1, err)
}
