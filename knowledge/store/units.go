package store

import (
	"context"
	"database/sql"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

func saveUnits(ctx context.Context, tx *sql.Tx, version int, units []knowledge.Unit) error {
	return insertRows(ctx, tx, `INSERT INTO units (version, seq, code, name, type, short_name,
		former_province, former_districts, old_units, province, province_code, resolution,
		resolution_clause, address, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(units), func(i int) ([]any, error) {
			u := units[i]
			return []any{version, i, u.Code, u.Name, u.Type, u.ShortName,
				u.FormerProvince, u.FormerDistricts, u.OldUnits, u.Province, u.ProvinceCode, u.Resolution,
				u.ResolutionClause, u.Address, u.Phone}, nil
		})
}

func loadUnits(ctx context.Context, tx *sql.Tx, version int) ([]knowledge.Unit, error) {
	return queryRows(ctx, tx, `SELECT code, name, type, short_name,
		former_province, former_districts, old_units, province, province_code, resolution,
		resolution_clause, address, phone FROM units WHERE version = ? ORDER BY seq`, version,
		func(rows *sql.Rows) (u knowledge.Unit, err error) {
			err = rows.Scan(&u.Code, &u.Name, &u.Type, &u.ShortName,
				&u.FormerProvince, &u.FormerDistricts, &u.OldUnits, &u.Province, &u.ProvinceCode, &u.Resolution,
				&u.ResolutionClause, &u.Address, &u.Phone)
			return u, err
		})
}
