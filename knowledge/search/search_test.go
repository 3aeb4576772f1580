package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/meili"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

// TestSearch builds the seed once and runs every search case against it.
func TestSearch(t *testing.T) {
	ix, _ := built(t)
	t.Run("procedures", func(t *testing.T) { testSearchProcedures(t, ix) })
	t.Run("old units", func(t *testing.T) { testSearchOldUnits(t, ix) })
	t.Run("units", func(t *testing.T) { testSearchUnits(t, ix) })
	t.Run("raw", func(t *testing.T) { testRawSearch(t, ix) })
}

func testSearchProcedures(t *testing.T, ix *Index) {
	tests := []struct {
		q      string
		want   string // procedure id
		within int    // … among the first hits
	}{
		{"giay khai sinh", "khai-sinh", 2},
		{"Làm giấy khai sinh cho con", "khai-sinh", 2},
		{"đăng ký kết hôn", "ket-hon", 1},
		{"dang ki ket hon", "ket-hon", 1},      // kí = ký
		{"dang ky khai sinnh", "khai-sinh", 2}, // a typo in a long syllable
		{"gplx", "giay-phep-lai-xe", 1},        // abbreviation
		{"lam cccd o dau", "can-cuoc-tu-14", 1},
		{"nhap hk cho con", "thuong-tru", 1}, // hộ khẩu is thường trú now
		{"lam so hong", "cap-so-do-lan-dau", 3},
		{"toi muon xin ly lich tu phap nhe", "ly-lich-tu-phap", 1}, // MatchLast alone finds nothing
		{"lam giay khai sinh o dau", "khai-sinh", 2},               // MatchFrequency alone misses it
		{"dang ky tam tru o phuong nao", "tam-tru", 2},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			hits, err := ix.SearchProcedures(ctx, tt.q, 5)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range hits {
				ids = append(ids, h.ID)
				if h.Score <= 0 || h.Score > 1 {
					t.Errorf("%s: score %v out of (0, 1]", h.ID, h.Score)
				}
			}
			if i := slices.Index(ids, tt.want); i < 0 || i >= tt.within {
				t.Errorf("hits = %v, want %s among the first %d", ids, tt.want, tt.within)
			}
		})
	}
	if hits, err := ix.SearchProcedures(ctx, "   ", 5); err != nil || len(hits) != 0 {
		t.Errorf("blank query: %v, %v; want nothing", hits, err)
	}
}

