package editor_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/handlers/editor"
	"github.com/hoiphuong/hoiphuong/knowledge"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// memStore stands in for knowledge/store until its draft and audit land:
// one published version, an optional draft, an audit log.
type memStore struct {
	mu        sync.Mutex
	published []*knowledge.KB
	infos     []kbstore.VersionInfo
	draft     *knowledge.KB
	info      editor.Draft
	audit     []editor.AuditEntry
	now       func() time.Time
}

func clone(kb *knowledge.KB) *knowledge.KB {
	c := *kb
	c.Procedures = slices.Clone(kb.Procedures)
	c.Units = slices.Clone(kb.Units)
	c.ServicePoints = slices.Clone(kb.ServicePoints)
	c.Curated = slices.Clone(kb.Curated)
	c.Synonyms = slices.Clone(kb.Synonyms)
	return &c
}

func (m *memStore) ensure(actor string) {
	if m.draft == nil {
		m.draft = clone(m.published[len(m.published)-1])
		m.info = editor.Draft{Version: len(m.published) + 1, Base: len(m.published), CreatedAt: m.now()}
	}
	m.info.Revision++
	m.info.UpdatedAt, m.info.UpdatedBy = m.now(), actor
}

func (m *memStore) change(actor, action, entity, id string, fn func(kb *knowledge.KB) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.draft == nil {
		m.draft = clone(m.published[len(m.published)-1])
		m.info = editor.Draft{Version: len(m.published) + 1, Base: len(m.published), CreatedAt: m.now()}
	}
	if err := fn(m.draft); err != nil {
		return err
	}
	m.ensure(actor)
	m.audit = append(m.audit, editor.AuditEntry{ID: int64(len(m.audit) + 1), At: m.now(), Actor: actor, Action: action, Entity: entity, EntityID: id, Summary: action + " " + id})
	return nil
}

func (m *memStore) Draft(_ context.Context, actor string) (editor.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.draft == nil {
		m.ensure(actor)
	}
	return m.info, nil
}

func (m *memStore) DraftKB(context.Context) (*knowledge.KB, editor.Draft, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.draft == nil {
		return nil, editor.Draft{}, editor.ErrNoDraft
	}
	return clone(m.draft), m.info, nil
}

func upsert[T any](list []T, v T, same func(T) bool) []T {
	if i := slices.IndexFunc(list, same); i >= 0 {
		list[i] = v
		return list
	}
	return append(list, v)
}

func remove[T any](list []T, same func(T) bool) ([]T, error) {
	i := slices.IndexFunc(list, same)
	if i < 0 {
		return list, editor.ErrNotFound
	}
	return slices.Delete(list, i, i+1), nil
}

func (m *memStore) SaveProcedure(_ context.Context, actor string, p knowledge.Procedure) error {
	return m.change(actor, "procedure_save", "procedure", p.ID, func(kb *knowledge.KB) error {
		if strings.Contains(p.Fee, "âm") {
			return fmt.Errorf("save procedure %s: %w: lệ phí không được âm", p.ID, editor.ErrInvalid)
		}
		kb.Procedures = upsert(kb.Procedures, p, func(o knowledge.Procedure) bool { return o.ID == p.ID })
		return nil
	})
}

func (m *memStore) DeleteProcedure(_ context.Context, actor, id string) error {
	return m.change(actor, "procedure_delete", "procedure", id, func(kb *knowledge.KB) (err error) {
		kb.Procedures, err = remove(kb.Procedures, func(o knowledge.Procedure) bool { return o.ID == id })
		return err
	})
}

func (m *memStore) SaveOffice(_ context.Context, actor string, u knowledge.Unit) error {
	return m.change(actor, "office_save", "office", u.Code, func(kb *knowledge.KB) error {
		kb.Units = upsert(kb.Units, u, func(o knowledge.Unit) bool { return o.Code == u.Code })
		return nil
	})
}

func (m *memStore) SaveServicePoint(_ context.Context, actor string, sp knowledge.ServicePoint) error {
	return m.change(actor, "service_point_save", "service_point", sp.ID, func(kb *knowledge.KB) error {
		kb.ServicePoints = upsert(kb.ServicePoints, sp, func(o knowledge.ServicePoint) bool { return o.ID == sp.ID })
		return nil
	})
}

func (m *memStore) DeleteServicePoint(_ context.Context, actor, id string) error {
	return m.change(actor, "service_point_delete", "service_point", id, func(kb *knowledge.KB) (err error) {
		kb.ServicePoints, err = remove(kb.ServicePoints, func(o knowledge.ServicePoint) bool { return o.ID == id })
		return err
	})
}

func (m *memStore) SaveCurated(_ context.Context, actor string, c knowledge.CuratedAnswer) error {
	return m.change(actor, "curated_save", "curated", c.ID, func(kb *knowledge.KB) error {
		kb.Curated = upsert(kb.Curated, c, func(o knowledge.CuratedAnswer) bool { return o.ID == c.ID })
		return nil
	})
}

func (m *memStore) DeleteCurated(_ context.Context, actor, id string) error {
	return m.change(actor, "curated_delete", "curated", id, func(kb *knowledge.KB) (err error) {
		kb.Curated, err = remove(kb.Curated, func(o knowledge.CuratedAnswer) bool { return o.ID == id })
		return err
	})
}

