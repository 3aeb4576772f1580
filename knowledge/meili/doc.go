// Package meili owns the embedded Meilisearch: installing the pinned,
// checksummed binary (Install, Locate) and running it as a supervised child
// process on 127.0.0.1 with a persistent master key (Start, Server).
//
// The gateway uses it when no MEILI_URL is configured; tests use it through
// knowledge/meili/meilitest. Talking to Meilisearch (settings, documents,
// searches) is knowledge/search's job, not this package's.
package meili
