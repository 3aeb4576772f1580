package bot

import (
	"fmt"
	"strings"

	"github.com/hoiphuong/hoiphuong/bot/nlu"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/geo"
)

// "Where do I go / the nearest service desk": a question about the ward's
// one-stop desk (Trung tâm Phục vụ hành chính công) or office, and where it
// is. Read here with a small phrase list, on its own: the matter reader
// does not know it.
var (
	// deskPhrases name the desk or the ward's office (folded).
	deskPhrases = []string{"hanh chinh cong", "mot cua", "hcc", "tru so phuong", "tru so xa", "tru so uy ban",
		"uy ban nhan dan phuong", "uy ban nhan dan xa", "uy ban phuong", "uy ban xa", "noi nop ho so", "cho nop ho so"}
	// wherePhrases ask where it is, or for the nearest.
	wherePhrases = []string{"gan nhat", "gan day", "gan toi", "gan nha", "gan em", "gan minh", "o dau", "cho nao",
		"dia chi", "duong nao", "di duong"}
	// nearPhrases ask for the nearest.
	nearPhrases = []string{"gan nhat", "gan day", "gan toi", "gan nha", "gan em", "gan minh"}
	// cityPhrases name the city's own centre (43 Nguyễn Văn Bá), which is a
	// procedure of the KB, not a ward's desk.
	cityPhrases = []string{"thanh pho", "tp hcm", "tphcm", "cap tinh", "so nganh", "nguyen van ba"}
)

// maxDesks is how many desks the nearest-desk answer lists.
const maxDesks = 3

const (
	textAskDeskPlace = "Bạn bấm “📍 Gửi vị trí” để mình tìm Trung tâm Phục vụ hành chính công gần nơi bạn đang đứng, " +
		"hoặc gõ tên phường, xã của bạn (tên cũ hay mới đều được)."
	textDeskSendPin = "Bấm “📍 Gửi vị trí” để tìm Trung tâm gần nơi bạn đang đứng."
	// textDeskDistance says how the distances were measured: the KB has no
	// coordinates of the desks, only the units' boundaries.
	textDeskDistance = "Khoảng cách là ước tính từ vị trí bạn gửi đến tâm địa bàn mỗi phường, xã (Hỏi Phường chưa có tọa độ của từng trụ sở)."
)

// nearestUnits is what a Locator may also offer (knowledge/geo): the units
// nearest a point, by their polygons' centroids.
type nearestUnits interface {
	Nearest(lat, lon float64, n int) []geo.Nearby
}

// deskQuestion reports whether a message asks where a ward's service desk
// (or office) is, or the nearest one — not the city's own centre.
func deskQuestion(t nlu.Text) bool {
	s := " " + t.Folded + " "
	has := func(phrases []string) bool {
		for _, p := range phrases {
			if strings.Contains(s, " "+p+" ") {
				return true
			}
		}
		return false
	}
	if !has(deskPhrases) || !has(wherePhrases) {
		return false
	}
	return !has(cityPhrases) || has(nearPhrases)
}

// deskWords are the words of a desk question besides its desk, where and
// city phrases: what is left of "trung tâm hành chính công gần nhất".
var deskWords = map[string]bool{"trung": true, "tam": true, "phuong": true, "xa": true, "bo": true, "phan": true,
	"tim": true, "di": true, "den": true, "nhat": true, "gan": true, "nay": true}

// deskOnly reports whether a desk question asks nothing else: "đăng ký
// kết hôn ở trung tâm hành chính công nào" is a matter's question, whose
// answer names the desk.
func deskOnly(t nlu.Text, used []bool) bool {
	var rest []string
	for i, tok := range t.Tokens {
		if i >= len(used) || !used[i] {
			rest = append(rest, tok) // a place named is no other matter
		}
	}
	s := " " + strings.Join(rest, " ") + " "
	for _, list := range [][]string{deskPhrases, wherePhrases, cityPhrases} {
		for _, p := range list {
			s = strings.ReplaceAll(s, " "+p+" ", " ")
		}
	}
	for w := range contentWords(strings.Fields(s)) {
		if !deskWords[w] {
			return false
		}
	}
	return true
}

