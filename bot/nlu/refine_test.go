package nlu

import (
	"slices"
	"strings"
	"testing"
)

// A procedure whose name is another's and more ("… có yếu tố nước ngoài",
// "… kết hợp nhận cha, mẹ, con") is taken when the question says its
// further words, and only tied with its base (so the citizen is asked)
// when it led without saying one of them.
func TestRefinements(t *testing.T) {
	_, m := testIndexes(t)
	tests := []struct {
		q        string
		top      string
		tiedWith string // "": the top leads alone
	}{
		{"Chồng em người Hàn, bé mới sinh, làm khai sinh ở đâu", "khai-sinh-yeu-to-nuoc-ngoai", ""},
		{"be co ba la nguoi nhat lam khai sinh sao", "khai-sinh-yeu-to-nuoc-ngoai", ""},
		{"người nước ngoài chết ở Việt Nam làm khai tử ở đâu", "khai-tu-yeu-to-nuoc-ngoai", ""},
		{"khai sinh kết hợp nhận cha cho con", "khai-sinh-ket-hop-nhan-cha", ""},
		{"đăng ký kết hôn cần gì", "ket-hon", ""},
		{"chồng em người nhật, tụi em muốn đăng ký kết hôn thì nộp đâu", "ket-hon-yeu-to-nuoc-ngoai", ""},
		{"làm khai sinh cho con cần cha mẹ đi cùng không", "khai-sinh", "khai-sinh-yeu-to-nuoc-ngoai"},
		{"ông ngoại mất làm khai tử ở đâu", "khai-tu", ""}, // a relative died: not a lost paper
		{"ba noi em mat roi lam giay bao tu", "khai-tu", ""},
		// The family the question names (birth) wins over one its other
		// words are like (a foreign wife reads like a marriage's examples).
		{"vợ em người Trung Quốc, giờ làm khai sinh cho con thì làm sao", "khai-sinh-yeu-to-nuoc-ngoai", ""},
		{"vo em nguoi trung quoc lam khai sinh cho con o dau", "khai-sinh-yeu-to-nuoc-ngoai", ""},
		{"chồng mình người Hàn mới mất, làm khai tử ở đâu", "khai-tu-yeu-to-nuoc-ngoai", ""},
		{"vợ em người Đài Loan, tụi em muốn đăng ký kết hôn", "ket-hon-yeu-to-nuoc-ngoai", ""},
	}
	for _, tt := range tests {
		tx := NewText(tt.q)
		r := m.Rank(m.Query(tx, reader.FindPlaces(tx, false).Used))
		if len(r) == 0 {
			t.Errorf("%q: nothing ranked", tt.q)
			continue
		}
		if tt.tiedWith == "" {
			if r[0].ID != tt.top || len(r) > 1 && r[1].Score == r[0].Score {
				t.Errorf("%q: ranked %v, want %s alone on top", tt.q, r[:min(3, len(r))], tt.top)
			}
			for _, x := range m.refines {
				if x.narrow == tt.top && slices.ContainsFunc(r, func(m Match) bool { return m.ID == x.base }) {
					t.Errorf("%q: %s still ranked beside its narrower %s", tt.q, x.base, tt.top)
				}
			}
			continue
		}
		if len(r) < 2 || r[0].Score != r[1].Score || !(r[0].ID == tt.top && r[1].ID == tt.tiedWith || r[1].ID == tt.top && r[0].ID == tt.tiedWith) {
			t.Errorf("%q: ranked %v, want %s and %s tied on top", tt.q, r[:min(3, len(r))], tt.top, tt.tiedWith)
		}
	}
}

// "hộ khẩu ở <place>" says where the citizen is registered, not what they
// ask; after a verb ("đăng ký thường trú ở …") it is the matter.
func TestResidenceDescribesTheCitizen(t *testing.T) {
	_, m := testIndexes(t)
	tests := []struct {
		in   string
		kept bool // the residence words reach the matter reader
	}{
		{"làm hộ chiếu đi du học, hộ khẩu ở phường Tân Phú quận 7", false},
		{"em thường trú tại phường 5 quận 3, xin giấy độc thân ở đâu", false},
		{"đăng ký thường trú ở phường 5 quận 3", true},
		{"nhap ho khau o p7 phu nhuan", true},
		{"hộ khẩu ở đâu thì làm căn cước ở đó hả", true}, // no place after it
	}
	for _, tt := range tests {
		text := NewText(tt.in)
		q := m.Query(text, reader.Read(text, PlaceContext{}).Mentions.Used)
		words := " " + strings.Join(q.Words, " ") + " "
		kept := strings.Contains(words, " ho khau ") || strings.Contains(words, " thuong tru ")
		if kept != tt.kept {
			t.Errorf("%q: residence words kept %v, want %v (%s)", tt.in, kept, tt.kept, words)
		}
	}
}

// The procedures that follow a death lead only a question that says
// someone died (or names the funeral, the death registration).
func TestNeedDeath(t *testing.T) {
	_, m := testIndexes(t)
	tests := []struct {
		in   string
		dead bool // a death procedure may lead
	}{
		{"toi 70 tuoi song mot minh co duoc tro cap gi khong", false},
		{"người già neo đơn được hỗ trợ gì", false},
		{"ông em hưởng trợ cấp xã hội mới mất, có tiền mai táng không", true},
		{"tiền mai táng cho người hưởng hưu trí xã hội", true},
		{"làm khai tử ở đâu", true},
	}
	for _, tt := range tests {
		r := m.Rank(m.Query(NewText(tt.in), nil))
		if len(r) == 0 {
			t.Fatalf("%q: no ranking", tt.in)
		}
		if m.ofDeath[r[0].ID] != tt.dead {
			t.Errorf("%q: %s leads, want a death procedure %v", tt.in, r[0].ID, tt.dead)
		}
	}
}

// Identity papers ("giấy tờ tùy thân") are the ID card's matter, never the
// land certificate's, whose reissue "mất … làm lại" otherwise reads like.
func TestIdentityPapers(t *testing.T) {
	_, m := testIndexes(t)
	for _, in := range []string{
		"toi bi mat vi, mat het giay to tuy than, gio lam lai nhung gi truoc",
		"mất giấy tờ tùy thân làm lại ở đâu",
	} {
		r := m.Rank(m.Query(NewText(in), nil))
		if len(r) > 0 && r[0].ID == "cap-lai-so-do-bi-mat" {
			t.Errorf("%q: the lost land certificate leads", in)
		}
	}
}
