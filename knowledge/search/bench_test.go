package search

import (
	"context"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

// benchQueries are typical messages, per index.
var benchQueries = map[string][]string{
	Procedures: {"giay khai sinh", "lam cccd o dau", "dang ky tam tru o phuong nao", "cap lai so do bi mat"},
	OldUnits:   {"da kao quan 1", "phuong 1 quan 8", "P.15, Q.Tân Bình", "xa qui duc binh chanh"},
	Units:      {"sai gon", "thu duc", "phuong an khanh"},
}

// BenchmarkSearch measures the typed searches, decoding included.
func BenchmarkSearch(b *testing.B) {
	ix, _ := built(b)
	ctx := context.Background()
	b.Run("procedures", func(b *testing.B) {
		for n := 0; b.Loop(); n++ {
			if _, err := ix.SearchProcedures(ctx, benchQueries[Procedures][n%4], 5); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("old units", func(b *testing.B) {
		for n := 0; b.Loop(); n++ {
			if _, err := ix.SearchOldUnits(ctx, benchQueries[OldUnits][n%4], OldUnitQuery{Limit: 5}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("units", func(b *testing.B) {
		for n := 0; b.Loop(); n++ {
			if _, err := ix.SearchUnits(ctx, benchQueries[Units][n%3], 5); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRawSearch sends the same requests without decoding the hits,
// from parallel clients, to measure Meilisearch's own throughput.
func BenchmarkRawSearch(b *testing.B) {
	ix, _ := built(b)
	for _, name := range []string{Procedures, OldUnits, Units} {
		qs := benchQueries[name]
		b.Run(name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for n := 0; pb.Next(); n++ {
					if _, err := ix.RawSearch(ctx, name, qs[n%len(qs)], 5); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkBuild measures a full publish of the seed (staging, swap, cleanup).
func BenchmarkBuild(b *testing.B) {
	client, prefix := meilitest.Client(b)
	ix := New(client, prefix)
	kb := loadKB(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := ix.Build(ctx, kb); err != nil {
			b.Fatal(err)
		}
	}
}
