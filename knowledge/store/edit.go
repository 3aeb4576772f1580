package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// edit runs one change of the draft (created if needed) in a transaction:
// fn changes rows and describes the change; the revision is counted and
// the audit entry written in the same transaction.
func (s *Store) edit(ctx context.Context, actor, what string, fn func(tx *sql.Tx, d Draft) (AuditEntry, error)) error {
	err := sqldb.InTx(ctx, s.db, nil, func(tx *sql.Tx) error {
		d, _, err := s.openDraft(ctx, tx, actor)
		if err != nil {
			return err
		}
		e, err := fn(tx, d)
		if err != nil {
			return err
		}
		if err := s.touch(ctx, tx, d, actor); err != nil {
			return err
		}
		e.At, e.Actor = s.Now(), actor
		return insertAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// sqlRefs checks references against the draft's rows; the first query
// error is kept in *errp (a failed query must not read as "missing").
func sqlRefs(ctx context.Context, tx *sql.Tx, version int, errp *error) knowledge.Refs {
	exists := func(q string, arg string) bool {
		var n int
		if err := tx.QueryRowContext(ctx, q, version, arg).Scan(&n); err != nil {
			if *errp == nil {
				*errp = err
			}
			return false
		}
		return n > 0
	}
	return knowledge.Refs{
		Procedure: func(id string) bool {
			return exists(`SELECT COUNT(*) FROM procedures WHERE version = ? AND id = ?`, id)
		},
		HCMCUnit: func(code string) bool {
			return exists(`SELECT COUNT(*) FROM units WHERE version = ? AND code = ? AND province_code = '`+
				knowledge.HCMCProvinceCode+`'`, code)
		},
	}
}

// validate runs check with references to the draft.
func validate(ctx context.Context, tx *sql.Tx, version int, check func(knowledge.Refs) error) error {
	var qerr error
	err := check(sqlRefs(ctx, tx, version, &qerr))
	if qerr != nil {
		return qerr
	}
	return err
}

func action(found bool) (string, string) {
	if found {
		return "update", "Sửa"
	}
	return "create", "Thêm"
}

// changedFields names the fields that differ between two records, as the
// CSV export names them.
func changedFields(table string, before, after any) string {
	var b, a strings.Builder
	kb := func(v any) *knowledge.KB {
		switch v := v.(type) {
		case knowledge.Procedure:
			return &knowledge.KB{Procedures: []knowledge.Procedure{v}}
		case knowledge.Unit:
			v.ProvinceCode = knowledge.HCMCProvinceCode
			return &knowledge.KB{Units: []knowledge.Unit{v}}
		case knowledge.ServicePoint:
			return &knowledge.KB{ServicePoints: []knowledge.ServicePoint{v}}
		case knowledge.CuratedAnswer:
			return &knowledge.KB{Curated: []knowledge.CuratedAnswer{v}}
		}
		return &knowledge.KB{}
	}
	if knowledge.ExportCSV(&b, kb(before), table) != nil || knowledge.ExportCSV(&a, kb(after), table) != nil {
		return ""
	}
	imp, err := knowledge.ImportCSV(strings.NewReader(a.String()), "", table, kb(before))
	if err != nil || len(imp.Diff.Changed) == 0 {
		return ""
	}
	var names []string
	for _, f := range imp.Diff.Changed[0].Fields {
		names = append(names, f.Field)
	}
	return ": " + strings.Join(names, ", ")
}

// SaveProcedure adds or replaces (by ID) a procedure of the draft.
func (s *Store) SaveProcedure(ctx context.Context, actor string, p knowledge.Procedure) error {
	return s.edit(ctx, actor, "save procedure "+p.ID, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		if err := p.Validate(); err != nil {
			return AuditEntry{}, err
		}
		before, found, err := procedureTable.get(ctx, tx, d.Version, p.ID)
		if err != nil {
			return AuditEntry{}, err
		}
		if err := procedureTable.upsert(ctx, tx, d.Version, p.ID, p); err != nil {
			return AuditEntry{}, err
		}
		act, verb := action(found)
		e := AuditEntry{Action: act, Entity: "procedure", EntityID: p.ID, Summary: verb + " thủ tục " + p.Name, After: jsonOf(p)}
		if found {
			e.Before = jsonOf(before)
			e.Summary += changedFields(knowledge.TableProcedures, before, p)
		}
		return e, nil
	})
}

// DeleteProcedure removes a procedure from the draft; ErrNotFound when it
// is not there, ErrInvalid while a curated answer or service point names it.
func (s *Store) DeleteProcedure(ctx context.Context, actor, id string) error {
	return s.edit(ctx, actor, "delete procedure "+id, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		before, found, err := procedureTable.get(ctx, tx, d.Version, id)
		if err != nil {
			return AuditEntry{}, err
		}
		if !found {
			return AuditEntry{}, ErrNotFound
		}
		if err := procedureInUse(ctx, tx, d.Version, id); err != nil {
			return AuditEntry{}, err
		}
		if err := procedureTable.delete(ctx, tx, d.Version, id); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "delete", Entity: "procedure", EntityID: id, Summary: "Xoá thủ tục " + before.Name, Before: jsonOf(before)}, nil
	})
}

