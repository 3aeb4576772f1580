package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// defaultLimit is used when a search asks for no particular number of hits.
const defaultLimit = 10

// Matching strategies decide which query words may be dropped when no
// document has them all. MatchLast drops words from the end (an address
// typed in order keeps its ward name); MatchFrequency drops the commonest
// first (a chatty question keeps its rare, telling words); MatchAll drops
// none. Neither of the first two is right for every message: "tôi muốn xin
// lý lịch tư pháp" finds nothing with MatchLast, "làm giấy khai sinh ở
// đâu" finds the wrong things with MatchFrequency. So by default searches
// send both in one multi-search and keep each document once, with its
// better score. (A federated multi-search would merge them server-side but
// costs Meilisearch 1.21 some 4 ms more per search.)
const (
	MatchLast      = meilisearch.Last
	MatchFrequency = meilisearch.Frequency
	MatchAll       = meilisearch.All
)

// ProcedureHit is one procedure found, with Meilisearch's ranking score (0–1).
type ProcedureHit struct {
	ID    string  `json:"id"`
	Score float64 `json:"_rankingScore"`
}

// UnitHit is one new unit found.
type UnitHit struct {
	UnitDoc
	Score float64 `json:"_rankingScore"`
}

// OldUnitHit is one old commune (current in March 2025, or a former name) found.
type OldUnitHit struct {
	OldUnitDoc
	Score float64 `json:"_rankingScore"`
}

// UnitQuery narrows SearchUnitsIn.
type UnitQuery struct {
	ProvinceCode string // new province code, e.g. knowledge.HCMCProvinceCode; "" = all
	Limit        int    // 0 = 10
}

// OldUnitQuery narrows SearchOldUnits.
type OldUnitQuery struct {
	// ProvinceCode keeps old communes that now lie, at least in part, in
	// that (new) province: "79" finds old HCMC, Bình Dương and Bà Rịa–Vũng
	// Tàu communes alike. "" = nationwide.
	ProvinceCode string
	Limit        int    // 0 = 10
	Kind         string // KindCurrent, KindFormer or "" for both
	// Strategy forces one matching strategy; "" runs MatchLast and
	// MatchFrequency together (see MatchLast).
	Strategy meilisearch.MatchingStrategy
}

// SearchProcedures finds procedures for a citizen's words, best first.
// With hybrid search on, the query's embedding is sent too (see
// searchProcedures).
func (i *Index) SearchProcedures(ctx context.Context, q string, limit int) ([]ProcedureHit, error) {
	var hits []ProcedureHit
	err := i.searchProcedures(ctx, q, limit, &hits)
	return hits, err
}

// SearchUnits finds new units, nationwide, by name.
func (i *Index) SearchUnits(ctx context.Context, q string, limit int) ([]UnitHit, error) {
	return i.SearchUnitsIn(ctx, q, UnitQuery{Limit: limit})
}

// SearchUnitsIn finds new units by name, optionally in one province.
func (i *Index) SearchUnitsIn(ctx context.Context, q string, opts UnitQuery) ([]UnitHit, error) {
	var hits []UnitHit
	err := i.search(ctx, Units, unitRequest(q, opts), opts.Limit, &hits)
	return hits, err
}

// SearchOldUnits finds old communes and former names, e.g. "da kao quan 1".
func (i *Index) SearchOldUnits(ctx context.Context, q string, opts OldUnitQuery) ([]OldUnitHit, error) {
	var hits []OldUnitHit
	err := i.search(ctx, OldUnits, oldUnitRequest(q, opts), opts.Limit, &hits)
	return hits, err
}

