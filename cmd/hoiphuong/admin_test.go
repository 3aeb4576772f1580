package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// adminEnv has a fresh DATA_DIR and a Meilisearch that cannot start: the
// admin command must not need it.
func adminEnv(t *testing.T) testEnv {
	t.Helper()
	return testEnv{"DATA_DIR": t.TempDir(), "MEILI_BIN": "/nonexistent/meilisearch",
		"MEILI_INSTALL_DIR": t.TempDir(), "LOG_LEVEL": "warn"}
}

// runCLIInput is runCLI with stdin.
func runCLIInput(t *testing.T, e testEnv, stdin string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, e.getenv, strings.NewReader(stdin), &stdout, &stderr)
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func TestAdminCommand(t *testing.T) {
	t.Parallel()
	base := adminEnv(t)
	withPW := testEnv{adminPasswordEnv: "mat-khau-tu-env"}
	for k, v := range base {
		withPW[k] = v
	}
	tests := []struct {
		name   string
		env    testEnv
		stdin  string
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{"create city admin, password piped", base, "mat-khau-quan-tri\n",
			[]string{"admin", "create-user", "--username", "admin", "--name", "Quản trị Thành phố", "--role", "city_admin"},
			0, "created user 1: admin (city_admin; max chats 5)", ""},
		{"create staff, password in env", withPW, "",
			[]string{"admin", "create-user", "--username", "Lan", "--name", "Nguyễn Thị Lan", "--role", "staff", "--units", "26740, 26737", "--max-chats", "3"},
			0, "created user 2: lan (staff; units 26737, 26740; max chats 3)", ""},
		{"old ward code", base, "mat-khau-dai-dai\n",
			[]string{"admin", "create-user", "--username", "chi", "--name", "Chi", "--role", "staff", "--units", "26740,26734"},
			1, "", "26734 is an old ward code (Phường Tân Định, before 1 July 2025); it is now 26737 Phường Tân Định"},
		{"made-up unit code", base, "mat-khau-dai-dai\n",
			[]string{"admin", "create-user", "--username", "chi", "--name", "Chi", "--role", "supervisor", "--units", "99999"},
			1, "", "99999 is not the code of a Ho Chi Minh City unit"},
		{"create supervisor of the city queue, CRLF", base, "mat-khau-giam-sat\r\n",
			[]string{"admin", "create-user", "--username", "binh", "--name", "Trần Bình", "--role", "supervisor", "--units", "city"},
			0, "created user 3: binh (supervisor; units city; max chats 5)", ""},
		{"create editor", base, "mat-khau-bien-tap\n",
			[]string{"admin", "create-user", "--username", "editor", "--name", "Biên tập", "--role", "editor"},
			0, "created user 4: editor (editor)", ""},
		{"username taken", base, "mat-khau-quan-tri\n",
			[]string{"admin", "create-user", "--username", "admin", "--name", "X", "--role", "editor"}, 1, "", "username taken"},
		{"short password", base, "ngan\n",
			[]string{"admin", "create-user", "--username", "an", "--name", "An", "--role", "editor"}, 1, "", "invalid"},
		{"staff without units", base, "mat-khau-dai-dai\n",
			[]string{"admin", "create-user", "--username", "chi", "--name", "Chi", "--role", "staff"}, 1, "", "needs at least one unit"},
		{"unknown role", base, "mat-khau-dai-dai\n",
			[]string{"admin", "create-user", "--username", "chi", "--name", "Chi", "--role", "root"}, 1, "", "unknown role"},
		{"no password", base, "",
			[]string{"admin", "create-user", "--username", "chi", "--name", "Chi", "--role", "editor"}, 1, "", "no password"},
		{"missing flags", base, "mat-khau-dai-dai\n", []string{"admin", "create-user", "--username", "chi"}, 2, "", "Usage"},
		{"list", base, "", []string{"admin", "list-users"}, 0, "admin     city_admin  -", ""},
		{"set password", base, "mat-khau-moi-lan\n", []string{"admin", "set-password", "--username", "lan"},
			0, "password set for lan; their sessions were ended", ""},
		{"set password, unknown user", base, "mat-khau-moi-lan\n", []string{"admin", "set-password", "--username", "ghost"},
			1, "", "ghost: staff: user not found"},
		{"set password, too short", base, "ngan\n", []string{"admin", "set-password", "--username", "lan"}, 1, "", "at least 10"},
		{"no subcommand", base, "", []string{"admin"}, 2, "", "Usage"},
		{"unknown subcommand", base, "", []string{"admin", "drop-users"}, 2, "", "unknown subcommand"},
		{"help", base, "", []string{"admin", "--help"}, 0, "", "create-user"},
		{"create-user help", base, "", []string{"admin", "create-user", "--help"}, 0, "", "-max-chats"},
	}
	for _, tt := range tests { // in order: later cases see earlier users
		r := runCLIInput(t, tt.env, tt.stdin, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q\nwant exit %d, stdout ~ %q, stderr ~ %q",
				tt.name, r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
		}
		if pw := strings.TrimSpace(tt.stdin); pw != "" && strings.Contains(r.stdout+r.stderr, pw) {
			t.Errorf("%s: output shows the password", tt.name)
		}
		if strings.Contains(r.stdout+r.stderr, "meilisearch") {
			t.Errorf("%s: touched Meilisearch: %s", tt.name, r.stderr)
		}
	}

	r := runCLIInput(t, base, "", "admin", "list-users")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[1], "1   admin") || !strings.Contains(r.stdout, "2   lan       staff       26737,26740  3") ||
		!strings.Contains(r.stdout, "Nguyễn Thị Lan") {
		t.Errorf("list-users:\n%s", r.stdout)
	}

	// The accounts work: log in on the database the command wrote.
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(base["DATA_DIR"], "hoiphuong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := staffstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := staff.New(st, staff.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ user, pw string }{
		{"admin", "mat-khau-quan-tri"}, {"lan", "mat-khau-moi-lan"}, {"binh", "mat-khau-giam-sat"},
	} {
		if _, err := dir.Login(ctx, c.user, c.pw); err != nil {
			t.Errorf("login %s: %v", c.user, err)
		}
	}
	if _, err := dir.Login(ctx, "lan", "mat-khau-tu-env"); err == nil {
		t.Error("lan's old password still works")
	}
}

func TestAdminListEmpty(t *testing.T) {
	t.Parallel()
	r := runCLIInput(t, adminEnv(t), "", "admin", "list-users")
	if r.code != 0 || !strings.Contains(r.stdout, "no users yet") {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
