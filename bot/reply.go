package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// PayloadLocation is the quick-reply payload that asks the channel to send
// the citizen's location (a "Gửi vị trí" button).
const PayloadLocation = "#vitri"

// PayloadHuman asks for a person.
const PayloadHuman = "Gặp cán bộ"

const (
	textDegraded    = "(Hệ thống tìm kiếm đang được khôi phục; câu trả lời dựa trên dữ liệu dự phòng.)"
	textNoAddress   = "Địa chỉ, số điện thoại trụ sở: chưa có trong cơ sở dữ liệu của Hỏi Phường."
	textOutsideHCMC = "Lưu ý: thông tin thủ tục ở đây theo quy định và thực tế tại TP. Hồ Chí Minh; ở tỉnh, thành khác lệ phí và nơi nộp có thể khác."
	textLowConf     = "⚠️ Thông tin thủ tục này chưa được xác nhận đầy đủ từ nguồn chính thức; bạn nên hỏi lại cơ quan tiếp nhận trước khi đi."
	bandoURL        = "https://sapnhap.bando.com.vn/"
	reformDate      = "01/07/2025"
	maxListedUnits  = 8
)

var (
	replyLocation  = QuickReply{Label: "📍 Gửi vị trí", Payload: PayloadLocation}
	replyHuman     = QuickReply{Label: "Gặp cán bộ", Payload: PayloadHuman}
	exampleReplies = []QuickReply{
		{Label: "Phường Đa Kao, Quận 1 giờ là phường nào?", Payload: "Phường Đa Kao, Quận 1 giờ là phường nào?"},
		{Label: "Đăng ký khai sinh ở đâu?", Payload: "Đăng ký khai sinh ở đâu?"},
		{Label: "Làm căn cước cần gì?", Payload: "Làm căn cước cần giấy tờ gì?"},
	}
	matterReplies = []QuickReply{
		{Label: "Đăng ký khai sinh", Payload: "Đăng ký khai sinh"},
		{Label: "Đăng ký thường trú", Payload: "Đăng ký thường trú"},
		{Label: "Chứng thực bản sao", Payload: "Chứng thực bản sao"},
		replyHuman,
	}
)

func viDate(d time.Time) string { return d.Format("02/01/2006") }

func isoToVi(s string) string {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return viDate(d)
}

// placeLabel is how the citizen's old place is echoed back.
func placeLabel(r nlu.PlaceReading) string {
	if len(r.Places) == 0 {
		return r.Name
	}
	p := r.Places[0]
	switch p.Kind {
	case knowledge.PlaceNew:
		return p.New.Name
	default:
		return p.Name() + ", " + p.District
	}
}

// answerPlace answers a resolved place, with the matter when one is known.
func (t *turn) answerPlace(r nlu.PlaceReading) Answer {
	tg := r.Targets[0]
	u := t.s.places.Unit(tg.Code)
	if u == nil {
		return outOfScope(t.st)
	}
	var b strings.Builder
	cites := []Citation{}
	p := r.Places[0]
	switch p.Kind {
	case knowledge.PlaceNew:
		fmt.Fprintf(&b, "%s là đơn vị hành chính mới từ %s (%s).", u.Name, reformDate, u.Province)
	case knowledge.PlaceFormer:
		b.WriteString(formerChain(p, u))
		cites = append(cites, formerCitations(p)...)
	default:
		fmt.Fprintf(&b, "%s, %s (cũ) từ %s thuộc %s", p.Old.Name, p.Old.District, reformDate, u.Name)
		if !u.InHCMC() {
			fmt.Fprintf(&b, ", %s", u.Province)
		}
		b.WriteString(".")
	}
	if proc, ok := t.s.matters.Procedure(t.st.ProcedureID); ok {
		head, rest := t.matterParts(proc, u)
		b.WriteString("\n\n" + head)
		a := Answer{Kind: KindAnswer, Unit: &UnitRef{Code: u.Code, Name: u.Name}, Procedure: &ProcedureRef{ID: proc.ID, Name: proc.Name},
			Office: t.office(proc, u)}
		a.Citations = withOfficeCitation(append(cites, unitCitation(u), procCitation(proc)), u)
		a.Lead = b.String()
		a.Text = joinParts(a.Lead, rest) + t.footer(a.Citations)
		a.Replies = []QuickReply{replyHuman}
		return a
	}
	if p.Kind == knowledge.PlaceNew {
		// Asked about the new unit itself: what it was formed from. (Asked
		// about an old place, the citizen knows theirs: the office first.)
		b.WriteString("\n" + formedFrom(t.s.places, u))
	}
	a := Answer{Kind: KindAnswer, Unit: &UnitRef{Code: u.Code, Name: u.Name}, Office: unitOffice(u)}
	a.Lead, a.Text = unitParts(b.String(), u)
	a.Citations = withOfficeCitation(append(cites, unitCitation(u)), u)
	a.Text += t.footer(a.Citations)
	a.Replies = matterReplies
	return a
}

