package editor

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hoiphuong/hoiphuong/knowledge"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

// Vietnamese texts of the pages.
const (
	msgNotFound    = "Không tìm thấy nội dung này."
	msgInternal    = "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."
	msgBadForm     = "Thông tin gửi lên chưa hợp lệ. Vui lòng kiểm tra lại."
	msgPublishRace = "Một biên tập viên khác vừa xuất bản bản nháp này / đang xuất bản. Tải lại trang để xem phiên bản mới."
	msgNoDraft     = "Chưa có bản nháp nào: hãy sửa dữ liệu trước khi xuất bản."
	msgConflict    = "Bản nháp đã thay đổi từ lúc bạn xem trước tệp này (có người vừa sửa). Hãy tải tệp lên lại để xem thay đổi mới nhất."
	msgImportGone  = "Bản xem trước này đã hết hạn hoặc không còn. Hãy tải tệp lên lại."
	msgBusy        = "Hệ thống đang xuất bản một phiên bản. Vui lòng chờ ít phút rồi thử lại."
)

// okMessages are the messages shown after a successful action (?ok=…).
var okMessages = map[string]string{
	"saved":     "Đã lưu vào bản nháp. Công dân chỉ thấy thay đổi sau khi xuất bản.",
	"deleted":   "Đã xoá khỏi bản nháp.",
	"published": "Đã xuất bản phiên bản mới; trợ lý trả lời theo phiên bản này.",
	"rollback":  "Đã khôi phục phiên bản cũ thành một phiên bản mới đang dùng.",
	"discarded": "Đã huỷ bản nháp.",
	"imported":  "Đã lưu các dòng hợp lệ của tệp vào bản nháp.",
	"alias":     "Đã thêm câu hỏi làm cách gọi khác của thủ tục và đánh dấu nhóm đã xử lý.",
	"example":   "Đã thêm câu hỏi làm câu hỏi mẫu của thủ tục và đánh dấu nhóm đã xử lý. Trợ lý sẽ hiểu những câu như vậy sau khi xuất bản.",
	"done":      "Đã đánh dấu nhóm câu hỏi là đã xử lý.",
	"curated":   "Đã lưu câu trả lời đã duyệt vào bản nháp và đánh dấu nhóm đã xử lý.",
}

// fail answers err on a page of its own, logging only the unexpected.
func (e *Editor) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, kbstore.ErrNoVersion):
		e.message(w, r, http.StatusNotFound, msgNotFound)
	case errors.Is(err, ErrConflict):
		e.message(w, r, http.StatusConflict, msgConflict)
	case errors.Is(err, ErrBusy):
		e.message(w, r, http.StatusConflict, msgBusy)
	case errors.Is(err, ErrInvalid):
		e.message(w, r, http.StatusUnprocessableEntity, invalidReason(err))
	default:
		e.logger.ErrorContext(r.Context(), "editor", "path", r.URL.Path, "user_id", user(r).ID, "err", err)
		e.message(w, r, http.StatusInternalServerError, msgInternal)
	}
}

// invalidReason is the Vietnamese reason the store wrapped with
// knowledge.ErrInvalid ("…: invalid: lý do" → "lý do").
func invalidReason(err error) string {
	s := err.Error()
	marker := ErrInvalid.Error() + ": "
	if i := strings.LastIndex(s, marker); i >= 0 {
		return strings.TrimSpace(s[i+len(marker):])
	}
	if before, ok := strings.CutSuffix(s, ": "+ErrInvalid.Error()); ok {
		return strings.TrimSpace(before)
	}
	return msgBadForm
}

// workingKB is what the editing pages show: the draft when there is one,
// else the published knowledge base (reading never creates a draft).
func (e *Editor) workingKB(r *http.Request) (*knowledge.KB, error) {
	kb, _, err := e.store.DraftKB(r.Context())
	if errors.Is(err, ErrNoDraft) {
		return e.store.Latest(r.Context())
	}
	return kb, err
}

func errorsIsNoDraft(err error) bool { return errors.Is(err, ErrNoDraft) }

// problemFields maps the store's fields (CSV columns) to the form's.
var problemFields = map[string]string{"source_url": "source_urls", "office_levels": "main_level", "questions": "questions"}

// storeProblems are the store's validation problems by form field; nil
// when err carries none.
func storeProblems(err error) fieldErrors {
	var ps knowledge.Problems
	if !errors.As(err, &ps) {
		return nil
	}
	out := fieldErrors{}
	for _, p := range ps {
		f := p.Field
		if m, ok := problemFields[f]; ok {
			f = m
		}
		if out[f] == "" {
			out[f] = p.Reason
		}
	}
	return out
}
