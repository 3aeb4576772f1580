package nlu

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/seed"
)

var (
	placesOnce sync.Once
	places     *knowledge.Places
	reader     *PlaceReader
	matters    *Matters
)

func testIndexes(t testing.TB) (*knowledge.Places, *Matters) {
	placesOnce.Do(func() {
		kb, err := seed.Load()
		if err != nil {
			t.Fatal(err)
		}
		places = knowledge.NewPlaces(kb)
		reader = NewPlaceReader(places, OrdinaryText(kb))
		matters = NewMatters(kb.Procedures, seed.Synonyms(), reader)
	})
	return places, matters
}

func targetCodes(r PlaceReading) string {
	var c []string
	for _, t := range r.Targets {
		c = append(c, t.Code)
	}
	sort.Strings(c)
	return strings.Join(c, ",")
}

// Ways people really type places: no diacritics, abbreviations, slang,
// pasted addresses, former names. Codes are new-unit codes.
func TestReadPlace(t *testing.T) {
	tests := []struct {
		in      string
		status  PlaceStatus
		targets string
		street  string
	}{
		{"Phường Đa Kao, Quận 1", PlaceSplit, "26737,26740", ""},
		{"p da kao q1", PlaceSplit, "26737,26740", ""},
		{"phuong dakao quan binhthanh", PlaceUnknown, "", ""},
		{"phuong dakao quan 1", PlaceSplit, "26737,26740", ""},
		{"p.tanthoinhi h.hocmon", PlaceResolved, "27577", ""},
		{"Phường Đa Cao quận 1", PlaceSplit, "26737,26740", ""}, // one letter off
		{"phuong 12 quan binh thach", PlaceResolved, "26929", ""},
		{"phường 5, quận 3", PlaceResolved, "27154", ""},
		{"F5 Q3", PlaceResolved, "27154", ""},
		{"P.05, Q.03", PlaceResolved, "27154", ""},
		{"phường 01 quận 3", PlaceResolved, "", ""},
		{"p12 q.bt", PlaceResolved, "26929", ""},
		{"Tân Thới Nhì huyện Hóc Môn", PlaceResolved, "27577", ""},
		{"290A/47 Dương Bá Trạc, P1, Q8", PlaceResolved, "27418", "290A/47 Dương Bá Trạc"},
		{"P. Thảo Điền, Quận 2", PlaceResolved, "27094", ""},
		{"ấp Tân Thới Nhì, xã Tân Thới Nhì, Hóc Môn", PlaceResolved, "27577", "ấp Tân Thới Nhì"},
		{"Phường 1", PlaceAmbiguous, "", ""},
		{"phường 30 quận 3", PlaceUnknown, "", ""},
		{"xã Hòa Bình huyện Củ Chi", PlaceUnknown, "", ""},
		{"Quận 1", PlaceDistrict, "", ""},
		{"xin vào trung tâm bảo trợ", PlaceNone, "", ""},
		{"bến thành", PlaceResolved, "26743", ""},
		{"tôi ở linh trung giờ là phường nào", PlaceResolved, "26800", ""},
		{"em sống ở hiệp bình chánh ạ", PlaceResolved, "26809", ""},
		{"cho hỏi thảo điền giờ là phường gì", PlaceResolved, "27094", ""},
		{"khai sinh ở linh trung", PlaceResolved, "26800", ""},
		{"Xã Giao An, Huyện Giao Thủy, Tỉnh Nam Định", PlaceResolved, "14182", ""},
		{"đường Lê Minh Xuân, quận 1", PlaceDistrict, "", "đường Lê Minh Xuân"},
		{"alo phuong oi, duong truoc nha em bi ngap nuoc hoai", PlaceNone, "", ""}, // a road, no street address
		// A street inside the sentence is a street, not words of a matter
		// (Nguyễn Văn Cừ matched the example naming 43 Nguyễn Văn Bá).
		{"nha e o duong nguyen van cu p.2 q5 cu", PlaceResolved, "27301", "duong nguyen van cu"},
		{"em ở hẻm 12 Trần Hưng Đạo phường 1 quận 5", PlaceResolved, "27301", "hẻm 12 Trần Hưng Đạo"},
		{"đi đường nào tới phường 2 quận 5", PlaceResolved, "27301", ""}, // not a street address
		// A landmark's name is no unit: Bệnh viện Hùng Vương is a
		// hospital, Phường Hùng Vương is in other provinces.
		{"bé mới sinh ở bv Hùng Vương", PlaceNone, "", ""},
		{"con sinh o benh vien hung vuong", PlaceNone, "", ""},
		{"sinh ở bệnh viện quận 8", PlaceDistrict, "", ""},
		{"nhà gần siêu thị Coopmart Phú Lâm, phường 13 quận 6", PlaceResolved, "27349", ""},
	}
	for _, tt := range tests {
		r := readPlace(t, tt.in, "", false)
		if r.Status != tt.status {
			t.Errorf("%q: status %d, want %d (targets %s)", tt.in, r.Status, tt.status, targetCodes(r))
			continue
		}
		if tt.targets != "" && targetCodes(r) != tt.targets {
			t.Errorf("%q: targets %s, want %s", tt.in, targetCodes(r), tt.targets)
		}
		if r.Street != tt.street {
			t.Errorf("%q: street %q, want %q", tt.in, r.Street, tt.street)
		}
	}
}