// unitParts ends an answer about a unit (its first lines in s) with the
// unit's offices: the desk in the lead, the rest after it.
func unitParts(s string, u *knowledge.Unit) (lead, text string) {
	lead = s
	if head := strings.TrimSuffix(officeHead(u, ""), "\n"); head != "" {
		lead += "\n" + head
	}
	return lead, joinParts(lead, strings.TrimSuffix(officeRest(u, true), "\n"))
}

// formerChain says in one line how an older name leads to today's unit.
func formerChain(p knowledge.Place, u *knowledge.Unit) string {
	f := p.Former
	st := f.Steps[0]
	verb := "đã nhập vào"
	switch st.Change {
	case "renamed":
		verb = "đã đổi tên thành"
	case "district_changed":
		verb = "từ đó thuộc"
	}
	cur := st.CurrentName + ", " + st.CurrentDistrict
	if st.Change == "merged" && st.CurrentDistrict == f.District {
		cur = st.CurrentName
	}
	if len(f.Steps) > 1 { // split between several March-2025 units
		var parts []string
		for _, s := range f.Steps {
			parts = append(parts, s.CurrentName)
		}
		verb, cur = "đã được chia vào", strings.Join(parts, " và ")+" ("+st.CurrentDistrict+")"
	}
	return fmt.Sprintf("%s, %s (cũ) %s %s từ %s (NQ %s); từ %s thuộc %s (NQ %s).",
		f.Name, f.District, verb, cur, viDate(st.Effective), strings.Join(st.Resolutions, ", "),
		reformDate, u.Name, u.Resolution)
}

func formerCitations(p knowledge.Place) []Citation {
	var out []Citation
	for _, st := range p.Former.Steps[:1] {
		for _, res := range st.Resolutions {
			out = append(out, Citation{Title: "Nghị quyết " + res + " của UBTVQH về sắp xếp đơn vị hành chính", LegalBasis: res, URL: firstURL(st.Source)})
		}
	}
	return out
}

func firstURL(s string) string {
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if strings.HasPrefix(part, "http://") || strings.HasPrefix(part, "https://") {
			return part
		}
	}
	return ""
}

func unitCitation(u *knowledge.Unit) Citation {
	basis := u.Resolution
	if u.ResolutionClause != "" {
		basis += ", khoản " + u.ResolutionClause + " Điều 1"
	}
	return Citation{Title: "Nghị quyết " + u.Resolution + " của UBTVQH về sắp xếp đơn vị hành chính cấp xã (" + u.Province + ")",
		LegalBasis: basis, URL: bandoURL}
}

// withOfficeCitation adds where the unit's office details come from.
func withOfficeCitation(cs []Citation, u *knowledge.Unit) []Citation {
	if c, ok := officeCitation(u); ok {
		return append(cs, c)
	}
	return cs
}

func procCitation(p knowledge.Procedure) Citation {
	c := Citation{Title: p.Name, LegalBasis: p.LegalBasis}
	if len(p.SourceURLs) > 0 {
		c.URL = p.SourceURLs[0]
	}
	return c
}

