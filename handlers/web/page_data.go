package web

// pageData is what the chat template shows. All citizen-facing text is
// Vietnamese with diacritics.
type pageData struct {
	Title    string
	Brand    string
	Tagline  string
	MaxRunes int
	Welcome  string
	Examples []example
}

// example is a quick reply offered by the welcome message.
type example struct {
	Label   string
	Payload string
}

func newPageData(maxRunes int) pageData {
	if maxRunes <= 0 {
		maxRunes = 2000
	}
	return pageData{
		Title:    "Hỏi Phường — Tra cứu phường, xã mới TP.HCM",
		Brand:    "Hỏi Phường",
		Tagline:  "Tra cứu phường, xã mới TP.HCM",
		MaxRunes: maxRunes,
		Welcome: "Xin chào! Từ 1/7/2025, TP.HCM đã sắp xếp lại phường, xã. " +
			"Hãy nhắn phường, xã cũ của bạn (kèm quận, huyện) hoặc thủ tục cần làm, " +
			"tôi sẽ chỉ phường, xã mới nào giải quyết. Gõ không dấu cũng được.",
		Examples: []example{
			{Label: "Phường Bến Nghé, Quận 1 nay là phường nào?", Payload: "Phường Bến Nghé, Quận 1 nay là phường nào?"},
			{Label: "Làm căn cước ở đâu?", Payload: "Làm căn cước công dân ở đâu?"},
			{Label: "Đăng ký khai sinh cho con", Payload: "Đăng ký khai sinh cho con ở đâu?"},
			{Label: "Phường 1 Gò Vấp giờ thuộc phường nào?", Payload: "Phường 1 Gò Vấp giờ thuộc phường nào?"},
		},
	}
}
