package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// BenchmarkUpdateWrites measures what one channel update writes on
// SQLite — a new chat's message accepted (in rounds of four, as the group
// commit batches them) and its reply saved — as WAL frames (what the
// commits append while webhooks wait) and distinct pages per update over a
// checkpoint's quarter second at 2,000 updates/s (what the checkpoint
// copies into the database file), on a database of 20,000 conversations.
func BenchmarkUpdateWrites(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "hoiphuong.db")
	db, err := sqldb.Open(ctx, path, sqldb.ManualCheckpoints())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := outbox.New(ctx, db, outbox.Config{}); err != nil { // the outbox table
		b.Fatal(err)
	}
	const (
		existing = 20000
		round    = 4
		window   = 500 // updates in a checkpoint interval at 2,000/s
	)
	answer := bot.Answer{Kind: bot.KindAnswer, Text: strings.Repeat("Phường Sài Gòn tiếp nhận hồ sơ. ", 20)}
	chat := 0
	update := func() error {
		batch := make([]Inbound, round)
		for i := range batch {
			chat++
			batch[i] = Inbound{Channel: "telegram", ExternalID: fmt.Sprint(chat), ChannelMessageID: fmt.Sprint(chat),
				Message: bot.Message{Text: "cho em hỏi làm khai sinh ở đâu ạ"}}
		}
		accepted := s.AcceptInbound(ctx, batch)
		keys := make([]any, len(batch))
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for i, a := range accepted { // the answering workers save replies at once
			if a.Err != nil {
				return a.Err
			}
			out := bot.Outgoing{Channel: "telegram", ChatID: batch[i].ExternalID, Key: fmt.Sprint("in:", a.MessageID),
				Msgs: []outbox.OutMessage{{Text: answer.Text}}}
			keys[i] = out.Key
			wg.Go(func() {
				errs[i] = s.SaveReplyQueued(ctx, a.ConversationID, a.MessageID, answer, bot.State{Mode: bot.ModeBot}, out)
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
		for _, st := range []string{"sending", "sent"} { // the outbox's claim, then its outcomes, a round each
			if _, err := db.ExecContext(ctx, `UPDATE outbox SET status = ?, sent_at = 'x'
				WHERE channel = 'telegram' AND chunk = 0 AND update_key IN (?`+strings.Repeat(", ?", len(keys)-1)+`)`,
				append([]any{st}, keys...)...); err != nil {
				return err
			}
		}
		return nil
	}
	for chat < existing {
		if err := update(); err != nil {
			b.Fatal(err)
		}
	}
	var frames, pages, updates int
	var byTree map[string]int
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for range window / round {
			if err := update(); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		f, seen, err := walPages(path + "-wal")
		if err != nil {
			b.Fatal(err)
		}
		frames, pages, updates = frames+f, pages+len(seen), updates+window
		byTree = map[string]int{}
		rows, err := db.QueryContext(ctx, "SELECT name, pageno FROM dbstat")
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var name string
			var pg uint32
			if err := rows.Scan(&name, &pg); err != nil {
				b.Fatal(err)
			}
			if seen[pg] {
				byTree[name]++
			}
		}
		rows.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(frames)/float64(updates), "frames/update")
	b.ReportMetric(float64(pages)/float64(updates), "pages/update")
	b.ReportMetric(0, "ns/op")
	b.Logf("pages of the last %d updates by b-tree: %v", window, byTree)
}

// walPages counts the frames of a WAL file and the distinct database pages
// they hold (https://sqlite.org/fileformat2.html#walformat).
func walPages(path string) (frames int, pages map[uint32]bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, err
	}
	if len(data) < 32 {
		return 0, nil, nil
	}
	pageSize := int(binary.BigEndian.Uint32(data[8:12]))
	salt := data[16:24]
	seen := map[uint32]bool{}
	for off := 32; off+24+pageSize <= len(data); off += 24 + pageSize {
		if string(data[off+8:off+16]) != string(salt) { // a frame of an earlier log
			break
		}
		frames++
		seen[binary.BigEndian.Uint32(data[off:off+4])] = true
	}
	return frames, seen, nil
}
