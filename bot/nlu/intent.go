package nlu

import "strings"

// Intent is what a message does besides naming a place or a matter.
type Intent string

// Intents.
const (
	IntentNone      Intent = ""
	IntentGreeting  Intent = "greeting"
	IntentThanks    Intent = "thanks"
	IntentHelp      Intent = "help"
	IntentHuman     Intent = "human"      // talk to a person
	IntentComplaint Intent = "complaint"  // unhappy with the bot or the service: a person takes over
	IntentNewUnit   Intent = "new_unit"   // what was this new unit formed from
	IntentWhichUnit Intent = "which_unit" // "which ward am I in now?" (the place may be missing)
	// IntentBackToBot: stop waiting for staff and talk to the bot again.
	// ReadBackToBot reads it, apart from ReadIntent: it means something only
	// while a person has (or is about to have) the conversation — to the
	// bot itself "hủy" or "thôi" are no request.
	IntentBackToBot Intent = "back_to_bot"
)

var (
	// humanRequests ask for a person; the person must follow within a few
	// words ("cho em gặp cán bộ", "muốn nói chuyện với nhân viên").
	humanRequests = []string{"gap", "noi chuyen voi", "noi chuyen", "tro chuyen voi", "ket noi voi", "ket noi", "chuyen cho",
		"chuyen sang", "chuyen qua", "lien he voi", "lien he", "nhan voi", "goi", "can", "cho xin", "xin"}
	humanObjects = []string{"can bo", "nhan vien", "nguoi that", "tong dai vien", "tu van vien", "nguoi tu van", "nguoi ho tro", "admin",
		"quan tri vien", "chuyen vien", "nguoi phu trach", "nguoi truc", "con nguoi", "ai do"}
	humanWhole = []string{"canbo", "gap nguoi", "gap con nguoi", "noi chuyen voi nguoi", "nguoi that", "khong muon noi chuyen voi bot", "khong muon noi voi may",
		"ho tro truc tiep", "tu van truc tiep", "co ai truc", "nguoi truc", "tro chuyen voi nguoi", "noi chuyen truc tiep",
		"khong phai may", "khong phai bot", "khong muon noi voi bot", "nhan voi may khong duoc"}
	complaints = []string{"tra loi khong dung", "tra loi sai", "bot ngu", "hoi mai khong duoc", "khong giup duoc gi", "vo dung", "te qua", "qua te", "buc minh", "chan qua", "noi hoai khong hieu",
		"ban khong hieu gi", "bot khong hieu", "may khong hieu", "khong hieu gi"}
	// greetings open a chat; "ad ơi", "chị ơi" call the page, not a person.
	greetings = []string{"xin chao", "chao ban", "chao bot", "chao em", "chao anh", "chao chi", "hello", "hi", "alo", "chao", "helo", "hey",
		"admin oi", "chi oi", "anh oi", "em oi", "ban oi", "shop oi", "page oi", "bot oi", "co oi", "chu oi"}
	thanks    = []string{"cam on", "cam ong", "thank", "camon", "cam on nhieu"}
	whichUnit = []string{"phuong moi", "xa moi", "phuong nao", "xa nao", "sap nhap", "dia chi moi", "thuoc phuong", "thuoc xa", "don vi nao", "don vi moi", "doi ten", "sau sap xep"}
	helps     = []string{"huong dan", "giup toi voi", "ban lam duoc gi", "ban giup duoc gi", "help", "start", "tro giup", "su dung the nao", "dung the nao", "bat dau"}
)

// asksForPerson reports whether a message asks for a person: a request
// verb with a person at most three words after it. Calling the page ("ad
// ơi", "chị ơi …") before a question is a greeting, not a request.
func asksForPerson(t Text) bool {
	if containsWord(" "+t.Folded+" ", humanWhole) {
		return true
	}
	toks := t.Tokens
	for i, rw := range phraseHits(toks, humanRequestWords) {
		after := i + len(rw)
		for k := after; k <= after+3 && k < len(toks); k++ {
			for _, ow := range humanObjectWords {
				if hasAt(toks, k, ow) && (k == after || !vocative[ow[0]]) {
					return true
				}
			}
		}
	}
	return false
}

// vocative are the persons a message also addresses, the page's admin
// ("cần gì ad", "ad"): one is asked for only right after the request
// ("cho gặp admin", "cần admin"); with words between, the request word is
// the question's ("cần gì" — what is needed) and the person is called.
var vocative = map[string]bool{"admin": true}

// humanRequestWords and humanObjectWords are the phrases split into words.
var humanRequestWords, humanObjectWords = splitPhrases(humanRequests), splitPhrases(humanObjects)

func splitPhrases(ps []string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}

// ReadIntent finds the intent of a message. Procedures such as "tố cáo cán
// bộ" or "khiếu nại" are matters, not complaints about the bot.
func ReadIntent(t Text) Intent {
	f := " " + t.Folded + " "
	if asksForPerson(t) && !strings.Contains(f, " to cao ") {
		return IntentHuman
	}
	if containsWord(f, complaints) {
		return IntentComplaint
	}
	short := len(t.Tokens) <= 6
	switch {
	case short && containsWord(f, thanks):
		return IntentThanks
	case short && containsWord(f, helps):
		return IntentHelp
	case len(t.Tokens) <= 4 && containsWord(f, greetings):
		return IntentGreeting
	}
	if containsAny(t.Folded, newUnitQuestion) {
		return IntentNewUnit
	}
	if containsAny(t.Folded, whichUnit) {
		return IntentWhichUnit
	}
	return IntentNone
}