// footer names the sources and the as-of date in the text itself.
func (t *turn) footer(cs []Citation) string {
	var bases []string
	seen := map[string]bool{}
	for _, c := range cs {
		basis := c.LegalBasis
		switch {
		case c.Title == titleCurated && basis == "":
			basis = titleCurated
		case basis == "":
			basis = c.short // the offices' sources, say
		}
		if basis != "" && !seen[basis] {
			seen[basis] = true
			bases = append(bases, basis)
		}
	}
	s := "\n\n"
	if len(bases) > 0 {
		s += "Nguồn: " + strings.Join(bases, "; ") + ". "
	}
	return s + "Dữ liệu cập nhật đến " + isoToVi(t.s.asOf) + "."
}

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// formedFrom lists the old units a new unit was formed from, grouped by
// old district, whole units first: "Quận 3 (cũ): Phường 1, Phường 2, một
// phần Phường 4".
func formedFrom(p *knowledge.Places, u *knowledge.Unit) string {
	olds := p.FormedFrom(u.Code)
	if len(olds) == 0 {
		return ""
	}
	type entry struct {
		name string
		part bool
	}
	var districts []string
	byDistrict := map[string][]entry{}
	for _, o := range olds {
		part := false
		for _, tg := range o.Targets {
			part = part || tg.Code == u.Code && (tg.Share == "part" || tg.Share == "remainder")
		}
		if _, ok := byDistrict[o.District]; !ok {
			districts = append(districts, o.District)
		}
		byDistrict[o.District] = append(byDistrict[o.District], entry{o.Name, part})
	}
	var groups []string
	listed := 0
	for _, d := range districts {
		es := byDistrict[d]
		sort.SliceStable(es, func(i, j int) bool {
			if es[i].part != es[j].part {
				return !es[i].part
			}
			return naturalLess(es[i].name, es[j].name)
		})
		var names []string
		for _, e := range es {
			if listed == maxListedUnits {
				break
			}
			listed++
			if e.part {
				names = append(names, "một phần "+e.name)
			} else {
				names = append(names, e.name)
			}
		}
		if len(names) > 0 {
			groups = append(groups, d+" (cũ): "+strings.Join(names, ", "))
		}
	}
	s := u.Name + " được hình thành từ " + strings.Join(groups, "; ")
	if rest := len(olds) - listed; rest > 0 {
		s += fmt.Sprintf(" và %d đơn vị khác", rest)
	}
	return s + "."
}

// naturalLess orders "Phường 2" before "Phường 10".
func naturalLess(a, b string) bool {
	na, nb := trailingNumber(a), trailingNumber(b)
	if na >= 0 && nb >= 0 && a[:len(a)-len(fmt.Sprint(na))] == b[:len(b)-len(fmt.Sprint(nb))] {
		return na < nb
	}
	return a < b
}

func trailingNumber(s string) int {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) {
		return -1
	}
	n := 0
	fmt.Sscan(s[i:], &n)
	return n
}

// askStreet lists every unit a split old ward went into and asks where exactly.
func (t *turn) askStreet(r nlu.PlaceReading) Answer {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (cũ) đã được chia cho %d đơn vị mới:\n", placeLabel(r), len(r.Targets))
	for _, tg := range r.Targets {
		fmt.Fprintf(&b, "• %s\n", tg.Name)
	}
	if t.st.Street != "" {
		fmt.Fprintf(&b, "Địa chỉ bạn đưa: %s. Mình chưa có ranh giới theo từng tuyến đường nên không tự chọn thay bạn.\n", t.st.Street)
	}
	b.WriteString("Bạn cho mình biết số nhà, tên đường — hoặc bấm “Gửi vị trí” để xác định chính xác phường mới của bạn.")
	a := Answer{Kind: KindClarify, Asks: AskStreet, Candidates: unitRefs(r.Targets)}
	if proc, ok := t.s.matters.Procedure(t.st.ProcedureID); ok {
		a.Procedure = &ProcedureRef{ID: proc.ID, Name: proc.Name}
	}
	for _, p := range r.Places {
		if p.Kind == knowledge.PlaceFormer {
			a.Citations = append(a.Citations, formerCitations(p)...)
		}
	}
	if u := t.s.places.Unit(r.Targets[0].Code); u != nil {
		a.Citations = append(a.Citations, unitCitation(u))
	}
	a.Text = b.String() + t.footer(a.Citations)
	a.Replies = []QuickReply{replyLocation}
	for _, tg := range r.Targets {
		a.Replies = append(a.Replies, QuickReply{Label: tg.Name, Payload: "Tôi ở " + tg.Name + " (mới)"})
	}
	return a
}

