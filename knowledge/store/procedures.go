package store

import (
	"context"
	"database/sql"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

func saveProcedures(ctx context.Context, tx *sql.Tx, version int, procedures []knowledge.Procedure) error {
	return insertRows(ctx, tx, `INSERT INTO procedures (version, seq, id, name, aliases, field,
		authority, office_levels, jurisdiction_basis, file_anywhere, online, processing_time, fee,
		documents, legal_basis, source_urls, confidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		len(procedures), func(i int) ([]any, error) {
			p := procedures[i]
			lists := make([]string, 4)
			for j, l := range [][]string{p.Aliases, p.OfficeLevels, p.Documents, p.SourceURLs} {
				var err error
				if lists[j], err = encodeList(l); err != nil {
					return nil, err
				}
			}
			return []any{version, i, p.ID, p.Name, lists[0], p.Field,
				p.Authority, lists[1], p.JurisdictionBasis, p.FileAnywhere, p.Online, p.ProcessingTime, p.Fee,
				lists[2], p.LegalBasis, lists[3], p.Confidence}, nil
		})
}

func loadProcedures(ctx context.Context, tx *sql.Tx, version int) ([]knowledge.Procedure, error) {
	return queryRows(ctx, tx, `SELECT id, name, aliases, field,
		authority, office_levels, jurisdiction_basis, file_anywhere, online, processing_time, fee,
		documents, legal_basis, source_urls, confidence
		FROM procedures WHERE version = ? ORDER BY seq`, version,
		func(rows *sql.Rows) (p knowledge.Procedure, err error) {
			var aliases, levels, documents, urls string
			if err := rows.Scan(&p.ID, &p.Name, &aliases, &p.Field,
				&p.Authority, &levels, &p.JurisdictionBasis, &p.FileAnywhere, &p.Online, &p.ProcessingTime, &p.Fee,
				&documents, &p.LegalBasis, &urls, &p.Confidence); err != nil {
				return p, err
			}
			for _, l := range []struct {
				text string
				dst  *[]string
			}{{aliases, &p.Aliases}, {levels, &p.OfficeLevels}, {documents, &p.Documents}, {urls, &p.SourceURLs}} {
				if *l.dst, err = decodeList(l.text); err != nil {
					return p, err
				}
			}
			return p, nil
		})
}
