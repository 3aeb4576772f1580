package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/hoiphuong/hoiphuong/bot/outbox"
)

const outboxUsage = `Usage: hoiphuong outbox list|resend ID…|drop ID…

  list    print the messages held in doubt: the gateway was killed while
          sending them, so the citizen may or may not have them
          (OUTBOX_IN_DOUBT=hold; hoiphuong_outbox_held in /metrics)
  resend  send these held messages again (a running gateway sends them
          within a second)
  drop    do not send them (they are marked failed)

Only the database is opened (DATABASE_URL, or the SQLite file under DATA_DIR);
Meilisearch is not started.`

func runOutbox(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, outboxUsage)
		return exitError{2}
	}
	var ids []int64
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(e.stderr, outboxUsage)
		return errHelp
	case "list":
		if len(args) > 1 {
			fmt.Fprintln(e.stderr, outboxUsage)
			return exitError{2}
		}
	case "resend", "drop":
		for _, a := range args[1:] {
			id, err := strconv.ParseInt(a, 10, 64)
			if err != nil || id <= 0 {
				fmt.Fprintf(e.stderr, "hoiphuong outbox: %q is not a message id\n\n%s\n", a, outboxUsage)
				return exitError{2}
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			fmt.Fprintln(e.stderr, outboxUsage)
			return exitError{2}
		}
	default:
		fmt.Fprintf(e.stderr, "hoiphuong outbox: unknown subcommand %q\n\n%s\n", args[0], outboxUsage)
		return exitError{2}
	}
	out, closeDB, err := openOutbox(ctx, e)
	if err != nil {
		return err
	}
	defer closeDB()
	if args[0] == "list" {
		return listHeld(ctx, e, out)
	}
	resend, done := args[0] == "resend", "dropped"
	if resend {
		done = "resent"
	}
	var errs []error
	for _, id := range ids {
		if err := out.Settle(ctx, id, resend); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(e.stdout, "%s %d\n", done, id)
	}
	return errors.Join(errs...)
}

func listHeld(ctx context.Context, e *env, out *outbox.Outbox) error {
	held, err := out.HeldRows(ctx)
	if err != nil {
		return err
	}
	if len(held) == 0 {
		fmt.Fprintln(e.stdout, "no messages held in doubt")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCHANNEL\tCHAT\tANSWERS\tCHUNK\tSENDING SINCE\tTEXT")
	for _, h := range held {
		text := []rune(h.Text)
		if len(text) > 60 {
			text = append(text[:59], '…')
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", h.ID, h.Channel, h.ChatID, h.Key, h.Chunk,
			h.SendingAt.Local().Format("2006-01-02 15:04:05"), strconv.Quote(string(text)))
	}
	return tw.Flush()
}

// openOutbox loads the configuration and opens the outbox on the gateway's
// database, and nothing else (no worker runs).
func openOutbox(ctx context.Context, e *env) (*outbox.Outbox, func(), error) {
	cfg, err := loadConfig(e.getenv, ".env")
	if err != nil {
		return nil, nil, err
	}
	db, err := openExistingDatabase(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	out, err := outbox.New(ctx, db, outbox.Config{})
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return out, func() { _ = db.Close() }, nil
}
