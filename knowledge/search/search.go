package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// defaultLimit is used when a search asks for no particular number of hits.
const defaultLimit = 10

// Matching strategies, re-exported so that callers need not import the
// client: Last drops query words from the end until something matches
// (good for addresses typed in order), Frequency drops the commonest words
// first (good for chatty questions), All drops none.
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
	Limit        int                          // 0 = 10
	Kind         string                       // KindCurrent, KindFormer or "" for both
	Strategy     meilisearch.MatchingStrategy // "" = MatchLast
}

// SearchProcedures finds procedures for a citizen's words, best first.
func (i *Index) SearchProcedures(ctx context.Context, q string, limit int) ([]ProcedureHit, error) {
	var hits []ProcedureHit
	err := i.search(ctx, Procedures, i.procedureRequest(q, limit), &hits)
	return hits, err
}

// SearchUnits finds new units, nationwide, by name.
func (i *Index) SearchUnits(ctx context.Context, q string, limit int) ([]UnitHit, error) {
	return i.SearchUnitsIn(ctx, q, UnitQuery{Limit: limit})
}

// SearchUnitsIn finds new units by name, optionally in one province.
func (i *Index) SearchUnitsIn(ctx context.Context, q string, opts UnitQuery) ([]UnitHit, error) {
	var hits []UnitHit
	err := i.search(ctx, Units, i.unitRequest(q, opts), &hits)
	return hits, err
}

// SearchOldUnits finds old communes and former names, e.g. "da kao quan 1".
func (i *Index) SearchOldUnits(ctx context.Context, q string, opts OldUnitQuery) ([]OldUnitHit, error) {
	var hits []OldUnitHit
	err := i.search(ctx, OldUnits, i.oldUnitRequest(q, opts), &hits)
	return hits, err
}

// RawSearch sends the request the typed search of that index (Units,
// OldUnits, Procedures; default options) would send, and returns
// Meilisearch's response undecoded — for benchmarks that compare the
// adapter with the engine on the same queries.
func (i *Index) RawSearch(ctx context.Context, name, q string, limit int) (*meilisearch.SearchResponse, error) {
	var req *meilisearch.SearchRequest
	switch name {
	case Units:
		req = i.unitRequest(q, UnitQuery{Limit: limit})
	case OldUnits:
		req = i.oldUnitRequest(q, OldUnitQuery{Limit: limit})
	case Procedures:
		req = i.procedureRequest(q, limit)
	default:
		return nil, fmt.Errorf("search: unknown index %q", name)
	}
	res, err := i.client.Index(i.UID(name)).SearchWithContext(ctx, q, req)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", name, clean(err))
	}
	return res, nil
}

func (i *Index) procedureRequest(q string, limit int) *meilisearch.SearchRequest {
	return &meilisearch.SearchRequest{
		Query:                q,
		Limit:                limitOr(limit),
		AttributesToRetrieve: []string{"id"},
		MatchingStrategy:     MatchFrequency,
		ShowRankingScore:     true,
	}
}

func (i *Index) unitRequest(q string, opts UnitQuery) *meilisearch.SearchRequest {
	req := &meilisearch.SearchRequest{
		Query:            q,
		Limit:            limitOr(opts.Limit),
		MatchingStrategy: MatchLast,
		ShowRankingScore: true,
	}
	if opts.ProvinceCode != "" {
		req.Filter = "province_code = " + quote(opts.ProvinceCode)
	}
	return req
}

func (i *Index) oldUnitRequest(q string, opts OldUnitQuery) *meilisearch.SearchRequest {
	req := &meilisearch.SearchRequest{
		Query:            q,
		Limit:            limitOr(opts.Limit),
		MatchingStrategy: opts.Strategy,
		ShowRankingScore: true,
	}
	if req.MatchingStrategy == "" {
		req.MatchingStrategy = MatchLast
	}
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

// search runs one query and decodes its hits into out (a *[]T). A blank
// query finds nothing (Meilisearch would return every document).
func (i *Index) search(ctx context.Context, name string, req *meilisearch.SearchRequest, out any) error {
	req.Query = strings.TrimSpace(req.Query)
	if req.Query == "" {
		return nil
	}
	res, err := i.client.Index(i.UID(name)).SearchWithContext(ctx, req.Query, req)
	if err != nil {
		return fmt.Errorf("search %s: %w", name, clean(err))
	}
	if err := res.Hits.DecodeInto(out); err != nil {
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
