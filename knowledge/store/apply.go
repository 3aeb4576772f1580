package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// ApplyImport applies imp.Diff to the draft in one transaction, provided
// the draft is still at revision (the one imp was read against): otherwise
// ErrConflict, also when the draft has been published or discarded since.
// One audit entry records the file and the counts, with the diff as After.
func (s *Store) ApplyImport(ctx context.Context, actor string, imp knowledge.Import, revision int) error {
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		d, state, err := draftRow(ctx, tx)
		switch {
		case errors.Is(err, ErrNoDraft):
			return ErrConflict
		case err != nil:
			return err
		case state == draftPublishing:
			return ErrBusy
		case d.Revision != revision:
			return fmt.Errorf("%w (revision %d, now %d)", ErrConflict, revision, d.Revision)
		}
		kb, err := editableKB(ctx, tx, d.Version)
		if err != nil {
			return err
		}
		if err := knowledge.ApplyDiff(kb, imp.Table, imp.Diff); err != nil {
			return err
		}
		if err := writeTable(ctx, tx, d.Version, imp.Table, kb, imp.Diff); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, d, actor); err != nil {
			return err
		}
		return insertAudit(ctx, tx, AuditEntry{At: s.Now(), Actor: actor, Action: "import", Entity: imp.Table,
			EntityID: imp.File, Summary: fmt.Sprintf("Nhập %s vào bảng %s: thêm %d, sửa %d, xoá %d (%d dòng lỗi bị bỏ qua)",
				imp.File, imp.Table, len(imp.Diff.Added), len(imp.Diff.Changed), len(imp.Diff.Removed), len(imp.Errors)),
			After: jsonOf(imp.Diff)})
	})
	if err != nil {
		return fmt.Errorf("apply import %s: %w", imp.File, err)
	}
	return nil
}

// editableKB loads the tables an import can change or refer to.
func editableKB(ctx context.Context, tx *sql.Tx, version int) (*knowledge.KB, error) {
	kb := &knowledge.KB{Version: version}
	var err error
	if kb.Units, err = unitTable.load(ctx, tx, version); err != nil {
		return nil, err
	}
	if kb.Procedures, err = procedureTable.load(ctx, tx, version); err != nil {
		return nil, err
	}
	if kb.ServicePoints, err = servicePointTable.load(ctx, tx, version); err != nil {
		return nil, err
	}
	if kb.Curated, err = curatedTable.load(ctx, tx, version); err != nil {
		return nil, err
	}
	kb.Synonyms, err = synonymTable.load(ctx, tx, version)
	return kb, err
}

// writeTable stores one table of kb back into the version.
func writeTable(ctx context.Context, tx *sql.Tx, version int, table string, kb *knowledge.KB, d knowledge.Diff) error {
	switch table {
	case knowledge.TableProcedures:
		return procedureTable.replace(ctx, tx, version, kb.Procedures)
	case knowledge.TableServicePoints:
		return servicePointTable.replace(ctx, tx, version, kb.ServicePoints)
	case knowledge.TableCurated:
		return curatedTable.replace(ctx, tx, version, kb.Curated)
	case knowledge.TableSynonyms:
		return synonymTable.replace(ctx, tx, version, kb.Synonyms)
	case knowledge.TableOffices:
		changed := map[string]bool{}
		for _, rc := range append(append([]knowledge.RowChange(nil), d.Added...), d.Changed...) {
			changed[rc.Key] = true
		}
		for _, u := range kb.Units {
			if changed[u.Code] {
				if err := updateOffice(ctx, tx, version, u); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return fmt.Errorf("unknown table %q", table)
}
