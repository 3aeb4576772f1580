package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// adminPasswordEnv is read from the real environment only (never .env):
// the password of create-user and set-password when stdin has none.
const adminPasswordEnv = "HP_ADMIN_PASSWORD"

const adminUsage = `Usage: hoiphuong admin <subcommand> [flags]

  create-user --username U --name "Họ tên" --role city_admin|supervisor|staff|editor
              [--units 26740,26737|city] [--max-chats 5]
              add a console account; staff and supervisors need --units
              (codes of the new units since 1 July 2025, e.g. 26740 Phường
              Sài Gòn, or "city" for the city-level queue)
  list-users  print every account
  set-password --username U
              replace an account's password and end its sessions

The password is the first line of stdin (echo "$PW" | hoiphuong admin …), or
HP_ADMIN_PASSWORD when set; at least 10 characters. Only the database is opened
(DATABASE_URL, or the SQLite file under DATA_DIR); Meilisearch is not started.`

func runAdmin(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, adminUsage)
		return exitError{2}
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(e.stderr, adminUsage)
		return errHelp
	case "create-user":
		return adminCreateUser(ctx, e, args[1:])
	case "list-users":
		return adminListUsers(ctx, e, args[1:])
	case "set-password":
		return adminSetPassword(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "hoiphuong admin: unknown subcommand %q\n\n%s\n", args[0], adminUsage)
	return exitError{2}
}

// openDirectory loads the configuration and opens the staff directory on
// the gateway's database, and nothing else; with checkUnits, unit codes
// are checked against the knowledge base (the latest published version,
// else the seed).
func openDirectory(ctx context.Context, e *env, checkUnits bool) (*staff.Directory, func(), error) {
	cfg, err := loadConfig(e.getenv, ".env")
	if err != nil {
		return nil, nil, err
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	var scfg staff.Config
	if checkUnits {
		kb, err := publishedKB(ctx, db)
		if err != nil {
			_ = db.Close()
			return nil, nil, err
		}
		scfg.CheckUnit = kb.CheckHCMCUnit
	}
	staffStore, err := staffstore.New(ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	dir, err := staff.New(staffStore, scfg)
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return dir, func() { _ = db.Close() }, nil
}

// publishedKB is the knowledge base citizens are answered from: the
// latest published version, or the seed before the first start.
func publishedKB(ctx context.Context, db *sql.DB) (*knowledge.KB, error) {
	kbs, err := kbstore.New(ctx, db)
	if err != nil {
		return nil, err
	}
	kb, err := kbs.Latest(ctx)
	if errors.Is(err, kbstore.ErrNoVersion) {
		return seed.Load()
	}
	return kb, err
}

func adminCreateUser(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("admin create-user", flag.ContinueOnError)
	username := fs.String("username", "", "login name: 3 to 40 of a-z 0-9 . _ -")
	name := fs.String("name", "", "full name, shown to colleagues")
	role := fs.String("role", "", "city_admin | supervisor | staff | editor")
	units := fs.String("units", "", `comma-separated new-unit codes, or "city" (staff and supervisors)`)
	maxChats := fs.Int("max-chats", staff.DefaultMaxChats, "chats the user may own at once")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), adminUsage); fs.PrintDefaults() }
	if rest, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	} else if len(rest) > 0 || *username == "" || *name == "" || *role == "" {
		fs.Usage()
		return exitError{2}
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	dir, closeDB, err := openDirectory(ctx, e, strings.TrimSpace(*units) != "")
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := dir.Create(ctx, staff.NewUser{Username: *username, Name: *name, Password: pw,
		Role: staff.Role(*role), Units: splitUnits(*units), MaxChats: *maxChats})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %d: %s (%s)\n", u.ID, u.Username, describe(u))
	return nil
}

func adminListUsers(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("admin list-users", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), adminUsage) }
	if rest, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	} else if len(rest) > 0 {
		fs.Usage()
		return exitError{2}
	}
	dir, closeDB, err := openDirectory(ctx, e, false)
	if err != nil {
		return err
	}
	defer closeDB()
	users, err := dir.List(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(e.stdout, "no users yet: add one with hoiphuong admin create-user")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tUNITS\tMAX CHATS\tSTATUS\tNAME")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", u.ID, u.Username, u.Role, or(strings.Join(u.Units, ","), "-"),
			u.MaxChats, status, u.Name)
	}
	return tw.Flush()
}

func adminSetPassword(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("admin set-password", flag.ContinueOnError)
	username := fs.String("username", "", "the account")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), adminUsage); fs.PrintDefaults() }
	if rest, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	} else if len(rest) > 0 || *username == "" {
		fs.Usage()
		return exitError{2}
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	dir, closeDB, err := openDirectory(ctx, e, false)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := dir.ByUsername(ctx, *username)
	if err != nil {
		return fmt.Errorf("%s: %w", *username, err)
	}
	if err := dir.SetPassword(ctx, u.ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password set for %s; their sessions were ended\n", u.Username)
	return nil
}

// readPassword returns HP_ADMIN_PASSWORD when set, else the first line of
// stdin (without its line ending).
func readPassword(e *env) (string, error) {
	if pw := e.getenv(adminPasswordEnv); pw != "" {
		return pw, nil
	}
	if f, ok := e.stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(e.stderr, "password (shown as you type; prefer a pipe or HP_ADMIN_PASSWORD): ")
		}
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("no password: give it as the first line of stdin or in %s", adminPasswordEnv)
	}
	return pw, nil
}

func splitUnits(s string) []string {
	var units []string
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimSpace(u); u != "" {
			units = append(units, u)
		}
	}
	return units
}

func describe(u staff.User) string {
	s := string(u.Role)
	if len(u.Units) > 0 {
		s += "; units " + strings.Join(u.Units, ", ")
	}
	if u.CanWorkQueues() {
		s += fmt.Sprintf("; max chats %d", u.MaxChats)
	}
	return s
}
