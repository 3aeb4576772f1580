package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// A database seeded before the seed had offices and the FAQ gets them at
// the next start, as a new published version (the editor's office kept),
// once; the answers then name the desk.
func TestOlderKBGetsTheSeedOffices(t *testing.T) {
	t.Parallel()
	e := remoteEnv(t)
	ctx := context.Background()
	old, err := seed.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i := range old.Units {
		old.Units[i] = old.Units[i].WithOffice(knowledge.Unit{})
		if old.Units[i].Code == "26737" {
			old.Units[i].Address = "58B Nguyễn Đình Chiểu (tầng trệt)"
		}
	}
	old.Curated = nil
	db := sqldbtest.OpenAt(t, dbLocation(e))
	kbs, err := kbstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kbs.SaveVersion(ctx, old, "seed", "older seed"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	open := func() *app {
		t.Helper()
		var stderr strings.Builder
		a, err := openApp(ctx, &env{getenv: e.getenv, stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr}, appOptions{scratch: true})
		if err != nil {
			t.Fatalf("openApp: %v\n%s", err, stderr.String())
		}
		return a
	}
	a := open()
	if a.kb.Version != 2 || len(a.kb.Curated) != 15 {
		a.close()
		t.Fatalf("after the upgrade: version %d, %d curated answers; want 2 and the FAQ", a.kb.Version, len(a.kb.Curated))
	}
	for _, u := range a.kb.Units {
		if u.Code == "26737" && u.Address != "58B Nguyễn Đình Chiểu (tầng trệt)" || u.Code == "27154" && u.OfficeSource == "" {
			t.Errorf("unit %s office %q (source %q)", u.Code, u.Address, u.OfficeSource)
		}
	}
	id, err := a.service.Start(ctx, "test")
	if err != nil {
		t.Fatal(err)
	}
	ans, err := a.service.Handle(ctx, bot.Message{ConversationID: id, Channel: "cli", Text: "phường 5 quận 3"})
	if err != nil || !strings.Contains(ans.Text, "611/20 Điện Biên Phủ") || ans.KBVersion != 2 {
		t.Errorf("answer (version %d, err %v):\n%s", ans.KBVersion, err, ans.Text)
	}
	a.close()

	b := open()
	defer b.close()
	if b.kb.Version != 2 {
		t.Errorf("second start: version %d, want 2 (upgraded once)", b.kb.Version)
	}
}