func testSearchOldUnits(t *testing.T, ix *Index) {
	tests := []struct {
		q       string
		opts    OldUnitQuery
		kind    string
		oldCode string
		targets []string // in order
		current string   // current_code, for former names
	}{
		{"da kao quan 1", OldUnitQuery{}, KindCurrent, "26737", []string{"26740", "26737"}, ""},
		{"Phường Đa Kao, Quận 1", OldUnitQuery{}, KindCurrent, "26737", []string{"26740", "26737"}, ""},
		{"p da kao q1", OldUnitQuery{}, KindCurrent, "26737", []string{"26740", "26737"}, ""},
		{"P.15, Q.Tân Bình", OldUnitQuery{}, KindCurrent, "27007", nil, ""},
		{"p15 q tan binh", OldUnitQuery{ProvinceCode: knowledge.HCMCProvinceCode}, KindCurrent, "27007", nil, ""},
		{"xa qui duc binh chanh", OldUnitQuery{}, KindCurrent, "27640", nil, ""},
		{"xã Quy Đức huyện Bình Chánh", OldUnitQuery{}, KindCurrent, "27640", nil, ""},       // qui = quy
		{"phuong 1 quan 8", OldUnitQuery{}, KindFormer, "27394", []string{"27418"}, "27397"}, // → Rạch Ông → Chánh Hưng
		{"Phường 1, Quận 8, TP.HCM", OldUnitQuery{Kind: KindFormer}, KindFormer, "27394", []string{"27418"}, "27397"},
		{"phuong thao dien quan 2", OldUnitQuery{}, KindFormer, "27088", nil, "27088"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			hits, err := ix.SearchOldUnits(ctx, tt.q, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 {
				t.Fatal("no hits")
			}
			top := hits[0]
			if top.Kind != tt.kind || top.OldCode != tt.oldCode || top.CurrentCode != tt.current {
				t.Fatalf("top hit = %s %s %s (%s, %s) current %q; want %s %s current %q",
					top.ID, top.Kind, top.OldCode, top.OldName, top.OldDistrict, top.CurrentCode, tt.kind, tt.oldCode, tt.current)
			}
			if tt.targets != nil {
				var got []string
				for _, tg := range top.Targets {
					got = append(got, tg.Code)
				}
				if !slices.Equal(got, tt.targets) {
					t.Errorf("targets = %v, want %v", got, tt.targets)
				}
			}
			if top.Score <= 0 {
				t.Errorf("score = %v", top.Score)
			}
		})
	}

	t.Run("province filter", func(t *testing.T) {
		hits, err := ix.SearchOldUnits(ctx, "phuong 1", OldUnitQuery{ProvinceCode: knowledge.HCMCProvinceCode, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) < 10 {
			t.Fatalf("%d hits for phuong 1 in HCMC, want the many Phường 1", len(hits))
		}
		for _, h := range hits {
			if !slices.Contains(h.NewProvinceCodes, knowledge.HCMCProvinceCode) {
				t.Errorf("%s (%s, %s) is not in HCMC now", h.ID, h.OldName, h.OldProvince)
			}
		}
	})
	t.Run("split ward says so", func(t *testing.T) {
		hits, err := ix.SearchOldUnits(ctx, "da kao quan 1", OldUnitQuery{Limit: 1})
		if err != nil || len(hits) != 1 {
			t.Fatalf("%v %v", hits, err)
		}
		if h := hits[0]; h.Whole || h.OldDistrictShort != "1" || !slices.Equal(h.OldShortNames, []string{"Đa Kao"}) {
			t.Errorf("Đa Kao: whole=%v district short %q short names %v", h.Whole, h.OldDistrictShort, h.OldShortNames)
		}
	})
}

func testSearchUnits(t *testing.T, ix *Index) {
	tests := []struct {
		q, province, want string
	}{
		{"sai gon", "", "26740"},
		{"Phường Sài Gòn", knowledge.HCMCProvinceCode, "26740"},
		{"thu duc", "", "26824"},
		{"p thu duc tphcm", knowledge.HCMCProvinceCode, "26824"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			var hits []UnitHit
			var err error
			if tt.province == "" {
				hits, err = ix.SearchUnits(ctx, tt.q, 5)
			} else {
				hits, err = ix.SearchUnitsIn(ctx, tt.q, UnitQuery{ProvinceCode: tt.province, Limit: 5})
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 || hits[0].Code != tt.want {
				t.Fatalf("hits = %+v, want %s first", hits, tt.want)
			}
			for _, h := range hits {
				if tt.province != "" && h.ProvinceCode != tt.province {
					t.Errorf("%s is in province %s", h.Code, h.ProvinceCode)
				}
			}
		})
	}
}

func testRawSearch(t *testing.T, ix *Index) {
	ctx := context.Background()
	for _, name := range []string{Units, OldUnits, Procedures} {
		res, err := ix.RawSearch(ctx, name, "phuong 1", 3)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if int64(len(res.Hits)) > 3 {
			t.Errorf("%s: %d hits for limit 3", name, len(res.Hits))
		}
	}
	if _, err := ix.RawSearch(ctx, "nope", "x", 1); err == nil {
		t.Error("unknown index accepted")
	}
}

func TestSearchErrorsCarryNoCitizenText(t *testing.T) {
	client, prefix := meilitest.Client(t)
	ix := New(client, prefix) // never built: the indexes do not exist
	const secret = "nhà tôi ở số 12 hẻm bí mật"
	_, err := ix.SearchProcedures(context.Background(), secret, 3)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "index_not_found" || ae.Status/100 != 4 {
		t.Fatalf("err = %#v, want an APIError index_not_found", err)
	}
	if strings.Contains(err.Error(), "hẻm") || strings.Contains(err.Error(), "12") {
		t.Errorf("error text leaks the query: %v", err)
	}
	if errors.Is(err, ErrUnavailable) {
		t.Error("a 404 counted as Meilisearch being unavailable")
	}
}

func TestUnavailable(t *testing.T) {
	client := meili.NewClient("http://127.0.0.1:1", "x", 5*time.Second)
	ix := New(client, "hp_")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ix.Ping(ctx); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Ping: err = %v, want ErrUnavailable", err)
	}
	if _, err := ix.SearchOldUnits(ctx, "da kao", OldUnitQuery{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("search: err = %v, want ErrUnavailable", err)
	}
	client, _ = meilitest.Client(t)
	if err := New(client, "hp_").Ping(ctx); err != nil {
		t.Errorf("Ping of the test server: %v", err)
	}
}
