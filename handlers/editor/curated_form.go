package editor

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// curatedForm is a curated answer as typed; Group is the unanswered
// group it comes from (marked done when saved).
type curatedForm struct {
	ID, Questions, Answer, ProcedureID, UnitCode, SourceURL, Notes string
	LegalBasis, Sources, Confidence                                string // Sources: one a line, "Tên — https://… (YYYY-MM-DD)"
	Group                                                          string
}

func curatedFormFrom(c knowledge.CuratedAnswer) curatedForm {
	var sources []string
	for _, s := range c.Sources {
		sources = append(sources, s.String())
	}
	return curatedForm{ID: c.ID, Questions: strings.Join(c.Questions, "\n"), Answer: c.Answer,
		ProcedureID: c.ProcedureID, UnitCode: c.UnitCode, SourceURL: c.SourceURL, Notes: c.Notes,
		LegalBasis: c.LegalBasis, Sources: strings.Join(sources, "\n"), Confidence: c.Confidence}
}

func parseCuratedForm(r *http.Request, id string) curatedForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	if id == "" {
		id = v("id")
	}
	return curatedForm{ID: id, Questions: v("questions"), Answer: v("answer"), ProcedureID: v("procedure_id"),
		UnitCode: v("unit_code"), SourceURL: v("source_url"), Notes: v("notes"), Group: v("group"),
		LegalBasis: v("legal_basis"), Sources: v("sources"), Confidence: v("confidence")}
}

// Curated is the form as a curated answer.
func (f curatedForm) Curated() knowledge.CuratedAnswer {
	var sources []knowledge.Source
	for _, l := range splitLines(f.Sources) {
		sources = append(sources, knowledge.ParseSource(l))
	}
	return knowledge.CuratedAnswer{ID: f.ID, Questions: splitLines(f.Questions), Answer: f.Answer,
		ProcedureID: f.ProcedureID, UnitCode: f.UnitCode, SourceURL: f.SourceURL, Notes: f.Notes,
		LegalBasis: f.LegalBasis, Sources: sources, Confidence: f.Confidence}
}

// Validate reports what is missing or malformed, by field.
func (f curatedForm) Validate(kb *knowledge.KB) fieldErrors {
	errs := fieldErrors{}
	if !validSlug(f.ID) {
		errs["id"] = "Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang."
	}
	if len(splitLines(f.Questions)) == 0 {
		errs["questions"] = "Hãy nhập ít nhất một cách hỏi."
	}
	if n := utf8.RuneCountInString(f.Answer); n == 0 || n > 4000 {
		errs["answer"] = "Hãy nhập câu trả lời (tối đa 4000 ký tự)."
	}
	if f.ProcedureID != "" {
		if _, ok := findProcedure(kb, f.ProcedureID); !ok {
			errs["procedure_id"] = "Không có thủ tục này."
		}
	}
	if f.UnitCode != "" {
		if _, ok := findUnit(kb, f.UnitCode); !ok {
			errs["unit_code"] = "Không có đơn vị này."
		}
	}
	if f.SourceURL != "" && !validURL(f.SourceURL) {
		errs["source_url"] = "Nguồn phải là một đường dẫn bắt đầu bằng https://"
	}
	if err := f.Curated().Validate(knowledge.Refs{}); err != nil {
		for field, reason := range storeProblems(err) {
			if field == "sources" || field == "confidence" {
				errs[field] = reason
			}
		}
	}
	return errs
}

// curatedFormData is what curated_form.html shows.
type curatedFormData struct {
	New        bool
	Form       curatedForm
	Errors     fieldErrors
	Procedures []knowledge.Procedure
	Units      []knowledge.Unit
}

func (e *Editor) renderCuratedForm(w http.ResponseWriter, r *http.Request, status int, kb *knowledge.KB, d curatedFormData, flash string) {
	d.Procedures = kb.Procedures
	for _, u := range kb.Units {
		if u.InHCMC() {
			d.Units = append(d.Units, u)
		}
	}
	title := "Sửa câu trả lời đã duyệt"
	if d.New {
		title = "Thêm câu trả lời đã duyệt"
	}
	p := e.newPage(r, title, "curated", d)
	if flash != "" {
		p.Flash, p.Error = flash, true
	}
	e.render(w, r, status, "curated_form.html", p)
}

func findCurated(kb *knowledge.KB, id string) (knowledge.CuratedAnswer, bool) {
	for _, c := range kb.Curated {
		if c.ID == id {
			return c, true
		}
	}
	return knowledge.CuratedAnswer{}, false
}

// slugFrom makes an id out of a question: "tl-" and its first words,
// folded, dash-separated.
func slugFrom(s string) string {
	words := strings.Fields(names.Fold(s))
	var b strings.Builder
	b.WriteString("tl")
	for _, w := range words {
		if b.Len()+len(w)+1 > 48 {
			break
		}
		b.WriteString("-" + w)
	}
	return b.String()
}