// A landmark's name is no place, yet the matter reader still reads the
// words after a landmark word: they are not marked used.
func TestLandmarkWordsStayForTheMatter(t *testing.T) {
	testIndexes(t)
	text := NewText("trường đại học yêu cầu xác nhận cư trú thì làm ở đâu")
	m := reader.FindPlaces(text, false)
	for i, used := range m.Used {
		if used {
			t.Errorf("%q used by the place reader", text.Tokens[i])
		}
	}
}

// Pending name + district answer ("Phường 1" then "Quận 3").
func TestReadPlacePending(t *testing.T) {
	first := readPlace(t, "phường 1", "", false)
	if first.Status != PlaceAmbiguous || len(first.Options) < 5 {
		t.Fatalf("phường 1: %+v", first.Options)
	}
	r := readPlace(t, "Quận 4", first.Name, true)
	if r.Status == PlaceAmbiguous || r.Status == PlaceNone || r.Status == PlaceDistrict {
		t.Fatalf("Quận 4 after phường 1: status %d", r.Status)
	}
}

func TestMatter(t *testing.T) {
	_, m := testIndexes(t)
	tests := []struct{ in, want string }{
		{"đăng ký khai sinh", "khai-sinh"},
		{"vợ em mới sinh, giờ làm giấy tờ cho bé ở đâu", "khai-sinh"},
		{"xin giay doc than", "xac-nhan-tthn"},
		{"sang tên sổ hồng", "sang-ten-so-do"},
		{"cho e hỏi đăng kí tạm trú onl dc ko", "tam-tru"},
		{"mẹ tôi mất cần làm giấy tờ gì", "khai-tu"},
		{"sổ đỏ bị mất thì làm sao", "cap-lai-so-do-bi-mat"},
		{"tôi muốn mở tiệm tạp hóa", "hkd-thanh-lap"},
		{"dang ky khai sihn", "khai-sinh"},
		{"lam can cuok", "can-cuoc-tu-14"},
		{"phường mới của tôi là phường nào", ""},
		// Where the office is: a place question, no matter.
		{"cho e hoi gio thuoc phuong nao va dia chi ubnd o dau", ""},
		{"cho e hoi dia chi ubnd o dau", ""},
		{"trụ sở công an ở đâu vậy ad", ""},
		{"dang ky gap chu tich ubnd phuong ntn", "tiep-cong-dan"},
		{"chứng thực bản sao sổ hộ khẩu", "chung-thuc-ban-sao"},
		{"làm căn cước mất bao lâu", "can-cuoc-tu-14"},
		{"làm sao để đăng ký tạm trú", "tam-tru"},
		{"xin bảo trợ xã hội cho mẹ già 80 tuổi", "tro-cap-xa-hoi-hang-thang"},
		{"tỷ giá đô la", ""},
		{"giờ làm việc của ngân hàng", ""},
		{"ai là chủ tịch nước", ""},
		{"làm sao để giảm cân", ""},
		{"giá vàng hôm nay bao nhiêu", ""},
		{"thời tiết ngày mai", ""},
		{"😀", ""},
	}
	for _, tt := range tests {
		text := NewText(tt.in)
		got := ""
		if ms := m.Score(m.Query(text, nil), nil); len(ms) > 0 && ms[0].Score >= 0.55 { // bot's matterThreshold
			got = ms[0].ID
		}
		if got != tt.want {
			t.Errorf("%q: matter %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadIntent(t *testing.T) {
	tests := []struct {
		in   string
		want Intent
	}{
		{"cho tôi gặp cán bộ", IntentHuman},
		{"/canbo", IntentHuman},
		{"cho em gap can bo phuong", IntentHuman},
		{"kết nối với tổng đài viên giúp tôi", IntentHuman},
		{"tố cáo cán bộ phường", IntentNone},
		{"tôi cần hỗ trợ trực tiếp", IntentHuman},
		{"có ai trực không", IntentHuman},
		{"bot trả lời không đúng", IntentComplaint},
		{"xin chào", IntentGreeting},
		{"cảm ơn nhiều nha", IntentThanks},
		{"/help", IntentHelp},
		{"Phường Phú Mỹ gồm những phường/xã cũ nào?", IntentNewUnit},
		// Calling the page before a question is no request for a person.
		{"ad ơi cho em hỏi làm khai sinh ở đâu", IntentNone},
		{"admin oi cho hoi so hong lam o dau", IntentNone},
		{"ad ơi", IntentGreeting},
		{"chị ơi", IntentGreeting},
		{"alo", IntentGreeting},
		{"cho mình hỏi admin chút", IntentNone},
		{"muốn nói chuyện với nhân viên", IntentHuman},
		{"cho em gặp người thật", IntentHuman},
		{"liên hệ với cán bộ phụ trách giúp em", IntentHuman},
		// "cần gì ad": what is needed, asked of the page's admin.
		{"mua xe cu sang ten can gi ad", IntentNone},
		{"bao tu viet kieu can giay to gi admin", IntentNone},
		{"cho em gặp ad", IntentHuman},
		{"em cần admin hỗ trợ", IntentHuman},
		{"can gap admin gap", IntentHuman},
	}
	for _, tt := range tests {
		if got := ReadIntent(NewText(tt.in)); got != tt.want {
			t.Errorf("%q: intent %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzUnderstand(f *testing.F) {
	for _, s := range []string{"Phường Đa Kao, Quận 1", "p.15 q.8", "290A/47 Dương Bá Trạc, P1, Q8", "\xff\xfe", "😀😀", "<script>alert(1)</script>",
		"phường phường phường", "q q q q", "ấp , , ,", "tp tp tp hcm", strings.Repeat("phường 1 ", 200)} {
		f.Add(s)
	}
	_, m := testIndexes(f)
	f.Fuzz(func(t *testing.T, s string) {
		text := NewText(s)
		_ = ReadIntent(text)
		_ = ReadBackToBot(text)
		r := reader.Read(text, PlaceContext{Pending: s, ExpectPlace: true, District: "Quận 1"})
		_ = m.Score(m.Query(text, r.Mentions.Used), nil)
	})
}

func TestReadRating(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"5", 5, true},
		{"4 sao", 4, true},
		{"năm sao", 5, true},
		{"⭐⭐⭐", 3, true},
		{"★★", 2, true},
		{"1 điểm", 1, true},
		{"6", 0, false},
		{"5 quận 3", 0, false},
		{"phường 5", 0, false},
		{"cảm ơn", 0, false},
	}
	for _, tt := range tests {
		got, ok := ReadRating(NewText(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("ReadRating(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// readPlace reads a message's place with the seed KB's reader.
func readPlace(t testing.TB, text, pending string, expect bool) PlaceReading {
	testIndexes(t)
	return reader.Read(NewText(text), PlaceContext{Pending: pending, ExpectPlace: expect})
}

// negativeCorpus is ordinary Vietnamese that names no place: sentences
// written for the purpose (testdata/negative.txt) and the KB's own prose.
func negativeCorpus(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/negative.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	testIndexes(t)
	for _, p := range places.KB().Procedures {
		for _, s := range append([]string{p.Name, p.Authority, p.JurisdictionBasis, p.ProcessingTime, p.Fee}, p.Documents...) {
			if !namesAPlace.MatchString(s) {
				lines = append(lines, s)
			}
		}
	}
	return lines
}

// namesAPlace matches the KB prose that does name a place on purpose: an
// address ("phường Thủ Đức", "P. Bà Rịa"), a province ("của Nghệ An").
var namesAPlace = regexp.MustCompile(`(?i:phường|xã|quận|huyện|tỉnh|p\.)\s+\p{Lu}|Nghệ An|Hà Nội|Đà Nẵng`)

// TestNegativeCorpusNamesNoPlace: ordinary words are never read as places
// ("gia đình" is not Gia Định, "là gì" is not La Gi, "trung tâm hành chính"
// is not Phường Trung Tâm), in the citizen's spelling and without
// diacritics.
func TestNegativeCorpusNamesNoPlace(t *testing.T) {
	lines := negativeCorpus(t)
	bad := 0
	for _, line := range lines {
		for _, text := range []string{line, noDiacritics(line)} {
			r := reader.Read(NewText(text), PlaceContext{})
			m := r.Mentions
			if r.Status != PlaceNone || len(m.Wards)+len(m.Districts)+len(m.Unknown) > 0 || namesOtherProvince(m.Provinces) {
				bad++
				t.Errorf("%q: read a place (status %d, name %q, district %q, wards %d, districts %d, provinces %d, unknown %d)",
					text, r.Status, r.Name, r.District, len(m.Wards), len(m.Districts), len(m.Provinces), len(m.Unknown))
			}
		}
	}
	t.Logf("%d sentences (×2 spellings), %d read a place", len(lines), bad)
}

// namesOtherProvince reports whether a province other than HCMC (which
// the KB's prose names: "tại TP.HCM") was read.
func namesOtherProvince(ms []Mention) bool {
	for _, m := range ms {
		for _, p := range m.Provinces {
			if p.Code != "79" {
				return true
			}
		}
	}
	return false
}