// streetNoted answers a street given for a split ward: kept, but only a
// pin (or the citizen's own choice) can settle it.
func (t *turn) streetNoted() Answer {
	var b strings.Builder
	fmt.Fprintf(&b, "Mình đã ghi lại địa chỉ: %s.\n", t.st.Street)
	b.WriteString("Dữ liệu hiện có chưa chia ranh giới theo từng tuyến đường, nên mình không tự chọn thay bạn giữa:\n")
	for _, c := range t.st.Candidates {
		fmt.Fprintf(&b, "• %s\n", c.Name)
	}
	b.WriteString("Bạn bấm “Gửi vị trí” khi đang ở nhà, chọn phường mới nếu bạn đã biết, hoặc gặp cán bộ để được hỗ trợ.")
	a := Answer{Kind: KindClarify, Asks: AskStreet, Candidates: append([]UnitRef(nil), t.st.Candidates...), Text: b.String()}
	a.Replies = []QuickReply{replyLocation}
	for _, c := range t.st.Candidates {
		a.Replies = append(a.Replies, QuickReply{Label: c.Name, Payload: "Tôi ở " + c.Name + " (mới)"})
	}
	a.Replies = append(a.Replies, replyHuman)
	return a
}

func askDistrict(r nlu.PlaceReading) Answer {
	var b strings.Builder
	fmt.Fprintf(&b, "Có nhiều đơn vị tên “%s” trước khi sắp xếp. Bạn ở quận, huyện (cũ) nào?", r.Name)
	if len(r.Options) > 0 {
		opts := r.Options
		if len(opts) > 12 {
			opts = opts[:12]
		}
		b.WriteString("\nVí dụ: " + strings.Join(opts, "; ") + ".")
	}
	a := Answer{Kind: KindClarify, Asks: AskDistrict, Text: b.String()}
	for i, d := range r.Options {
		if i == 10 {
			break
		}
		a.Replies = append(a.Replies, QuickReply{Label: d, Payload: d})
	}
	return a
}

func unknownPlace(r nlu.PlaceReading) Answer {
	var b strings.Builder
	name := r.Name
	if name == "" {
		name = "địa danh này"
	}
	if r.District != "" {
		fmt.Fprintf(&b, "Mình không tìm thấy “%s” thuộc %s (cũ) trong dữ liệu sắp xếp đơn vị hành chính.", name, r.District)
	} else {
		fmt.Fprintf(&b, "Mình không tìm thấy “%s” trong dữ liệu sắp xếp đơn vị hành chính.", name)
	}
	if len(r.Options) > 0 {
		opts := r.Options
		if len(opts) > 8 {
			opts = opts[:8]
		}
		b.WriteString("\nTên này có ở: " + strings.Join(opts, "; ") + ".")
	}
	b.WriteString("\nBạn kiểm tra lại tên phường, xã và quận, huyện cũ (như ghi trên giấy tờ) giúp mình nhé.")
	return Answer{Kind: KindClarify, Asks: AskPlace, Text: b.String(), Replies: []QuickReply{replyLocation, replyHuman}}
}

// askWard answers a district without a ward: which new units it went into.
func (t *turn) askWard(r nlu.PlaceReading) Answer {
	var units []string
	seen := map[string]bool{}
	for _, dm := range r.Mentions.Districts {
		for _, d := range dm.Districts {
			for _, u := range t.districtUnits(d) {
				if !seen[u.Code] {
					seen[u.Code] = true
					units = append(units, u.Name)
				}
			}
		}
	}
	var b strings.Builder
	if len(units) > 0 {
		fmt.Fprintf(&b, "Địa bàn %s (cũ) nay thuộc %d đơn vị mới: %s.\n", r.District, len(units), strings.Join(units, ", "))
	}
	b.WriteString("Bạn ở phường, xã (cũ) nào? Gõ tên như ghi trên giấy tờ, hoặc bấm “Gửi vị trí”.")
	return Answer{Kind: KindClarify, Asks: AskPlace, Text: b.String(), Replies: []QuickReply{replyLocation}}
}

