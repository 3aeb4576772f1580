package editor

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// procedureForm is the procedure form as typed: lists one item per line.
type procedureForm struct {
	ID, Name, Aliases, Field, Authority     string
	MainLevel                               string
	OtherLevels                             []string
	JurisdictionBasis, FileAnywhere, Online string
	ProcessingTime, Fee, Documents          string
	LegalBasis, SourceURLs, Confidence      string
	Examples                                string
}

// fieldErrors are the form's errors by field name.
type fieldErrors map[string]string

func procedureFormFrom(p knowledge.Procedure) procedureForm {
	f := procedureForm{ID: p.ID, Name: p.Name, Aliases: strings.Join(p.Aliases, "\n"), Field: p.Field,
		Authority: p.Authority, JurisdictionBasis: p.JurisdictionBasis, FileAnywhere: p.FileAnywhere,
		Online: p.Online, ProcessingTime: p.ProcessingTime, Fee: p.Fee, Documents: strings.Join(p.Documents, "\n"),
		LegalBasis: p.LegalBasis, SourceURLs: strings.Join(p.SourceURLs, "\n"), Confidence: p.Confidence,
		Examples: strings.Join(p.Examples, "\n")}
	if len(p.OfficeLevels) > 0 {
		f.MainLevel, f.OtherLevels = p.OfficeLevels[0], p.OfficeLevels[1:]
	}
	return f
}

func parseProcedureForm(r *http.Request, id string) procedureForm {
	_ = r.ParseForm()
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	if id == "" {
		id = v("id")
	}
	return procedureForm{ID: id, Name: v("name"), Aliases: v("aliases"), Field: v("field"), Authority: v("authority"),
		MainLevel: v("main_level"), OtherLevels: r.PostForm["other_levels"], JurisdictionBasis: v("jurisdiction_basis"),
		FileAnywhere: v("file_anywhere"), Online: v("online"), ProcessingTime: v("processing_time"), Fee: v("fee"),
		Documents: v("documents"), LegalBasis: v("legal_basis"), SourceURLs: v("source_urls"), Confidence: v("confidence"),
		Examples: v("examples")}
}

// Procedure is the form as a procedure.
func (f procedureForm) Procedure() knowledge.Procedure {
	levels := []string{f.MainLevel}
	for _, l := range f.OtherLevels {
		if l != f.MainLevel && !slices.Contains(levels, l) {
			levels = append(levels, l)
		}
	}
	return knowledge.Procedure{ID: f.ID, Name: f.Name, Aliases: splitLines(f.Aliases), Field: f.Field,
		Authority: f.Authority, OfficeLevels: levels, JurisdictionBasis: f.JurisdictionBasis,
		FileAnywhere: f.FileAnywhere, Online: f.Online, ProcessingTime: f.ProcessingTime, Fee: f.Fee,
		Documents: splitLines(f.Documents), LegalBasis: f.LegalBasis, SourceURLs: splitLines(f.SourceURLs),
		Confidence: f.Confidence, Examples: splitLines(f.Examples)}
}

// Validate reports what is missing or malformed, by field.
func (f procedureForm) Validate() fieldErrors {
	errs := fieldErrors{}
	if !validSlug(f.ID) {
		errs["id"] = "Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ: khai-sinh)."
	}
	if f.Name == "" {
		errs["name"] = "Hãy nhập tên thủ tục."
	}
	if f.Authority == "" {
		errs["authority"] = "Hãy ghi cơ quan giải quyết."
	}
	if !slices.Contains(levels, f.MainLevel) {
		errs["main_level"] = "Hãy chọn nơi nộp hồ sơ chính."
	}
	for _, l := range f.OtherLevels {
		if !slices.Contains(levels, l) {
			errs["other_levels"] = "Cấp giải quyết không hợp lệ."
		}
	}
	if !slices.Contains([]string{"yes", "no", "unknown"}, f.FileAnywhere) {
		errs["file_anywhere"] = "Hãy chọn có nộp ở bất kỳ đâu được không."
	}
	if !slices.Contains([]string{"yes", "partial", "no", "unknown"}, f.Online) {
		errs["online"] = "Hãy chọn mức nộp trực tuyến."
	}
	if !slices.Contains([]string{"high", "medium", "low"}, f.Confidence) {
		errs["confidence"] = "Hãy chọn độ tin cậy."
	}
	for _, u := range splitLines(f.SourceURLs) {
		if !validURL(u) {
			errs["source_urls"] = "Mỗi dòng phải là một đường dẫn bắt đầu bằng https:// (dòng sai: " + u + ")."
			break
		}
	}
	return errs
}

// procedureFormData is what procedure_form.html shows.
type procedureFormData struct {
	New    bool
	Form   procedureForm
	Errors fieldErrors
	Levels []string
}

// HasLevel reports whether l is ticked among the other levels.
func (d procedureFormData) HasLevel(l string) bool { return slices.Contains(d.Form.OtherLevels, l) }

func (e *Editor) renderProcedureForm(w http.ResponseWriter, r *http.Request, status int, d procedureFormData, flash string) {
	d.Levels = levels
	title := "Sửa thủ tục"
	if d.New {
		title = "Thêm thủ tục"
	}
	p := e.newPage(r, title, "procedures", d)
	if flash != "" {
		p.Flash, p.Error = flash, true
	}
	e.render(w, r, status, "procedure_form.html", p)
}
