package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Errors of editing and publishing; their text is shown to editors.
var (
	ErrNoDraft  = errors.New("chưa có bản nháp")
	ErrBusy     = errors.New("đang có người xuất bản hoặc khôi phục phiên bản, vui lòng thử lại sau")
	ErrNotFound = errors.New("không tìm thấy bản ghi trong bản nháp")
	ErrConflict = errors.New("bản nháp đã thay đổi từ khi bạn mở nó, hãy xem lại rồi thử lại")
)

// Draft states in kb_draft.
const (
	draftOpen       = "draft"
	draftPublishing = "publishing"
)

// Draft is the one shared draft: a complete copy of published version Base,
// stored as version Version (status draft, a negative number that is never
// shown: see insertVersion), edited Revision times.
type Draft struct {
	Version, Base, Revision int
	CreatedAt, UpdatedAt    time.Time
	UpdatedBy               string
}

// draftRow reads the draft and its state; ErrNoDraft when there is none.
func draftRow(ctx context.Context, tx *sql.Tx) (Draft, string, error) {
	var d Draft
	var state, created, updated string
	err := tx.QueryRowContext(ctx, `SELECT version, base, revision, state, created_at, updated_at, updated_by
		FROM kb_draft`).Scan(&d.Version, &d.Base, &d.Revision, &state, &created, &updated, &d.UpdatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return d, "", ErrNoDraft
	}
	if err != nil {
		return d, "", err
	}
	if d.CreatedAt, err = sqldb.ParseInstant(created); err != nil {
		return d, "", err
	}
	d.UpdatedAt, err = sqldb.ParseInstant(updated)
	return d, state, err
}

// openDraft returns the draft for editing, creating it from the latest
// published version when there is none; ErrBusy while it is being
// published. created reports a new draft.
func (s *Store) openDraft(ctx context.Context, tx *sql.Tx, actor string) (d Draft, created bool, err error) {
	d, state, err := draftRow(ctx, tx)
	switch {
	case err == nil && state == draftPublishing:
		return d, false, ErrBusy
	case err == nil:
		return d, false, nil
	case !errors.Is(err, ErrNoDraft):
		return d, false, err
	}
	base, err := latestPublished(ctx, tx)
	if err != nil {
		return d, false, fmt.Errorf("new draft: %w", err)
	}
	asOf, err := versionAsOf(ctx, tx, base)
	if err != nil {
		return d, false, err
	}
	now := s.Now()
	version, err := insertVersion(ctx, tx, VersionInfo{AsOf: asOf, CreatedAt: now, Author: actor,
		Changelog: fmt.Sprintf("Bản nháp từ phiên bản %d", base), Status: StatusDraft})
	if err != nil {
		return d, false, fmt.Errorf("new draft: %w", err)
	}
	if err := copyVersion(ctx, tx, base, version); err != nil {
		return d, false, fmt.Errorf("new draft: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO kb_draft (version, base, revision, state, created_at, updated_at, updated_by)
		VALUES (?, ?, 0, ?, ?, ?, ?)`, version, base, draftOpen, sqldb.FormatInstant(now), sqldb.FormatInstant(now), actor); err != nil {
		return d, false, fmt.Errorf("new draft: %w", err)
	}
	d = Draft{Version: version, Base: base, CreatedAt: now.UTC(), UpdatedAt: now.UTC(), UpdatedBy: actor}
	return d, true, insertAudit(ctx, tx, AuditEntry{At: now, Actor: actor, Action: "create", Entity: "draft",
		EntityID: fmt.Sprint(version), Summary: fmt.Sprintf("Tạo bản nháp từ phiên bản %d", base)})
}

// Draft returns the shared draft, creating it (a copy of the latest
// published version) when there is none.
func (s *Store) Draft(ctx context.Context, actor string) (Draft, error) {
	var d Draft
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) (err error) {
		d, _, err = s.openDraft(ctx, tx, actor)
		return err
	})
	if err != nil {
		return d, fmt.Errorf("draft: %w", err)
	}
	return d, nil
}

// DraftKB loads the draft in full (KB.Version is the draft's number);
// ErrNoDraft when there is none.
func (s *Store) DraftKB(ctx context.Context) (*knowledge.KB, Draft, error) {
	var kb *knowledge.KB
	var d Draft
	err := sqldb.InTx(ctx, s.db, &sql.TxOptions{ReadOnly: true}, func(tx *sql.Tx) (err error) {
		if d, _, err = draftRow(ctx, tx); err != nil {
			return err
		}
		kb, err = load(ctx, tx, d.Version)
		return err
	})
	if err != nil {
		return nil, d, fmt.Errorf("draft kb: %w", err)
	}
	return kb, d, nil
}

// DiscardDraft deletes the draft and all its rows.
func (s *Store) DiscardDraft(ctx context.Context, actor string) error {
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		d, state, err := draftRow(ctx, tx)
		if err != nil {
			return err
		}
		if state == draftPublishing {
			return ErrBusy
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM kb_versions WHERE version = ?`, d.Version); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: s.Now(), Actor: actor, Action: "discard", Entity: "draft",
			EntityID: fmt.Sprint(d.Version), Summary: fmt.Sprintf("Huỷ bản nháp (%d lần sửa)", d.Revision)})
	})
	if err != nil {
		return fmt.Errorf("discard draft: %w", err)
	}
	return nil
}

// touch counts one more edit of the draft.
func (s *Store) touch(ctx context.Context, tx *sql.Tx, d Draft, actor string) error {
	_, err := tx.ExecContext(ctx, `UPDATE kb_draft SET revision = revision + 1, updated_at = ?, updated_by = ?
		WHERE version = ?`, sqldb.FormatInstant(s.Now()), actor, d.Version)
	return err
}

// ClaimDraft marks the draft as being published, so that edits, a second
// publish and a discard get ErrBusy until ReleaseDraft or PublishDraft.
// ErrNoDraft when there is none, ErrBusy when it is already claimed.
func (s *Store) ClaimDraft(ctx context.Context) (Draft, error) {
	var d Draft
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		var state string
		var err error
		if d, state, err = draftRow(ctx, tx); err != nil {
			return err
		}
		if state == draftPublishing {
			return ErrBusy
		}
		res, err := tx.ExecContext(ctx, `UPDATE kb_draft SET state = ? WHERE version = ? AND state = ?`,
			draftPublishing, d.Version, draftOpen)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(ErrBusy, err)
		}
		return nil
	})
	if err != nil {
		return d, fmt.Errorf("claim draft: %w", err)
	}
	return d, nil
}

// ReleaseDraft gives a claimed draft back to the editors, unchanged.
func (s *Store) ReleaseDraft(ctx context.Context, version int) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE kb_draft SET state = ? WHERE version = ?`, draftOpen, version); err != nil {
		return fmt.Errorf("release draft %d: %w", version, err)
	}
	return nil
}

// RecoverDraft gives back a draft left claimed by a publish that never
// finished (the process stopped mid-publish). Call it at start, when no
// publish of this process can be running.
func (s *Store) RecoverDraft(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE kb_draft SET state = ? WHERE state = ?`, draftOpen, draftPublishing); err != nil {
		return fmt.Errorf("recover draft: %w", err)
	}
	return nil
}
