package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// PublishDraft turns the claimed draft (see ClaimDraft) into a new
// published version numbered one past the highest, in one transaction: its
// rows are copied, the draft deleted and an audit entry written ("Xuất bản phiên bản N: " + summary).
// asOf zero keeps the draft's as-of date.
func (s *Store) PublishDraft(ctx context.Context, actor, changelog string, asOf time.Time, draftVersion int, summary string) (VersionInfo, error) {
	var info VersionInfo
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		d, state, err := draftRow(ctx, tx)
		if err != nil {
			return err
		}
		if d.Version != draftVersion || state != draftPublishing {
			return fmt.Errorf("draft %d is not claimed for publishing: %w", draftVersion, ErrConflict)
		}
		if info, err = s.copyPublished(ctx, tx, actor, changelog, asOf, d.Version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM kb_versions WHERE version = ?`, d.Version); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: info.CreatedAt, Actor: actor, Action: "publish", Entity: "version",
			EntityID: fmt.Sprint(info.Version), Summary: fmt.Sprintf("Xuất bản phiên bản %d: %s", info.Version, summary),
			After: jsonOf(info)})
	})
	if err != nil {
		return info, fmt.Errorf("publish draft %d: %w", draftVersion, err)
	}
	return info, nil
}

// Republish copies version (published or archived, not a draft) into a new
// published version, for a rollback; the draft is untouched.
func (s *Store) Republish(ctx context.Context, actor, changelog string, version int, summary string) (VersionInfo, error) {
	var info VersionInfo
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM kb_versions WHERE version = ?`, version).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) || status == StatusDraft {
			return ErrNoVersion
		}
		if err != nil {
			return err
		}
		if info, err = s.copyPublished(ctx, tx, actor, changelog, time.Time{}, version); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: info.CreatedAt, Actor: actor, Action: "rollback", Entity: "version",
			EntityID: fmt.Sprint(info.Version), Summary: fmt.Sprintf("Phiên bản %d: %s", info.Version, summary),
			After: jsonOf(info)})
	})
	if err != nil {
		return info, fmt.Errorf("republish version %d: %w", version, err)
	}
	return info, nil
}

func (s *Store) copyPublished(ctx context.Context, tx *sql.Tx, actor, changelog string, asOf time.Time, from int) (VersionInfo, error) {
	if asOf.IsZero() {
		var err error
		if asOf, err = versionAsOf(ctx, tx, from); err != nil {
			return VersionInfo{}, err
		}
	}
	info := VersionInfo{AsOf: asOf, CreatedAt: s.Now().UTC(), Author: actor, Changelog: changelog, Status: StatusPublished}
	var err error
	if info.Version, err = insertVersion(ctx, tx, info); err != nil {
		return info, err
	}
	info.AsOf, _ = time.Parse(dateLayout, asOf.UTC().Format(dateLayout))
	return info, copyVersion(ctx, tx, from, info.Version)
}
