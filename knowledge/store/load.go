package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// Latest loads the newest published version; ErrNoVersion if there is none.
func (s *Store) Latest(ctx context.Context) (*knowledge.KB, error) {
	var kb *knowledge.KB
	err := sqldb.InTx(ctx, s.db, &sql.TxOptions{ReadOnly: true}, func(tx *sql.Tx) error {
		version, err := latestPublished(ctx, tx)
		if err != nil {
			return err
		}
		kb, err = load(ctx, tx, version)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load latest kb: %w", err)
	}
	return kb, nil
}

// LatestVersion returns the highest published version number (a
// rollback publishes a new, higher one): a gateway compares it with the
// version it answers from.
func (s *Store) LatestVersion(ctx context.Context) (int, error) {
	var v int
	err := sqldb.InTx(ctx, s.db, &sql.TxOptions{ReadOnly: true}, func(tx *sql.Tx) error {
		var err error
		v, err = latestPublished(ctx, tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("latest kb version: %w", err)
	}
	return v, nil
}

// Load loads one version, whatever its status; ErrNoVersion if it does not
// exist.
func (s *Store) Load(ctx context.Context, version int) (*knowledge.KB, error) {
	var kb *knowledge.KB
	err := sqldb.InTx(ctx, s.db, &sql.TxOptions{ReadOnly: true}, func(tx *sql.Tx) error {
		var err error
		kb, err = load(ctx, tx, version)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load kb version %d: %w", version, err)
	}
	return kb, nil
}

// load reads every table of a version inside one read transaction, so the
// KB is consistent even while another version is being saved.
func load(ctx context.Context, tx *sql.Tx, version int) (*knowledge.KB, error) {
	asOf, err := versionAsOf(ctx, tx, version)
	if err != nil {
		return nil, err
	}
	kb := &knowledge.KB{Version: version, AsOf: asOf}
	steps := []struct {
		table string
		load  func() error
	}{
		{"units", func() (err error) { kb.Units, err = unitTable.load(ctx, tx, version); return }},
		{"mappings", func() (err error) { kb.Mappings, err = loadMappings(ctx, tx, version); return }},
		{"history", func() (err error) { kb.History, err = loadHistory(ctx, tx, version); return }},
		{"district_aliases", func() (err error) { kb.Aliases, err = loadAliases(ctx, tx, version); return }},
		{"procedures", func() (err error) { kb.Procedures, err = procedureTable.load(ctx, tx, version); return }},
		{"land_branches", func() (err error) { kb.Branches, err = loadBranches(ctx, tx, version); return }},
		{"service_points", func() (err error) { kb.ServicePoints, err = servicePointTable.load(ctx, tx, version); return }},
		{"curated_answers", func() (err error) { kb.Curated, err = curatedTable.load(ctx, tx, version); return }},
		{"synonyms", func() (err error) { kb.Synonyms, err = synonymTable.load(ctx, tx, version); return }},
	}
	for _, st := range steps {
		if err := st.load(); err != nil {
			return nil, fmt.Errorf("%s: %w", st.table, err)
		}
	}
	return kb, nil
}
