package search

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
)

func TestExp(t *testing.T) {
	kb := loadKB(t)
	for _, variant := range strings.Split(os.Getenv("EXP"), ";") {
		client, prefix := meilitest.Client(t)
		ix := New(client, prefix)
		specs := ix.specs(kb)
		for _, s := range specs {
			for _, opt := range strings.Split(variant, ",") {
				switch opt {
				case "noprefix":
					d := "disabled"
					s.settings.PrefixSearch = &d
				case "byattr":
					s.settings.ProximityPrecision = meilisearch.ByAttribute
				case "locale":
					s.settings.LocalizedAttributes = []*meilisearch.LocalizedAttributes{{AttributePatterns: []string{"*"}, Locales: []string{"vie"}}}
				case "nofacet":
					s.settings.FacetSearch = false
				case "nofilter":
					s.settings.FilterableAttributes = nil
					s.settings.SortableAttributes = nil
				}
			}
		}
		cpu0 := cpuTime(t)
		start := time.Now()
		_, err := ix.build(context.Background(), specs)
		t.Logf("%-30s wall %s cpu %s err=%v", variant, time.Since(start).Round(time.Millisecond), cpuTime(t)-cpu0, err)
		res, _ := client.GetTasksWithContext(context.Background(), &meilisearch.TasksQuery{Limit: 13})
		var parts []string
		for _, tk := range res.Results {
			if tk.Type == "documentAdditionOrUpdate" || tk.Type == "settingsUpdate" {
				parts = append(parts, string(tk.Type)[:4]+"="+tk.Duration)
			}
		}
		t.Logf("   %s", strings.Join(parts, " "))
	}
}

func cpuTime(t *testing.T) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", meilitest.Server().PID()))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b)[strings.LastIndex(string(b), ")")+2:])
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return time.Duration(u+s) * 10 * time.Millisecond
}

func TestExpBatches(t *testing.T) {
	kb := loadKB(t)
	client, prefix := meilitest.Client(t)
	ix := New(client, prefix)
	cpu0 := cpuTime(t)
	start := time.Now()
	_, err := ix.build(context.Background(), ix.specs(kb))
	t.Logf("wall %s cpu %s err=%v", time.Since(start).Round(time.Millisecond), cpuTime(t)-cpu0, err)
	req, _ := http.NewRequest("GET", meilitest.URL()+"/batches?limit=20", nil)
	req.Header.Set("Authorization", "Bearer "+meilitest.Key())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	os.WriteFile("/tmp/hpexp/batches.json", b, 0o644)
}