// districtUnits are the new units an old district's communes went into:
// a former district's (Quận 2) through the history of names, not all of
// the district that took it in (Thành phố Thủ Đức).
func (t *turn) districtUnits(d knowledge.District) []*knowledge.Unit {
	if d.Former != nil {
		if units := t.s.places.FormerDistrictUnits(d.Name, d.Province); len(units) > 0 {
			return units
		}
	}
	var out []*knowledge.Unit
	for _, cur := range append([]string{d.Name}, d.Current...) {
		for i := range t.s.kb.Units {
			u := &t.s.kb.Units[i]
			if containsDistrict(u.FormerDistricts, cur) && (d.Province == "" || strings.Contains(d.Province, u.FormerProvince)) {
				out = append(out, u)
			}
		}
	}
	return out
}

func containsDistrict(list, name string) bool {
	for _, d := range strings.Split(list, ";") {
		if strings.TrimSpace(d) == name {
			return true
		}
	}
	return false
}

// answerMatter answers a matter with no place in this message.
func (t *turn) answerMatter(proc knowledge.Procedure) Answer {
	if t.st.Unit != nil {
		if u := t.s.places.Unit(t.st.Unit.Code); u != nil {
			a := Answer{Kind: KindAnswer, Unit: &UnitRef{Code: u.Code, Name: u.Name}, Procedure: &ProcedureRef{ID: proc.ID, Name: proc.Name},
				Office: t.office(proc, u), Citations: withOfficeCitation([]Citation{procCitation(proc), unitCitation(u)}, u)}
			head, rest := t.matterParts(proc, u)
			a.Lead, a.Text = head, joinParts(head, rest)+t.footer(a.Citations)
			a.Replies = []QuickReply{replyHuman}
			return a
		}
	}
	ref := &ProcedureRef{ID: proc.ID, Name: proc.Name}
	if proc.AtCommune() {
		if len(t.st.Candidates) > 0 {
			a := Answer{Kind: KindClarify, Asks: AskStreet, Procedure: ref, Candidates: append([]UnitRef(nil), t.st.Candidates...)}
			a.Text = fmt.Sprintf("%s do %s giải quyết. %s (cũ) đã được chia cho nhiều phường mới — bạn cho mình biết số nhà, tên đường hoặc bấm “Gửi vị trí”.", proc.Name, proc.Authority, t.st.OldPlace)
			a.Replies = []QuickReply{replyLocation}
			return a
		}
		a := Answer{Kind: KindClarify, Asks: AskPlace, Procedure: ref, Citations: []Citation{procCitation(proc)}}
		var b strings.Builder
		fmt.Fprintf(&b, "%s do %s giải quyết.", proc.Name, proc.Authority)
		if proc.FileAnywhere == "yes" {
			b.WriteString(" Bạn có thể nộp hồ sơ ở bất kỳ phường, xã nào hoặc nộp trực tuyến.")
		}
		// What was asked that does not depend on the place (the fee, the
		// papers …) is answered now; the place settles where to go.
		detailLines(proc, func(d nlu.Detail, format string, args ...any) {
			if t.asked[d] && d != nlu.DetailWhere {
				fmt.Fprintf(&b, "\n"+strings.TrimSuffix(format, "\n"), args...)
			}
		})
		b.WriteString("\nBạn đang cư trú ở phường, xã nào (tên cũ hay mới đều được)? Mình sẽ chỉ đúng nơi giải quyết.")
		if proc.Confidence == "low" {
			b.WriteString("\n" + textLowConf)
		}
		a.Text = b.String() + t.footer(a.Citations)
		a.Replies = []QuickReply{replyLocation, {Label: "Quận 1", Payload: "Quận 1"}, {Label: "TP Thủ Đức", Payload: "Thành phố Thủ Đức"}, {Label: "Bình Dương", Payload: "Tỉnh Bình Dương"}}
		return a
	}
	a := Answer{Kind: KindAnswer, Procedure: ref, Office: t.office(proc, nil), Citations: []Citation{procCitation(proc)}}
	head, rest := t.matterParts(proc, nil)
	a.Lead, a.Text = head, joinParts(head, rest)+t.footer(a.Citations)
	a.Replies = []QuickReply{replyHuman}
	return a
}

