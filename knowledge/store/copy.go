package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// versionedColumns lists, per table of a KB version, the columns after
// version (seq included), for copying a version with INSERT … SELECT.
func versionedColumns() []struct{ table, cols string } {
	return []struct{ table, cols string }{
		{"units", "seq, " + unitTable.colList()},
		{"mappings", `seq, old_code, old_name, old_name_gso, old_type, old_district, old_district_code,
			old_province, old_province_code, new_code, new_name, new_province, new_province_code, whole,
			share, part_kind, resolution, resolution_clause, status`},
		{"history", `seq, former_name, former_district, former_province, former_code, current_name,
			current_district, current_code, whole, change, resolutions, effective, source`},
		{"district_aliases", `seq, former_district, former_province, current_district, change,
			resolutions, effective, source`},
		{"procedures", "seq, " + procedureTable.colList()},
		{"land_branches", "seq, branch_no, branch_name, commune_unit, source_url, note"},
		{"service_points", "seq, " + servicePointTable.colList()},
		{"curated_answers", "seq, " + curatedTable.colList()},
		{"synonyms", "seq, " + synonymTable.colList()},
	}
}

// copyVersion copies every row of version from into version to (which must
// exist in kb_versions and be empty), table by table inside the database.
func copyVersion(ctx context.Context, tx *sql.Tx, from, to int) error {
	for _, t := range versionedColumns() {
		cols := strings.Join(strings.Fields(t.cols), " ")
		q := fmt.Sprintf(`INSERT INTO %s (version, %s) SELECT ?, %s FROM %s WHERE version = ?`, t.table, cols, cols, t.table)
		if _, err := tx.ExecContext(ctx, q, to, from); err != nil {
			return fmt.Errorf("copy %s %d → %d: %w", t.table, from, to, err)
		}
	}
	return nil
}
