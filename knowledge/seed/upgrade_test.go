package seed

import (
	"testing"

	"github.com/hoiphuong/hoiphuong/knowledge"
)

// A KB saved from the seed before it had offices gets them — except where
// an editor entered a unit's office — and the FAQ's answers it lacks; an
// upgraded KB is left alone.
func TestUpgrade(t *testing.T) {
	old, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for i := range old.Units {
		old.Units[i] = old.Units[i].WithOffice(knowledge.Unit{})
		if old.Units[i].Code == "26737" { // Tân Định: an editor's own address
			old.Units[i].Address, old.Units[i].Phone = "58B Nguyễn Đình Chiểu (tầng trệt)", "028 0000 0000"
		}
	}
	editors := knowledge.CuratedAnswer{ID: "giay-to-sau-sap-nhap", Questions: []string{"giấy tờ"}, Answer: "Câu trả lời của biên tập viên."}
	old.Curated = []knowledge.CuratedAnswer{editors}

	changes, err := Upgrade(old)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0] != "trụ sở (Trung tâm Phục vụ hành chính công, UBND) của 167 phường, xã" ||
		changes[1] != "14 câu trả lời đã duyệt về giấy tờ sau sắp xếp" {
		t.Errorf("changes = %q", changes)
	}
	for _, u := range old.Units {
		switch {
		case u.Code == "26737" && (u.Address != "58B Nguyễn Đình Chiểu (tầng trệt)" || u.OfficeSource != ""):
			t.Errorf("the editor's office was replaced: %+v", u)
		case u.Code == "27154" && (u.Address != "611/20 Điện Biên Phủ (số cũ 611C), phường Bàn Cờ" || u.Phone != "028.38396136" || u.OfficeSource == ""):
			t.Errorf("Bàn Cờ not upgraded: %+v", u)
		case !u.InHCMC() && u.HasOffice():
			t.Errorf("a unit outside HCMC got an office: %+v", u)
		}
	}
	if len(old.Curated) != 15 || old.Curated[0].Answer != editors.Answer {
		t.Errorf("%d curated answers, first %q: want the editor's kept and the 14 others added", len(old.Curated), old.Curated[0].Answer)
	}
	again, err := Upgrade(old)
	if err != nil || len(again) != 0 {
		t.Errorf("second upgrade: %q, %v; want nothing", again, err)
	}
}