// landBranch finds the land registration branch serving a unit, if known.
func landBranch(kb *knowledge.KB, u *knowledge.Unit) string {
	short := strings.ToLower(u.ShortName)
	for _, br := range kb.Branches {
		if strings.HasSuffix(strings.ToLower(br.CommuneUnit), " "+short) {
			return br.BranchName
		}
	}
	return ""
}

// matterText is the body of a procedure answer: its head, then the rest.
func (t *turn) matterText(p knowledge.Procedure, u *knowledge.Unit) string {
	head, rest := t.matterParts(p, u)
	return joinParts(head, rest)
}

// joinParts is an answer's head and the rest, on lines of their own.
func joinParts(head, rest string) string {
	if rest == "" {
		return head
	}
	return head + "\n" + rest
}

// matterParts is a procedure answer in two parts. The head is what a
// citizen needs first: the procedure, who handles it and where to go (the
// unit's desk), any detail the question asked for (the fee, the papers …)
// and a warning when the facts are unsure; the rest is every other detail
// (a page folds it behind "Xem chi tiết"). Neither ends with a new line.
func (t *turn) matterParts(p knowledge.Procedure, u *knowledge.Unit) (head, rest string) {
	var h, r strings.Builder
	// line writes a detail's line into the head when the question asked
	// for it, else into the rest.
	line := func(d nlu.Detail, format string, args ...any) {
		if t.asked[d] {
			fmt.Fprintf(&h, format, args...)
		} else {
			fmt.Fprintf(&r, format, args...)
		}
	}
	fmt.Fprintf(&h, "Thủ tục: %s\n", p.Name)
	o := t.office(p, u)
	if o.Unit != "" {
		fmt.Fprintf(&h, "Nơi giải quyết: %s — %s.\n", o.Unit, p.Authority)
	} else {
		fmt.Fprintf(&h, "Cơ quan giải quyết: %s.\n", p.Authority)
		if p.JurisdictionBasis != "" {
			fmt.Fprintf(&r, "Thẩm quyền theo: %s.\n", strings.TrimSuffix(p.JurisdictionBasis, "."))
		}
	}
	// Where to go: the unit's desk (or police), with its phone.
	if u != nil {
		h.WriteString(officeHead(u, p.MainLevel()))
	}
	detailLines(p, line)
	if p.Confidence == "low" {
		h.WriteString(textLowConf + "\n")
	}
	if u != nil {
		r.WriteString(officeRest(u, false))
	}
	if p.MainLevel() == knowledge.LevelCity {
		// The city's own places are where to go: first when asked.
		if t.asked[nlu.DetailWhere] {
			h.WriteString(servicePointsText(o.ServicePoints))
		} else {
			r.WriteString(servicePointsText(o.ServicePoints))
		}
	}
	if u != nil && !u.InHCMC() {
		r.WriteString(textOutsideHCMC + "\n")
	}
	return strings.TrimRight(h.String(), "\n"), strings.TrimRight(r.String(), "\n")
}

// detailLines writes a procedure's details through line, each with the
// detail it answers: papers, fee, time, where to file, online.
func detailLines(p knowledge.Procedure, line func(d nlu.Detail, format string, args ...any)) {
	if len(p.Documents) > 0 {
		line(nlu.DetailDocuments, "Giấy tờ: %s.\n", strings.Join(p.Documents, "; "))
	}
	if p.Fee != "" {
		line(nlu.DetailFee, "Lệ phí: %s.\n", strings.TrimSuffix(p.Fee, "."))
	}
	if p.ProcessingTime != "" {
		line(nlu.DetailTime, "Thời hạn: %s.\n", strings.TrimSuffix(p.ProcessingTime, "."))
	}
	switch p.FileAnywhere {
	case "yes":
		line(nlu.DetailWhere, "Nộp ở đâu: bộ phận một cửa của bất kỳ phường, xã nào (không phụ thuộc địa giới).\n")
	case "no":
		line(nlu.DetailWhere, "Nộp ở đâu: tại cơ quan có thẩm quyền nêu trên.\n")
	}
	switch p.Online {
	case "yes":
		line(nlu.DetailOnline, "Trực tuyến: làm được hoàn toàn qua VNeID hoặc Cổng Dịch vụ công quốc gia.\n")
	case "partial":
		line(nlu.DetailOnline, "Trực tuyến: nộp được, nhưng vẫn phải đến cơ quan (ký, đối chiếu hoặc nhận kết quả).\n")
	case "no":
		line(nlu.DetailOnline, "Trực tuyến: chưa có nguồn ghi nhận nộp trực tuyến.\n")
	}
}

