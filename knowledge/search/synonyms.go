package search

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Meilisearch lowercases synonyms and strips their diacritics, as it does
// with text, so one key covers "đc" and "dc". Keys are what citizens type;
// values are what the documents say. A few tempting entries are left out on
// purpose: "hông" (= không) folds to "hong", which is also "Hồng" in place
// names and "sổ hồng"; stop-word-like particles are handled by the bot's
// normaliser, not here.

// commonSynonyms are the everyday abbreviations every index understands.
func commonSynonyms() map[string][]string {
	return map[string][]string{
		"ko":    {"không"},
		"k":     {"không"},
		"khong": {"không"},
		"dc":    {"được"},
		"ubnd":  {"ủy ban nhân dân"},
		"tphcm": {"thành phố hồ chí minh", "hồ chí minh"},
		"hcm":   {"hồ chí minh"},
		"hcmc":  {"hồ chí minh"},
		"sg":    {"hồ chí minh", "sài gòn"},
		"tp":    {"thành phố"},
	}
}

// placeSynonyms are the unit-type abbreviations of addresses.
func placeSynonyms() map[string][]string {
	syn := map[string][]string{
		"p":  {"phường"},
		"ph": {"phường"},
		"q":  {"quận"},
		"h":  {"huyện"},
		"x":  {"xã"},
		"tx": {"thị xã"},
		"tt": {"thị trấn"},
		"dk": {"đặc khu"},
	}
	mutual(syn, "qui", "quy")
	// "q1", "p15": the tokenizer keeps letters and digits together.
	for n := 1; n <= 12; n++ {
		syn["q"+strconv.Itoa(n)] = []string{"quận " + strconv.Itoa(n)}
	}
	for n := 1; n <= 30; n++ {
		syn["p"+strconv.Itoa(n)] = []string{"phường " + strconv.Itoa(n)}
	}
	return syn
}

// procedureSynonyms are the abbreviations and everyday names of papers.
func procedureSynonyms() map[string][]string {
	syn := map[string][]string{
		"cccd":     {"căn cước công dân", "căn cước"},
		"cmnd":     {"chứng minh nhân dân", "căn cước"},
		"cmt":      {"chứng minh thư", "căn cước"},
		"gplx":     {"giấy phép lái xe"},
		"bang lai": {"giấy phép lái xe"},
		"hk":       {"hộ khẩu", "thường trú"},
		"ho khau":  {"thường trú"},
		"gks":      {"giấy khai sinh", "khai sinh"},
		"bhyt":     {"bảo hiểm y tế"},
		"bhxh":     {"bảo hiểm xã hội"},
		"dkkd":     {"đăng ký kinh doanh"},
		"hkd":      {"hộ kinh doanh"},
		"lltp":     {"lý lịch tư pháp"},
		"gpxd":     {"giấy phép xây dựng"},
		"dky":      {"đăng ký"},
		"dk":       {"đăng ký"},
		"mst":      {"mã số thuế"},
		"htx":      {"hợp tác xã"},
		"attp":     {"an toàn thực phẩm"},
		"tthn":     {"tình trạng hôn nhân"},
		"xn":       {"xác nhận"},
		"so do":    {"giấy chứng nhận quyền sử dụng đất"},
		"so hong":  {"sổ đỏ", "giấy chứng nhận quyền sử dụng đất"},
	}
	mutual(syn, "ki", "ky")
	mutual(syn, "li", "ly")
	mutual(syn, "qui", "quy")
	return syn
}

// mutual makes a and b synonyms of each other.
func mutual(syn map[string][]string, a, b string) {
	syn[a] = appendNew(syn[a], b)
	syn[b] = appendNew(syn[b], a)
}

// merge returns the union of the synonym maps (later ones add to earlier).
func merge(sets ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, set := range sets {
		for k, vs := range set {
			for _, v := range vs {
				out[k] = appendNew(out[k], v)
			}
		}
	}
	return out
}

// oneWay turns a term → meaning map (the KB's synonyms list) into
// Meilisearch one-way synonyms.
func oneWay(m map[string]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if k = strings.TrimSpace(k); k != "" && m[k] != "" {
			out[k] = appendNew(out[k], m[k])
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