// deskWithoutPlace answers a desk question that names no place: the desk
// of the unit the conversation is about, or a request for the ward or a
// pin. Either way a pin sent next gets the nearest desks.
func (t *turn) deskWithoutPlace() Answer {
	t.st.Desk = true
	if t.st.Unit != nil {
		if u := t.s.places.Unit(t.st.Unit.Code); u != nil && u.HasOffice() {
			a := Answer{Kind: KindAnswer, Unit: &UnitRef{Code: u.Code, Name: u.Name}, Office: unitOffice(u)}
			a.Citations = withOfficeCitation([]Citation{unitCitation(u)}, u)
			a.Lead, a.Text = unitParts(u.Name+":", u)
			a.Text += "\n" + strings.TrimPrefix(textDeskSendPin, "\n") + t.footer(a.Citations)
			a.Replies = []QuickReply{replyLocation, replyHuman}
			return a
		}
	}
	return Answer{Kind: KindClarify, Asks: AskPlace, Text: textAskDeskPlace, Replies: []QuickReply{replyLocation}}
}

// nearestDesks answers a pin sent for the nearest service desks: the
// desks of the units nearest the pin (by the units' centroids, which the
// answer says), each with its address, phone, distance and map link.
func (t *turn) nearestDesks(loc Location, here *knowledge.Unit) Answer {
	nu, ok := t.e.locator.(nearestUnits)
	if !ok {
		return t.answerPin(here, nil, true)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Vị trí bạn gửi thuộc %s. %s gần nhất:\n", here.Name, labelDesk)
	a := Answer{Kind: KindAnswer, Unit: &UnitRef{Code: here.Code, Name: here.Name}}
	a.Citations = []Citation{unitCitation(here)}
	standard, listed := false, 0
	var desks []*knowledge.Unit
	for _, n := range nu.Nearest(loc.Lat, loc.Lon, maxDesks+5) {
		u := t.s.places.Unit(n.Code)
		if u == nil || u.Address == "" {
			continue
		}
		listed++
		fmt.Fprintf(&b, "%d. %s", listed, u.Name)
		if u.Code == here.Code {
			b.WriteString(" (nơi bạn đang đứng)")
		}
		fmt.Fprintf(&b, ": %s", trimDot(u.Address))
		if u.Phone != "" {
			fmt.Fprintf(&b, " — ĐT: %s", u.Phone)
		}
		if u.Hours != "" {
			fmt.Fprintf(&b, " — Giờ làm việc: %s", trimDot(u.Hours))
		} else {
			standard = true
		}
		fmt.Fprintf(&b, " — khoảng %s.\nBản đồ: %s\n", kilometres(n.Metres), officeMapURL(u))
		if a.Office == nil {
			a.Office = unitOffice(u)
		}
		desks = append(desks, u)
		if listed == maxDesks {
			break
		}
	}
	if listed == 0 {
		return t.answerPin(here, nil, true)
	}
	if c, ok := officeCitation(desks...); ok {
		a.Citations = append(a.Citations, c)
	}
	b.WriteString(textDeskDistance + "\n")
	if standard {
		fmt.Fprintf(&b, "Giờ làm việc: %s.\n", textStandardHours)
	}
	// No lead: the list of desks is the answer, to be compared whole.
	a.Text = strings.TrimRight(b.String(), "\n") + t.footer(a.Citations)
	a.Replies = []QuickReply{replyHuman}
	return a
}

// kilometres writes a distance the Vietnamese way: "1,2 km", "0,4 km".
func kilometres(m float64) string {
	if m < 100 {
		return "dưới 0,1 km"
	}
	return strings.Replace(fmt.Sprintf("%.1f km", m/1000), ".", ",", 1)
}