func (t *turn) handoff(intent nlu.Intent) Answer {
	a := Answer{Kind: KindHandoff}
	var b strings.Builder
	switch {
	case intent == nlu.IntentComplaint:
		b.WriteString(textComplaintPrefix)
	case t.st.Misses >= 1 && intent == nlu.IntentNone:
		b.WriteString(textMissesPrefix)
	}
	if t.st.Unit != nil {
		fmt.Fprintf(&b, "Mình đã chuyển yêu cầu của bạn tới cán bộ %s.", t.st.Unit.Name)
		a.Unit = &UnitRef{Code: t.st.Unit.Code, Name: t.st.Unit.Name}
	} else {
		b.WriteString("Mình đã chuyển yêu cầu của bạn tới cán bộ tiếp nhận của Thành phố.")
	}
	b.WriteString(" Cán bộ sẽ phản hồi trong cuộc trò chuyện này sớm nhất có thể (trong giờ hành chính). Trong lúc chờ, bạn có thể nhắn thêm nội dung cần hỏi và địa chỉ (phường, xã) của bạn.")
	a.Text = b.String()
	return a
}

// answerPin answers a location pin.
func (t *turn) answerPin(u *knowledge.Unit, near []UnitRef, wasCandidate bool) Answer {
	var b strings.Builder
	fmt.Fprintf(&b, "Vị trí bạn gửi thuộc %s (đơn vị mới từ %s).", u.Name, reformDate)
	if len(near) > 0 {
		var ns []string
		for _, n := range near {
			ns = append(ns, n.Name)
		}
		fmt.Fprintf(&b, "\nVị trí này ở sát ranh giới với %s; nếu chưa chắc, bạn gửi thêm số nhà, tên đường.", strings.Join(ns, ", "))
	}
	if !wasCandidate {
		fmt.Fprintf(&b, "\nLưu ý: vị trí này không thuộc các phường mới được chia từ %s (cũ); mình trả lời theo vị trí bạn gửi.", t.st.OldPlace)
	}
	a := Answer{Kind: KindAnswer, Unit: &UnitRef{Code: u.Code, Name: u.Name}}
	if len(near) > 0 {
		a.Candidates = append([]UnitRef{{Code: u.Code, Name: u.Name}}, near...)
	}
	a.Citations = []Citation{unitCitation(u)}
	if proc, ok := t.s.matters.Procedure(t.st.ProcedureID); ok {
		head, rest := t.matterParts(proc, u)
		a.Lead = b.String() + "\n\n" + head
		a.Text = joinParts(a.Lead, rest)
		a.Procedure = &ProcedureRef{ID: proc.ID, Name: proc.Name}
		a.Office = t.office(proc, u)
		a.Citations = append(a.Citations, procCitation(proc))
		a.Replies = []QuickReply{replyHuman}
	} else {
		// Where the pin is and its desk first; what the unit was formed from after.
		a.Lead, a.Text = unitParts(b.String(), u)
		if ff := formedFrom(t.s.places, u); ff != "" {
			a.Text = joinParts(a.Text, ff)
		}
		a.Office = unitOffice(u)
		a.Replies = matterReplies
	}
	a.Citations = withOfficeCitation(a.Citations, u)
	a.Text += t.footer(a.Citations)
	return a
}

// askPin answers the "send my location" button on a channel that sent it
// back as text: how to share a pin there.
func askPin(st *State) Answer {
	a := Answer{Kind: KindClarify, Asks: AskPlace, Text: "Bạn bấm nút 📍 (đính kèm → Vị trí) trong ứng dụng để gửi vị trí hiện tại, hoặc gõ số nhà, tên đường và phường, xã cũ."}
	if len(st.Candidates) > 0 {
		a.Asks, a.Candidates = AskStreet, append([]UnitRef(nil), st.Candidates...)
	}
	return a
}

