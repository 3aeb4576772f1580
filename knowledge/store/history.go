package store

import (
	"context"
	"database/sql"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

func saveHistory(ctx context.Context, tx *sql.Tx, version int, history []knowledge.History) error {
	return insertRows(ctx, tx, `INSERT INTO history (version, seq, former_name, former_district,
		former_province, former_code, current_name, current_district, current_code, whole, change,
		resolutions, effective, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(history), func(i int) ([]any, error) {
			h := history[i]
			res, err := encodeList(h.Resolutions)
			if err != nil {
				return nil, err
			}
			return []any{version, i, h.FormerName, h.FormerDistrict,
				h.FormerProvince, h.FormerCode, h.CurrentName, h.CurrentDistrict, h.CurrentCode, h.Whole, h.Change,
				res, formatDate(h.Effective), h.Source}, nil
		})
}

func loadHistory(ctx context.Context, tx *sql.Tx, version int) ([]knowledge.History, error) {
	return queryRows(ctx, tx, `SELECT former_name, former_district,
		former_province, former_code, current_name, current_district, current_code, whole, change,
		resolutions, effective, source FROM history WHERE version = ? ORDER BY seq`, version,
		func(rows *sql.Rows) (h knowledge.History, err error) {
			var res string
			var effective sql.NullString
			if err := rows.Scan(&h.FormerName, &h.FormerDistrict,
				&h.FormerProvince, &h.FormerCode, &h.CurrentName, &h.CurrentDistrict, &h.CurrentCode, &h.Whole, &h.Change,
				&res, &effective, &h.Source); err != nil {
				return h, err
			}
			if h.Resolutions, err = decodeList(res); err != nil {
				return h, err
			}
			h.Effective, err = parseDate(effective)
			return h, err
		})
}
