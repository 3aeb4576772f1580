package store

import (
	"context"
	"database/sql"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

func saveAliases(ctx context.Context, tx *sql.Tx, version int, aliases []knowledge.DistrictAlias) error {
	return insertRows(ctx, tx, `INSERT INTO district_aliases (version, seq, former_district,
		former_province, current_district, change, resolutions, effective, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(aliases), func(i int) ([]any, error) {
			a := aliases[i]
			res, err := encodeList(a.Resolutions)
			if err != nil {
				return nil, err
			}
			return []any{version, i, a.FormerDistrict,
				a.FormerProvince, a.CurrentDistrict, a.Change, res, formatDate(a.Effective), a.Source}, nil
		})
}

func loadAliases(ctx context.Context, tx *sql.Tx, version int) ([]knowledge.DistrictAlias, error) {
	return queryRows(ctx, tx, `SELECT former_district,
		former_province, current_district, change, resolutions, effective, source
		FROM district_aliases WHERE version = ? ORDER BY seq`, version,
		func(rows *sql.Rows) (a knowledge.DistrictAlias, err error) {
			var res string
			var effective sql.NullString
			if err := rows.Scan(&a.FormerDistrict,
				&a.FormerProvince, &a.CurrentDistrict, &a.Change, &res, &effective, &a.Source); err != nil {
				return a, err
			}
			if a.Resolutions, err = decodeList(res); err != nil {
				return a, err
			}
			a.Effective, err = parseDate(effective)
			return a, err
		})
}
