package store

import (
	"context"
	"database/sql"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

func saveBranches(ctx context.Context, tx *sql.Tx, version int, branches []knowledge.LandBranch) error {
	return insertRows(ctx, tx, `INSERT INTO land_branches (version, seq, branch_no, branch_name,
		commune_unit, source_url, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		len(branches), func(i int) ([]any, error) {
			b := branches[i]
			return []any{version, i, b.BranchNo, b.BranchName, b.CommuneUnit, b.SourceURL, b.Note}, nil
		})
}

func loadBranches(ctx context.Context, tx *sql.Tx, version int) ([]knowledge.LandBranch, error) {
	return queryRows(ctx, tx, `SELECT branch_no, branch_name, commune_unit, source_url, note
		FROM land_branches WHERE version = ? ORDER BY seq`, version,
		func(rows *sql.Rows) (b knowledge.LandBranch, err error) {
			err = rows.Scan(&b.BranchNo, &b.BranchName, &b.CommuneUnit, &b.SourceURL, &b.Note)
			return b, err
		})
}
