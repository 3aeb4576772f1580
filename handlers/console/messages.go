package console

import (
	"errors"
	"net/http"

	"github.com/hoiphuong/hoiphuong/bot/handoff"
	"github.com/hoiphuong/hoiphuong/bot/staff"
)

// Vietnamese texts of the pages.
const (
	msgNotFound  = "Không tìm thấy nội dung này, hoặc bạn không có quyền xem."
	msgForbidden = "Bạn không có quyền thực hiện thao tác này."
	msgInternal  = "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút."
	msgTaken     = "Cán bộ khác đã nhận cuộc trò chuyện này."
	msgEnded     = "Cuộc trò chuyện này đã kết thúc."
	msgCapacity  = "Bạn đang xử lý tối đa số cuộc trò chuyện cho phép. Hãy kết thúc hoặc chuyển bớt một cuộc trước khi nhận thêm (trả lời một cuộc đang chờ cũng là nhận cuộc đó)."
	msgNotOwner  = "Cuộc trò chuyện đang do cán bộ khác xử lý."
	msgBadForm   = "Thông tin gửi lên chưa hợp lệ. Vui lòng kiểm tra lại."
	msgNoReply   = "Chưa có cán bộ nào trả lời công dân trong yêu cầu này, nên chưa thể ghi “Đã giải đáp” (hay kết quả nào nói đã hỗ trợ). Hãy gửi trả lời trước, hoặc chọn “Không cần trả lời” nếu yêu cầu bị trùng, bot đã giải đáp hay công dân đã rời đi — khi đó công dân không được mời chấm điểm."

	msgUsernameTaken = "Tên đăng nhập này đã có người dùng."
)

// okMessages are the messages shown after a successful action (?ok=…).
var okMessages = map[string]string{
	"claim":      "Bạn đã nhận xử lý cuộc trò chuyện.",
	"reply":      "Đã gửi trả lời cho công dân.",
	"note":       "Đã lưu ghi chú nội bộ.",
	"transfer":   "Đã chuyển cuộc trò chuyện sang hàng chờ khác; công dân đã được báo (số phiếu giữ nguyên).",
	"reassign":   "Đã giao cuộc trò chuyện cho cán bộ khác.",
	"handback":   "Đã trả cuộc trò chuyện lại cho bot.",
	"close":      "Đã kết thúc cuộc trò chuyện; công dân được mời chấm điểm.",
	"closequiet": "Đã kết thúc cuộc trò chuyện (không cần trả lời); công dân không được mời chấm điểm và bot tiếp tục hỗ trợ.",
	"canned":     "Đã lưu trả lời mẫu.",
	"uncanned":   "Đã xoá trả lời mẫu.",
	"settings":   "Đã lưu giờ làm việc và thời hạn phản hồi.",
	"holiday":    "Đã lưu ngày nghỉ: hàng chờ và thời hạn phản hồi bỏ qua ngày này.",
	"workday":    "Đã bỏ ngày nghỉ.",
	"user":       "Đã tạo người dùng.",
	"disable":    "Đã khoá người dùng.",
	"enable":     "Đã mở khoá người dùng.",
	"password":   "Đã đặt lại mật khẩu; các phiên đăng nhập cũ của người này đã kết thúc.",
}

// failure is how a page answers an error of the desk: its status and the
// Vietnamese message; page reports whether the message belongs on the
// conversation page (a flash) rather than on a page of its own.
type failure struct {
	status int
	msg    string
	page   bool
}

// deskFailure maps the desk's errors; invalid is the message for
// ErrInvalid (the desk's own detail is English, for logs).
func deskFailure(err error, invalid string) (failure, bool) {
	switch {
	case errors.Is(err, handoff.ErrNotFound):
		return failure{http.StatusNotFound, msgNotFound, false}, true
	case errors.Is(err, handoff.ErrForbidden):
		return failure{http.StatusForbidden, msgForbidden, false}, true
	case errors.Is(err, handoff.ErrTaken):
		return failure{http.StatusConflict, msgTaken, true}, true
	case errors.Is(err, handoff.ErrCapacity):
		return failure{http.StatusConflict, msgCapacity, true}, true
	case errors.Is(err, handoff.ErrNoReply):
		return failure{http.StatusUnprocessableEntity, msgNoReply, true}, true
	case errors.Is(err, handoff.ErrNotOwner):
		return failure{http.StatusConflict, msgNotOwner, true}, true
	case errors.Is(err, staff.ErrNotFound):
		return failure{http.StatusNotFound, msgNotFound, false}, true
	case errors.Is(err, staff.ErrUsernameTaken):
		return failure{http.StatusConflict, msgUsernameTaken, true}, true
	case errors.Is(err, handoff.ErrInvalid), errors.Is(err, errInvalidForm), errors.Is(err, staff.ErrInvalid):
		if invalid == "" {
			invalid = msgBadForm
		}
		return failure{http.StatusUnprocessableEntity, invalid, true}, true
	}
	return failure{}, false
}

// errInvalidForm is a form that fails its Validate.
var errInvalidForm = errors.New("invalid form")

// fail answers err on a page of its own (not found, forbidden, internal),
// logging only the unexpected.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error, invalid string) {
	f, known := deskFailure(err, invalid)
	if !known {
		c.logger.ErrorContext(r.Context(), "console", "path", r.URL.Path, "user_id", user(r).ID, "err", err)
		c.message(w, r, http.StatusInternalServerError, msgInternal)
		return
	}
	c.message(w, r, f.status, f.msg)
}

// formFailed answers a failed form of a page other than a conversation:
// the page again with the message (422, 409), or a page of its own.
func (c *Console) formFailed(w http.ResponseWriter, r *http.Request, err error, invalid, view string, load func() (page, error)) {
	f, known := deskFailure(err, invalid)
	if !known || !f.page {
		c.fail(w, r, err, invalid)
		return
	}
	p, lerr := load()
	if lerr != nil {
		c.fail(w, r, lerr, "")
		return
	}
	p.Flash, p.Error = f.msg, true
	c.render(w, r, f.status, view, p)
}