func pinOutside() Answer {
	return Answer{Kind: KindFallback, Text: "Vị trí bạn gửi nằm ngoài địa bàn TP. Hồ Chí Minh (mới), nên mình chưa hỗ trợ được. Nếu bạn ở TP.HCM, hãy gửi lại vị trí hoặc gõ tên phường, xã cũ.",
		Replies: []QuickReply{replyLocation}}
}

// askOldPlace answers "which ward am I in now?" asked without a place.
func askOldPlace() Answer {
	return Answer{Kind: KindClarify, Asks: AskPlace,
		Text:    "Bạn gõ tên phường, xã cũ kèm quận, huyện như ghi trên giấy tờ (ví dụ: “Phường 5, Quận 3” hay “Xã Tân Kiên, Bình Chánh”), hoặc bấm “Gửi vị trí” — mình sẽ cho biết đơn vị mới.",
		Replies: []QuickReply{replyLocation}}
}

func greeting() Answer {
	return Answer{Kind: KindAnswer, Text: "Xin chào! Mình là Hỏi Phường — trợ lý tra cứu phường, xã mới của TP. Hồ Chí Minh sau sắp xếp ngày 01/07/2025 và nơi làm thủ tục hành chính. Bạn gõ tên phường, xã cũ (kèm quận, huyện) hoặc việc cần làm nhé.",
		Replies: exampleReplies}
}

func thanks() Answer {
	return Answer{Kind: KindAnswer, Text: "Không có gì ạ! Bạn cần tra cứu thêm phường, xã hay thủ tục nào cứ nhắn mình nhé.", Replies: exampleReplies}
}

func help() Answer {
	return Answer{Kind: KindAnswer, Text: "Mình giúp được:\n• Phường, xã cũ nay thuộc đơn vị mới nào (ví dụ: “Phường Đa Kao, Quận 1”).\n• Thủ tục làm ở đâu, cần giấy tờ gì, lệ phí bao nhiêu (ví dụ: “đăng ký khai sinh”).\n• Gửi vị trí để biết bạn thuộc phường, xã nào.\n• Gõ “gặp cán bộ” để được cán bộ hỗ trợ.",
		Replies: exampleReplies}
}

func outOfScope(st *State) Answer {
	a := Answer{Kind: KindFallback, Text: "Xin lỗi, mình chỉ hỗ trợ tra cứu phường, xã mới sau sắp xếp và thủ tục hành chính tại TP. Hồ Chí Minh. Bạn thử gõ tên phường, xã cũ (kèm quận, huyện) hoặc việc cần làm nhé.",
		Replies: exampleReplies}
	if st.Misses >= 1 {
		a.Replies = append([]QuickReply{replyHuman}, exampleReplies...)
	}
	return a
}

// didYouMean is a fallback that offers the one procedure the message may
// be about; tapping it asks about that procedure by its name.
// suggestText asks whether the message is about one of the procedures.
func suggestText(ps []knowledge.Procedure) string {
	quoted := make([]string, len(ps))
	for i, p := range ps {
		quoted[i] = "“" + p.Name + "”"
	}
	return "Có phải bạn hỏi về thủ tục " + strings.Join(quoted, " hay ") + "? Bạn bấm chọn, hoặc nói rõ hơn việc cần làm giúp mình nhé."
}

func didYouMean(st *State, ps []knowledge.Procedure) Answer {
	a := outOfScope(st)
	replies := make([]QuickReply, 0, len(ps)+len(a.Replies))
	for _, p := range ps {
		label := p.Name
		if r := []rune(label); len(r) > 40 {
			label = string(r[:39]) + "…"
		}
		replies = append(replies, QuickReply{Label: label, Payload: p.Name})
	}
	a.Text = "Mình chưa chắc bạn muốn hỏi gì. " + suggestText(ps)
	a.Replies = append(replies, a.Replies...)
	return a
}

func notUnderstood(st *State) Answer {
	a := outOfScope(st)
	a.Text = "Xin lỗi, mình chưa hiểu tin nhắn này. Bạn gõ tên phường, xã cũ (kèm quận, huyện) hoặc việc cần làm, ví dụ: “Phường 5, Quận 3” hay “đăng ký khai sinh”."
	return a
}
