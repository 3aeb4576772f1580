package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// SaveVersion stores kb in full as a new published version, in one
// transaction, and returns its number (kb.Version is ignored). Dates are
// kept as calendar days.
func (s *Store) SaveVersion(ctx context.Context, kb *knowledge.KB, author, changelog string) (int, error) {
	if kb == nil {
		return 0, errors.New("save kb version: nil KB")
	}
	var version int
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		var err error
		version, err = insertVersion(ctx, tx, VersionInfo{
			AsOf:      kb.AsOf,
			CreatedAt: s.Now(),
			Author:    author,
			Changelog: changelog,
			Status:    StatusPublished,
		})
		if err != nil {
			return fmt.Errorf("kb_versions: %w", err)
		}
		steps := []struct {
			table string
			save  func() error
		}{
			{"units", func() error { return unitTable.save(ctx, tx, version, kb.Units) }},
			{"mappings", func() error { return saveMappings(ctx, tx, version, kb.Mappings) }},
			{"history", func() error { return saveHistory(ctx, tx, version, kb.History) }},
			{"district_aliases", func() error { return saveAliases(ctx, tx, version, kb.Aliases) }},
			{"procedures", func() error { return procedureTable.save(ctx, tx, version, kb.Procedures) }},
			{"land_branches", func() error { return saveBranches(ctx, tx, version, kb.Branches) }},
			{"service_points", func() error { return servicePointTable.save(ctx, tx, version, kb.ServicePoints) }},
			{"curated_answers", func() error { return curatedTable.save(ctx, tx, version, kb.Curated) }},
			{"synonyms", func() error { return synonymTable.save(ctx, tx, version, kb.Synonyms) }},
		}
		for _, st := range steps {
			if err := st.save(); err != nil {
				return fmt.Errorf("%s: %w", st.table, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save kb version: %w", err)
	}
	return version, nil
}
