package main

import (
	"io"
	"strings"
	"testing"
)

// TestServeWarnsOfUnstaffedQueues starts the gateway three times on one
// DATA_DIR: with no account at all it warns at once; with a chat waiting
// at Phường Bàn Cờ and a clerk only for Phường Tân Định it names Bàn Cờ;
// once Bàn Cờ has a clerk it says nothing.
func TestServeWarnsOfUnstaffedQueues(t *testing.T) {
	e := remoteEnv(t)
	e["HP_ADMIN_PASSWORD"] = "mat-khau-can-bo"
	const noStaff, unstaffed = "no staff account works the queues", "queues with chats have no active staff"
	createUser := func(username, units string) {
		t.Helper()
		if code := run(t.Context(), []string{"admin", "create-user", "--username", username, "--name", "Cán Bộ Thử",
			"--role", "staff", "--units", units}, e.getenv, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			t.Fatalf("admin create-user %s: exit %d", username, code)
		}
	}

	g := startGateway(t, e)
	if logs := g.stderr.String(); !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, noStaff) {
		t.Errorf("first start without accounts: no warning\n%s", logs)
	}
	id := g.startConversation(t)
	g.say(t, id, "phường 5 quận 3")
	if a := g.say(t, id, "cho tôi gặp cán bộ"); a.Kind != "handoff" || a.Ticket == nil || a.Ticket.Unit.Code != "27154" {
		t.Fatalf("handoff answer = %+v, want a ticket at Phường Bàn Cờ", a)
	}
	if err := g.stop(); err != nil {
		t.Fatal(err)
	}

	createUser("tandinh", "26737")
	g = startGateway(t, e)
	logs := g.stderr.String()
	if strings.Contains(logs, noStaff) || !strings.Contains(logs, unstaffed) || !strings.Contains(logs, "27154 Phường Bàn Cờ (1)") {
		t.Errorf("second start, a clerk of Tân Định only: want Bàn Cờ named\n%s", logs)
	}
	if err := g.stop(); err != nil {
		t.Fatal(err)
	}

	createUser("banco", "27154")
	g = startGateway(t, e)
	if logs := g.stderr.String(); strings.Contains(logs, noStaff) || strings.Contains(logs, unstaffed) {
		t.Errorf("third start, Bàn Cờ staffed: still warns\n%s", logs)
	}
}
