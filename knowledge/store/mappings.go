package store

import (
	"context"
	"database/sql"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

func saveMappings(ctx context.Context, tx *sql.Tx, version int, mappings []knowledge.Mapping) error {
	return insertRows(ctx, tx, `INSERT INTO mappings (version, seq, old_code, old_name, old_name_gso,
		old_type, old_district, old_district_code, old_province, old_province_code, new_code, new_name,
		new_province, new_province_code, whole, share, part_kind, resolution, resolution_clause, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(mappings), func(i int) ([]any, error) {
			m := mappings[i]
			return []any{version, i, m.OldCode, m.OldName, m.OldNameGSO,
				m.OldType, m.OldDistrict, m.OldDistrictCode, m.OldProvince, m.OldProvinceCode, m.NewCode, m.NewName,
				m.NewProvince, m.NewProvinceCode, m.Whole, m.Share, m.PartKind, m.Resolution, m.Clause, m.Status}, nil
		})
}

func loadMappings(ctx context.Context, tx *sql.Tx, version int) ([]knowledge.Mapping, error) {
	return queryRows(ctx, tx, `SELECT old_code, old_name, old_name_gso,
		old_type, old_district, old_district_code, old_province, old_province_code, new_code, new_name,
		new_province, new_province_code, whole, share, part_kind, resolution, resolution_clause, status
		FROM mappings WHERE version = ? ORDER BY seq`, version,
		func(rows *sql.Rows) (m knowledge.Mapping, err error) {
			err = rows.Scan(&m.OldCode, &m.OldName, &m.OldNameGSO,
				&m.OldType, &m.OldDistrict, &m.OldDistrictCode, &m.OldProvince, &m.OldProvinceCode, &m.NewCode, &m.NewName,
				&m.NewProvince, &m.NewProvinceCode, &m.Whole, &m.Share, &m.PartKind, &m.Resolution, &m.Clause, &m.Status)
			return m, err
		})
}