// unitQuestions ask which unit a place is in now (not "sáp nhập rồi có
// phải đổi căn cước không", which only mentions the reform).
var unitQuestions = []string{"phuong nao", "xa nao", "thuoc phuong", "thuoc xa", "don vi nao", "phuong gi", "xa gi", "thuoc dau", "vao dau"}

// AsksUnit reports whether a message asks which unit a place belongs to.
func AsksUnit(t Text) bool { return containsWord(" "+t.Folded+" ", unitQuestions) }

// containsWord reports whether f (space-padded) contains any phrase as
// whole words.
func containsWord(f string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(f, " "+p+" ") {
			return true
		}
	}
	return false
}

// queueStatus are the ways a waiting citizen asks how long it will be.
var queueStatus = []string{"bao lau", "bao gio", "toi luot", "den luot", "con lau", "lau qua", "cho lau", "cho hoai",
	"co ai khong", "co ai ko", "co ai tra loi", "sao chua", "chua thay", "vi tri", "con may nguoi", "may nguoi", "thu tu", "hang cho", "dang cho"}

// AsksQueueStatus reports whether a message sent while waiting for staff
// asks about the wait ("còn bao lâu?", "tới lượt chưa?", "có ai không?").
func AsksQueueStatus(t Text) bool {
	return containsWord(" "+t.Folded+" ", queueStatus)
}

// ReadRating reads a 1–5 rating ("5", "4 sao", "⭐⭐⭐", "nam sao"); ok is
// false when the message is not a rating.
func ReadRating(t Text) (score int, ok bool) {
	for _, star := range []string{"⭐", "★"} {
		if n := strings.Count(t.Raw, star); n > 1 && n <= 5 && strings.Trim(t.Raw, star+" ") == "" {
			return n, true
		}
	}
	words := map[string]int{"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5}
	toks := t.Tokens
	if len(toks) == 0 || len(toks) > 3 {
		return 0, false
	}
	n, ok := words[toks[0]]
	if !ok {
		return 0, false
	}
	for _, rest := range toks[1:] {
		if rest != "sao" && rest != "diem" && rest != "d" {
			return 0, false
		}
	}
	return n, true
}

// detailQuestions ask about a detail of the matter already under
// discussion: what to bring, the fee, how long, where, online.
var detailQuestions = []string{"mang gi", "mang theo gi", "can gi", "can nhung gi", "giay to gi", "giay to nao", "ho so gi",
	"ho so gom", "giay to", "le phi", "bao nhieu tien", "mat bao nhieu", "ton bao nhieu", "phi bao nhieu", "het bao nhieu",
	"bao lau", "mat may ngay", "may ngay", "bao nhieu ngay", "o dau", "nop o dau", "lam o dau", "di dau", "cho nao",
	"online", "truc tuyen", "qua mang", "tren mang", "vneid", "thoi gian"}

// AsksDetail reports whether a message asks about a detail (documents,
// fee, time, place, online) of the matter already being discussed: "còn
// giấy tờ thì sao?", "ko bik phai mang j", "lệ phí bao nhiêu?".
func AsksDetail(t Text) bool {
	return containsWord(" "+t.Folded+" ", detailQuestions)
}

// Detail is a part of a procedure's answer a question may ask about.
type Detail string

// Details of a procedure's answer.
const (
	DetailDocuments Detail = "documents"
	DetailFee       Detail = "fee"
	DetailTime      Detail = "time"
	DetailWhere     Detail = "where"
	DetailOnline    Detail = "online"
)

var detailPhrases = map[Detail][]string{
	DetailDocuments: {"mang gi", "mang theo gi", "can gi", "can nhung gi", "giay to", "ho so", "chuan bi gi", "can chuan bi"},
	DetailFee:       {"le phi", "phi", "bao nhieu tien", "mat bao nhieu", "ton bao nhieu", "het bao nhieu", "chi phi", "mien phi", "tien"},
	DetailTime:      {"bao lau", "may ngay", "bao nhieu ngay", "thoi gian", "thoi han", "khi nao co", "bao gio co", "lay ket qua"},
	DetailWhere:     {"o dau", "di dau", "cho nao", "noi nao", "co quan nao"},
	DetailOnline:    {"truc tuyen", "qua mang", "tren mang", "vneid", "dich vu cong", "tai nha"},
}

// AskedDetails reads which details of a matter a message asks about
// ("làm khai sinh cần giấy tờ gì, lệ phí bao nhiêu"): an answer puts them
// first, next to where to go.
func AskedDetails(t Text) map[Detail]bool {
	f := " " + t.Folded + " "
	out := map[Detail]bool{}
	for d, ps := range detailPhrases {
		if containsWord(f, ps) {
			out[d] = true
		}
	}
	return out
}
