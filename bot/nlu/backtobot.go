package nlu

import "strings"

// BackToBot is how clearly a message asks to stop waiting for a person and
// talk to the bot again (IntentBackToBot).
type BackToBot int

// Strengths of a back-to-bot request.
const (
	NotBackToBot BackToBot = iota
	// BackToBotShort is a bare "hủy", "thôi", "không cần nữa": clear while
	// the citizen waits in a queue, but also what a citizen says to a
	// clerk in the middle of a conversation ("thôi, để em hỏi lại").
	BackToBotShort
	// BackToBotExplicit names the bot, the request or the wait: "quay lại
	// hỏi bot", "hủy yêu cầu", "không cần gặp cán bộ nữa", "khỏi chờ".
	BackToBotExplicit
)

var (
	// backToBotFillers carry no meaning of their own here: particles,
	// pronouns, calls and thanks ("thôi ạ", "hủy giúp mình nhé", "thôi
	// cảm ơn").
	backToBotFillers = map[string]bool{"a": true, "nhe": true, "nha": true, "nhen": true, "di": true, "roi": true,
		"thi": true, "vay": true, "oi": true, "admin": true, "ban": true, "minh": true, "toi": true, "em": true,
		"anh": true, "chi": true, "da": true, "vang": true, "dau": true, "luon": true, "giup": true, "gium": true,
		"dum": true, "cam": true, "on": true, "xin": true, "cai": true, "nay": true, "cung": true}
	// backToBotShort are whole messages (fillers aside) that mean "cancel".
	backToBotShort = map[string]bool{"huy": true, "huy bo": true, "thoi": true, "thoi khoi": true, "khoi": true,
		"khong can": true, "khong can nua": true, "thoi khong can": true, "thoi khong can nua": true,
		"khoi can": true, "thoi khoi can": true, "thoi huy": true, "cancel": true, "stop": true, "dung lai": true,
		"thoi khong": true, "khong can nua thoi": true, "huy nhe": true}
	// backToBotPhrases may stand anywhere in a short message: they name
	// the bot, the staff or the wait.
	backToBotPhrases = []string{"quay lai hoi bot", "quay lai bot", "quay ve bot", "tro lai bot", "tro ve bot", "ve voi bot",
		"hoi bot", "gap bot", "noi chuyen voi bot", "chat voi bot", "chuyen ve bot", "chuyen lai bot", "hoi tro ly",
		"quay lai tro ly", "tro ly tu dong", "khong can gap can bo", "khong can can bo", "khong gap can bo nua",
		"khong can nguoi", "khong can gap nguoi", "khong cho nua", "khong muon cho", "khong doi nua", "khoi cho",
		"khoi doi", "roi hang cho", "ra khoi hang cho", "tu tra cuu", "tu tim hieu"}
	// backToBotEnds must end the message: a procedure may follow the same
	// words ("hủy yêu cầu cấp bản sao" is no cancellation).
	backToBotEnds = []string{"huy yeu cau", "huy gap can bo", "huy cho", "huy ket noi", "huy hang cho", "huy ticket",
		"huy yeu cau gap can bo", "huy ho tro", "thoi khong cho", "thoi khong gap can bo"}
)

// maxBackToBotWords bounds the messages read as a back-to-bot request:
// a longer one is a question, whatever words it shares with one.
const maxBackToBotWords = 10

// ReadBackToBot reads a message sent while the conversation waits for (or
// is with) a person: does the citizen want the bot back? Procedures that
// begin like a cancellation ("hủy đăng ký thường trú", "thôi quốc tịch")
// are questions, not requests.
func ReadBackToBot(t Text) BackToBot {
	var core []string
	for _, tok := range t.Tokens {
		if !backToBotFillers[tok] {
			core = append(core, tok)
		}
	}
	if len(core) == 0 || len(core) > maxBackToBotWords {
		return NotBackToBot
	}
	joined := strings.Join(core, " ")
	padded := " " + joined + " "
	if containsWord(padded, backToBotPhrases) {
		return BackToBotExplicit
	}
	for _, p := range backToBotEnds {
		if joined == p || strings.HasSuffix(padded, " "+p+" ") && endsRequest(strings.TrimSuffix(joined, p)) {
			return BackToBotExplicit
		}
	}
	if backToBotShort[joined] {
		return BackToBotShort
	}
	return NotBackToBot
}

// endsRequest reports whether what comes before a phrase that ends the
// message is a lead-in ("thôi", "cho mình", "muốn") rather than content.
func endsRequest(before string) bool {
	for _, w := range strings.Fields(before) {
		switch w {
		case "thoi", "muon", "can", "xin", "cho", "hay", "vui", "long", "khong":
		default:
			return false
		}
	}
	return true
}