// RawSearch sends exactly the request the typed search of that index
// (Units, OldUnits, Procedures; default options) sends, and returns
// Meilisearch's response undecoded — for benchmarks that compare the
// adapter with the engine on the same query strings.
func (i *Index) RawSearch(ctx context.Context, name, q string, limit int) (*meilisearch.MultiSearchResponse, error) {
	var req *meilisearch.SearchRequest
	switch name {
	case Units:
		req = unitRequest(q, UnitQuery{})
	case OldUnits:
		req = oldUnitRequest(q, OldUnitQuery{})
	case Procedures:
		req = procedureRequest(q)
	default:
		return nil, fmt.Errorf("search: unknown index %q", name)
	}
	res, err := i.multiSearch(ctx, i.multi(name, req, limit))
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", name, clean(err))
	}
	return res, nil
}

// The requests below are templates: multi sets the index, the strategies
// and the limit.

func procedureRequest(q string) *meilisearch.SearchRequest {
	return &meilisearch.SearchRequest{
		Query:                q,
		AttributesToRetrieve: []string{"id"},
		ShowRankingScore:     true,
	}
}

func unitRequest(q string, opts UnitQuery) *meilisearch.SearchRequest {
	req := &meilisearch.SearchRequest{Query: q, ShowRankingScore: true}
	if opts.ProvinceCode != "" {
		req.Filter = "province_code = " + quote(opts.ProvinceCode)
	}
	return req
}

func oldUnitRequest(q string, opts OldUnitQuery) *meilisearch.SearchRequest {
	req := &meilisearch.SearchRequest{Query: q, MatchingStrategy: opts.Strategy, ShowRankingScore: true}
	var filters []string
	if opts.ProvinceCode != "" {
		filters = append(filters, "new_province_codes = "+quote(opts.ProvinceCode))
	}
	if opts.Kind != "" {
		filters = append(filters, "kind = "+quote(opts.Kind))
	}
	if len(filters) > 0 {
		req.Filter = strings.Join(filters, " AND ")
	}
	return req
}

// multi turns a request template into one multi-search over the index:
// one query per matching strategy (both by default), each asking for the
// full limit — the best `limit` documents overall are among them.
func (i *Index) multi(name string, tmpl *meilisearch.SearchRequest, limit int) *meilisearch.MultiSearchRequest {
	strategies := []meilisearch.MatchingStrategy{tmpl.MatchingStrategy}
	if tmpl.MatchingStrategy == "" {
		strategies = []meilisearch.MatchingStrategy{MatchLast, MatchFrequency}
	}
	queries := make([]*meilisearch.SearchRequest, 0, len(strategies))
	for _, st := range strategies {
		q := *tmpl
		q.IndexUID = i.UID(name)
		q.MatchingStrategy = st
		q.Limit = limitOr(limit)
		queries = append(queries, &q)
	}
	return &meilisearch.MultiSearchRequest{Queries: queries}
}

// search runs one typed search and decodes its hits into out (a *[]T). A
// blank query finds nothing (Meilisearch would return every document).
func (i *Index) search(ctx context.Context, name string, tmpl *meilisearch.SearchRequest, limit int, out any) error {
	tmpl.Query = strings.TrimSpace(tmpl.Query)
	if tmpl.Query == "" {
		return nil
	}
	res, err := i.multiSearch(ctx, i.multi(name, tmpl, limit))
	if err != nil {
		return fmt.Errorf("search %s: %w", name, clean(err))
	}
	var weight func(meilisearch.Hit) float64
	if tmpl.Hybrid != nil {
		weight = hybridWeight(tmpl.Hybrid.SemanticRatio)
	}
	hits, err := mergeHits(res.Results, primaryKey(name), int(limitOr(limit)), weight)
	if err != nil {
		return fmt.Errorf("search %s: %w", name, err)
	}
	if err := hits.DecodeInto(out); err != nil {
		return fmt.Errorf("search %s: decode hits: %w", name, err)
	}
	return nil
}

func limitOr(n int) int64 {
	if n <= 0 {
		return defaultLimit
	}
	return int64(n)
}

// quote makes a filter value of s (codes and kinds: no user text).
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