func (m *memStore) SaveSynonym(_ context.Context, actor string, s knowledge.Synonym) error {
	return m.change(actor, "synonym_save", "synonym", s.Phrase, func(kb *knowledge.KB) error {
		kb.Synonyms = upsert(kb.Synonyms, s, func(o knowledge.Synonym) bool { return o.Phrase == s.Phrase })
		return nil
	})
}

func (m *memStore) DeleteSynonym(_ context.Context, actor, phrase string) error {
	return m.change(actor, "synonym_delete", "synonym", phrase, func(kb *knowledge.KB) (err error) {
		kb.Synonyms, err = remove(kb.Synonyms, func(o knowledge.Synonym) bool { return o.Phrase == phrase })
		return err
	})
}

func (m *memStore) ApplyImport(_ context.Context, actor string, imp editor.Import, revision int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.draft == nil || m.info.Revision != revision {
		return editor.ErrConflict
	}
	return nil
}

func (m *memStore) DiscardDraft(_ context.Context, actor string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.draft == nil {
		return editor.ErrNoDraft
	}
	m.draft = nil
	m.audit = append(m.audit, editor.AuditEntry{ID: int64(len(m.audit) + 1), At: m.now(), Actor: actor, Action: "discard"})
	return nil
}

func (m *memStore) Load(_ context.Context, version int) (*knowledge.KB, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if version < 1 || version > len(m.published) {
		return nil, kbstore.ErrNoVersion
	}
	return clone(m.published[version-1]), nil
}

func (m *memStore) Latest(context.Context) (*knowledge.KB, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return clone(m.published[len(m.published)-1]), nil
}

func (m *memStore) Versions(context.Context) ([]kbstore.VersionInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := slices.Clone(m.infos)
	slices.Reverse(out)
	return out, nil
}

func (m *memStore) Audit(_ context.Context, q editor.AuditQuery) ([]editor.AuditEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []editor.AuditEntry
	for i := len(m.audit) - 1; i >= 0; i-- {
		a := m.audit[i]
		if (q.Actor == "" || a.Actor == q.Actor) && (q.Action == "" || a.Action == q.Action) &&
			(q.Text == "" || strings.Contains(a.Summary+a.EntityID, q.Text)) &&
			(q.From.IsZero() || !a.At.Before(q.From)) && (q.To.IsZero() || !a.At.After(q.To)) {
			out = append(out, a)
		}
	}
	if q.Offset >= len(out) {
		return nil, nil
	}
	out = out[q.Offset:]
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (m *memStore) Record(_ context.Context, e editor.AuditEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.ID = int64(len(m.audit) + 1)
	m.audit = append(m.audit, e)
	return nil
}

// publish makes the draft the next version (what knowledge/publish does).
func (m *memStore) publish(actor, changelog string, asOf time.Time) (kbstore.VersionInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.draft == nil {
		return kbstore.VersionInfo{}, editor.ErrNoDraft
	}
	return m.add(m.draft, actor, changelog, asOf), nil
}

func (m *memStore) add(kb *knowledge.KB, actor, changelog string, asOf time.Time) kbstore.VersionInfo {
	kb = clone(kb)
	kb.Version, kb.AsOf = len(m.published)+1, asOf
	m.published = append(m.published, kb)
	v := kbstore.VersionInfo{Version: kb.Version, AsOf: asOf, CreatedAt: m.now(), Author: actor, Changelog: changelog, Status: kbstore.StatusPublished}
	m.infos = append(m.infos, v)
	m.draft = nil
	m.audit = append(m.audit, editor.AuditEntry{ID: int64(len(m.audit) + 1), At: m.now(), Actor: actor, Action: "publish", Summary: changelog})
	return v
}

// memPublisher publishes through memStore; busy simulates another
// editor's publish under way.
type memPublisher struct {
	st   *memStore
	busy bool
}

func (p *memPublisher) Publish(_ context.Context, actor, changelog string, asOf time.Time) (kbstore.VersionInfo, error) {
	if p.busy {
		return kbstore.VersionInfo{}, editor.ErrBusy
	}
	return p.st.publish(actor, changelog, asOf)
}

func (p *memPublisher) Rollback(_ context.Context, actor string, version int) (kbstore.VersionInfo, error) {
	kb, err := p.st.Load(context.Background(), version)
	if err != nil {
		return kbstore.VersionInfo{}, err
	}
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return p.st.add(kb, actor, fmt.Sprintf("Khôi phục phiên bản %d", version), kb.AsOf), nil
}

func (p *memPublisher) Busy() bool { return p.busy }

// memUnanswered is the unanswered groups.
type memUnanswered struct {
	mu     sync.Mutex
	groups []editor.UnansweredGroup
	done   map[string]string
}

func (u *memUnanswered) Unanswered(context.Context, time.Time, int) ([]editor.UnansweredGroup, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []editor.UnansweredGroup
	for _, g := range u.groups {
		if _, ok := u.done[g.Key]; !ok {
			out = append(out, g)
		}
	}
	return out, nil
}

func (u *memUnanswered) MarkUnansweredDone(_ context.Context, key, actor, resolution string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.done[key] = resolution
	return nil
}

// fresh starts every case from a draft equal to the latest version.
func (m *memStore) fresh() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.draft = nil
	m.ensure("seed")
}
