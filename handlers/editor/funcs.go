package editor

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/hoiphuong/hoiphuong/handlers/staffpage"
)

func (e *Editor) funcs() template.FuncMap {
	fm := template.FuncMap{
		"static":     e.assets.URL,
		"day":        day,
		"tableName":  tableName,
		"levelName":  levelName,
		"reasonName": unansweredReason,
		"actionName": actionName,
		"join":       strings.Join,
		"lines":      func(s []string) string { return strings.Join(s, "\n") },
		"add":        func(a, b int) int { return a + b },
	}
	for k, v := range staffpage.Funcs() {
		fm[k] = v
	}
	return fm
}

// day is "dd/mm/yyyy" of a calendar date ("" for the zero time).
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

// tableName names an editable table in Vietnamese.
func tableName(t string) string {
	switch t {
	case TableProcedures:
		return "Thủ tục"
	case TableOffices:
		return "Trụ sở phường, xã"
	case TableServicePoints:
		return "Điểm tiếp nhận cấp Thành phố"
	case TableCurated:
		return "Câu trả lời đã duyệt"
	case TableSynonyms:
		return "Từ đồng nghĩa, viết tắt"
	}
	return t
}

// levels are the office levels in the order the form offers them.
var levels = []string{"xa", "xa_cong_an", "vpdkdd", "thanh_pho", "khac"}

func levelName(l string) string {
	switch l {
	case "xa":
		return "UBND phường, xã, đặc khu"
	case "xa_cong_an":
		return "Công an phường, xã, đặc khu"
	case "vpdkdd":
		return "Văn phòng đăng ký đất đai"
	case "thanh_pho":
		return "Sở, ngành Thành phố"
	case "khac":
		return "Nơi khác (công chứng, BHXH, trường học…)"
	}
	return l
}

// unansweredReason says why a question counts as unanswered.
func unansweredReason(r string) string {
	switch r {
	case "fallback":
		return "Không hiểu câu hỏi"
	case "clarify":
		return "Hỏi lại chưa xong"
	case "handoff":
		return "Chuyển cán bộ"
	case "thumbs_down", "thumbsdown", "down":
		return "Công dân không hài lòng (👎)"
	}
	return r
}

// actionName names an audit action in Vietnamese when known.
func actionName(a string) string {
	switch {
	case a == "publish":
		return "Xuất bản"
	case a == "rollback":
		return "Khôi phục"
	case a == "import":
		return "Nhập CSV"
	case a == "discard":
		return "Huỷ bản nháp"
	case strings.HasPrefix(a, "save"), strings.HasSuffix(a, ".save"), strings.HasSuffix(a, "_save"):
		return "Lưu"
	case strings.HasPrefix(a, "delete"), strings.HasSuffix(a, ".delete"), strings.HasSuffix(a, "_delete"):
		return "Xoá"
	case strings.HasPrefix(a, "unanswered"):
		return "Câu hỏi chưa trả lời"
	}
	return a
}

func itoa(n int) string { return strconv.Itoa(n) }