func procedureInUse(ctx context.Context, tx *sql.Tx, version int, id string) error {
	curated, err := curatedTable.load(ctx, tx, version)
	if err != nil {
		return err
	}
	points, err := servicePointTable.load(ctx, tx, version)
	if err != nil {
		return err
	}
	var ps knowledge.Problems
	for _, c := range curated {
		if c.ProcedureID == id {
			ps = append(ps, knowledge.Problem{Field: "id", Reason: fmt.Sprintf("câu trả lời soạn sẵn %q đang dùng thủ tục này", c.ID)})
		}
	}
	for _, p := range points {
		for _, m := range p.Matters {
			if m == id {
				ps = append(ps, knowledge.Problem{Field: "id", Reason: fmt.Sprintf("điểm tiếp nhận %q đang dùng thủ tục này", p.ID)})
			}
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// SaveOffice changes the office fields (desk, UBND and police addresses,
// phone, hotline, hours, map link, notes, source, its date and confidence,
// what to check) of the draft's HCMC unit u.Code; nothing else of u is read.
func (s *Store) SaveOffice(ctx context.Context, actor string, u knowledge.Unit) error {
	return s.edit(ctx, actor, "save office "+u.Code, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		if err := validate(ctx, tx, d.Version, u.ValidateOffice); err != nil {
			return AuditEntry{}, err
		}
		before, _, err := unitTable.get(ctx, tx, d.Version, u.Code)
		if err != nil {
			return AuditEntry{}, err
		}
		after := before.WithOffice(u)
		if err := updateOffice(ctx, tx, d.Version, after); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "update", Entity: "office", EntityID: u.Code,
			Summary: "Sửa trụ sở " + before.Name + changedFields(knowledge.TableOffices, before, after),
			Before:  jsonOf(officeOf(before)), After: jsonOf(officeOf(after))}, nil
	})
}

// officeOf is the part of a unit an office edit changes, for the audit log.
func officeOf(u knowledge.Unit) map[string]string {
	return map[string]string{"code": u.Code, "name": u.Name, "address": u.Address, "ubnd_address": u.UBNDAddress,
		"police_address": u.PoliceAddress, "phone": u.Phone, "hotline": u.Hotline, "hours": u.Hours, "map_url": u.MapURL,
		"office_notes": u.OfficeNotes, "office_source": u.OfficeSource, "office_source_url": u.OfficeSourceURL,
		"office_as_of": u.OfficeAsOf, "office_confidence": u.OfficeConfidence, "office_check": u.OfficeCheck}
}

func updateOffice(ctx context.Context, tx *sql.Tx, version int, u knowledge.Unit) error {
	_, err := tx.ExecContext(ctx, `UPDATE units SET address = ?, phone = ?, hotline = ?, hours = ?, map_url = ?,
		office_notes = ?, ubnd_address = ?, police_address = ?, office_source = ?, office_source_url = ?,
		office_as_of = ?, office_confidence = ?, office_check = ? WHERE version = ? AND code = ?`,
		u.Address, u.Phone, u.Hotline, u.Hours, u.MapURL, u.OfficeNotes, u.UBNDAddress, u.PoliceAddress,
		u.OfficeSource, u.OfficeSourceURL, u.OfficeAsOf, u.OfficeConfidence, u.OfficeCheck, version, u.Code)
	return err
}

// SaveServicePoint adds or replaces (by ID) a city-level service point.
func (s *Store) SaveServicePoint(ctx context.Context, actor string, p knowledge.ServicePoint) error {
	return s.edit(ctx, actor, "save service point "+p.ID, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		if err := validate(ctx, tx, d.Version, p.Validate); err != nil {
			return AuditEntry{}, err
		}
		before, found, err := servicePointTable.get(ctx, tx, d.Version, p.ID)
		if err != nil {
			return AuditEntry{}, err
		}
		if err := servicePointTable.upsert(ctx, tx, d.Version, p.ID, p); err != nil {
			return AuditEntry{}, err
		}
		act, verb := action(found)
		e := AuditEntry{Action: act, Entity: "service_point", EntityID: p.ID, Summary: verb + " điểm tiếp nhận " + p.Name, After: jsonOf(p)}
		if found {
			e.Before = jsonOf(before)
			e.Summary += changedFields(knowledge.TableServicePoints, before, p)
		}
		return e, nil
	})
}

// DeleteServicePoint removes a service point from the draft.
func (s *Store) DeleteServicePoint(ctx context.Context, actor, id string) error {
	return s.edit(ctx, actor, "delete service point "+id, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		before, found, err := servicePointTable.get(ctx, tx, d.Version, id)
		if err != nil {
			return AuditEntry{}, err
		}
		if !found {
			return AuditEntry{}, ErrNotFound
		}
		if err := servicePointTable.delete(ctx, tx, d.Version, id); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "delete", Entity: "service_point", EntityID: id, Summary: "Xoá điểm tiếp nhận " + before.Name, Before: jsonOf(before)}, nil
	})
}

// SaveCurated adds or replaces (by ID) a curated answer.
func (s *Store) SaveCurated(ctx context.Context, actor string, c knowledge.CuratedAnswer) error {
	return s.edit(ctx, actor, "save curated answer "+c.ID, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		if err := validate(ctx, tx, d.Version, c.Validate); err != nil {
			return AuditEntry{}, err
		}
		before, found, err := curatedTable.get(ctx, tx, d.Version, c.ID)
		if err != nil {
			return AuditEntry{}, err
		}
		if err := curatedTable.upsert(ctx, tx, d.Version, c.ID, c); err != nil {
			return AuditEntry{}, err
		}
		act, verb := action(found)
		e := AuditEntry{Action: act, Entity: "curated_answer", EntityID: c.ID, Summary: verb + " câu trả lời soạn sẵn " + c.ID, After: jsonOf(c)}
		if found {
			e.Before = jsonOf(before)
			e.Summary += changedFields(knowledge.TableCurated, before, c)
		}
		return e, nil
	})
}

// DeleteCurated removes a curated answer from the draft.
func (s *Store) DeleteCurated(ctx context.Context, actor, id string) error {
	return s.edit(ctx, actor, "delete curated answer "+id, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		before, found, err := curatedTable.get(ctx, tx, d.Version, id)
		if err != nil {
			return AuditEntry{}, err
		}
		if !found {
			return AuditEntry{}, ErrNotFound
		}
		if err := curatedTable.delete(ctx, tx, d.Version, id); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "delete", Entity: "curated_answer", EntityID: id, Summary: "Xoá câu trả lời soạn sẵn " + id, Before: jsonOf(before)}, nil
	})
}

// SaveSynonym adds or replaces a synonym, keyed by its folded phrase.
func (s *Store) SaveSynonym(ctx context.Context, actor string, syn knowledge.Synonym) error {
	syn = syn.Folded()
	return s.edit(ctx, actor, "save synonym "+syn.Phrase, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		if err := syn.Validate(); err != nil {
			return AuditEntry{}, err
		}
		before, found, err := synonymTable.get(ctx, tx, d.Version, syn.Phrase)
		if err != nil {
			return AuditEntry{}, err
		}
		if err := synonymTable.upsert(ctx, tx, d.Version, syn.Phrase, syn); err != nil {
			return AuditEntry{}, err
		}
		act, verb := action(found)
		e := AuditEntry{Action: act, Entity: "synonym", EntityID: syn.Phrase,
			Summary: fmt.Sprintf("%s từ đồng nghĩa %q → %q", verb, syn.Phrase, syn.Means), After: jsonOf(syn)}
		if found {
			e.Before = jsonOf(before)
		}
		return e, nil
	})
}

// DeleteSynonym removes a synonym (the phrase is folded first).
func (s *Store) DeleteSynonym(ctx context.Context, actor, phrase string) error {
	phrase = knowledge.Synonym{Phrase: phrase}.Folded().Phrase
	return s.edit(ctx, actor, "delete synonym "+phrase, func(tx *sql.Tx, d Draft) (AuditEntry, error) {
		before, found, err := synonymTable.get(ctx, tx, d.Version, phrase)
		if err != nil {
			return AuditEntry{}, err
		}
		if !found {
			return AuditEntry{}, ErrNotFound
		}
		if err := synonymTable.delete(ctx, tx, d.Version, phrase); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "delete", Entity: "synonym", EntityID: phrase, Summary: fmt.Sprintf("Xoá từ đồng nghĩa %q", phrase), Before: jsonOf(before)}, nil
	})
}
