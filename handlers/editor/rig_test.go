package editor_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/sqldbtest"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/editor"
	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
	"github.com/hoiphuong/hoiphuong/knowledge"
	"github.com/hoiphuong/hoiphuong/knowledge/meili/meilitest"
	"github.com/hoiphuong/hoiphuong/knowledge/publish"
	"github.com/hoiphuong/hoiphuong/knowledge/search"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

func TestMain(m *testing.M) { meilitest.Main(m) }

const password = "mat-khau-dai-1"

// clock is an injected time: 1 July 2025, 09:00 in Ho Chi Minh City.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// The users of the rig, by username.
var people = []staff.NewUser{
	{Username: "editor", Name: "Biên Tập Viên", Role: staff.RoleEditor},
	{Username: "admin", Name: "Quản Trị Thành Phố", Role: staff.RoleCityAdmin},
	{Username: "lan", Name: "Nguyễn Thị Lan", Role: staff.RoleStaff, Units: []string{"26740"}},
	{Username: "binh", Name: "Trần Văn Bình", Role: staff.RoleSupervisor, Units: []string{"26740"}},
}

// seedKB is a small published knowledge base: two wards, two procedures,
// one service point, curated answer and synonym.
func seedKB() *knowledge.KB {
	hcmc := knowledge.HCMCProvinceCode
	return &knowledge.KB{Version: 1, AsOf: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC),
		Units: []knowledge.Unit{
			{Code: "26740", Name: "Phường Sài Gòn", Type: "phuong", ProvinceCode: hcmc, Province: "Thành phố Hồ Chí Minh", FormerDistricts: "Quận 1"},
			{Code: "26737", Name: "Phường Tân Định", Type: "phuong", ProvinceCode: hcmc, Province: "Thành phố Hồ Chí Minh", FormerDistricts: "Quận 1",
				Address: "58B Nguyễn Đình Chiểu, phường Tân Định", OfficeSource: "TB 243/TB-UBND", OfficeAsOf: "2025-06-25", OfficeConfidence: "medium",
				OfficeCheck: "Nguồn khác ghi địa chỉ Trung tâm khác: 1 Hai Bà Trưng (Truso.json, độ tin cậy thấp)"},
		},
		Procedures: []knowledge.Procedure{
			{ID: "khai-sinh", Name: "Đăng ký khai sinh", Aliases: []string{"làm giấy khai sinh"}, Field: "Hộ tịch",
				Authority: "UBND cấp xã", OfficeLevels: []string{"xa"}, FileAnywhere: "yes", Online: "yes",
				ProcessingTime: "Ngay trong ngày", Fee: "Miễn lệ phí", Documents: []string{"Tờ khai", "Giấy chứng sinh"},
				LegalBasis: "Luật Hộ tịch 2014", SourceURLs: []string{"https://dichvucong.gov.vn"}, Confidence: "high"},
			{ID: "chung-thuc", Name: "Chứng thực bản sao", Field: "Chứng thực", Authority: "UBND cấp xã",
				OfficeLevels: []string{"xa"}, FileAnywhere: "yes", Online: "partial", Fee: "2.000 đồng/trang", Confidence: "low"},
		},
		ServicePoints: []knowledge.ServicePoint{{ID: "hcc-tp", Name: "Trung tâm Phục vụ hành chính công", Address: "1 Lê Duẩn"}},
		Curated:       []knowledge.CuratedAnswer{{ID: "gio-lam", Questions: []string{"mấy giờ phường mở cửa"}, Answer: "Phường làm việc từ 7 giờ 30."}},
		Synonyms:      []knowledge.Synonym{{Phrase: "hk", Means: "hộ khẩu"}},
	}
}

// rig is the editor console mounted at /console/kb the way the gateway
// mounts it, behind the real login (SQLite, staff directory, auth).
type rig struct {
	t      *testing.T
	srv    *httptest.Server
	router chi.Router
	dir    *staff.Directory
	clock  *clock
	store  *kbstore.Store
	bot    *botstore.Store
	n      int // conversations stored
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := t.Context()
	db := sqldbtest.Open(t)
	t.Cleanup(func() { _ = db.Close() })
	clk := &clock{t: time.Date(2025, 7, 1, 2, 0, 0, 0, time.UTC)}
	dir, _ := stafftest.Directory(t, db, clk.Now, password, people...)
	logger := slog.New(slog.DiscardHandler)
	a, err := auth.New(auth.Config{Sessions: dir, Logger: logger, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	st, err := kbstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	st.Now = clk.Now
	if _, err := st.SaveVersion(ctx, seedKB(), "seed", "Dữ liệu ban đầu"); err != nil {
		t.Fatal(err)
	}
	bs, err := botstore.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	bs.Now = clk.Now
	client, prefix := meilitest.Client(t)
	index := search.New(client, prefix)
	pub, err := publish.New(publish.Config{Store: st, Index: index, Logger: logger, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	rg := &rig{t: t, dir: dir, clock: clk, store: st, bot: bs}
	for _, q := range []string{"làm căn cước gắn chip ở đâu", "Làm căn cước gắn chip ở đâu?", "đổi bằng lái xe quốc tế"} {
		rg.unanswered(q)
	}
	ed, err := editor.New(editor.Config{Store: st, Publisher: pub, Unanswered: bs, Preview: preview,
		Auth: a, Logger: logger, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	rg.router = ed.Routes()
	root := chi.NewRouter()
	root.Mount("/console", a.Routes())
	root.Mount("/console/kb", rg.router)
	rg.srv = httptest.NewServer(root)
	t.Cleanup(rg.srv.Close)
	return rg
}

// preview is the gateway's Preview: an engine over kb answering the
// turns as one conversation.
func preview(ctx context.Context, kb *knowledge.KB, turns []string) ([]bot.Answer, error) {
	e := bot.NewEngine(bot.Config{KB: kb})
	st := &bot.State{}
	var out []bot.Answer
	for _, q := range turns {
		out = append(out, e.Respond(ctx, st, bot.Message{Text: q}))
	}
	return out, nil
}

// unanswered stores a citizen's question the bot answered with a fallback.
func (rg *rig) unanswered(q string) {
	rg.t.Helper()
	rg.reply(q, bot.KindFallback)
}

// reply stores a citizen's message, in a conversation of its own, and the
// bot's reply of kind.
func (rg *rig) reply(q string, kind bot.Kind) {
	rg.t.Helper()
	ctx := rg.t.Context()
	rg.n++
	id, err := rg.bot.Create(ctx, "web", fmt.Sprintf("ext-%d", rg.n))
	if err != nil {
		rg.t.Fatal(err)
	}
	in, _, err := rg.bot.AppendInbound(ctx, id, bot.Message{Text: q}, "")
	if err != nil {
		rg.t.Fatal(err)
	}
	if err := rg.bot.SaveReply(ctx, id, in, bot.Answer{Kind: kind, Text: "Xin lỗi, tôi chưa hiểu."}, bot.State{}); err != nil {
		rg.t.Fatal(err)
	}
}

// browser is a client with its own cookies that does not follow redirects.
func (rg *rig) browser() *http.Client { return stafftest.Browser(rg.t) }

type response struct {
	status int
	header http.Header
	body   string
}

func (rg *rig) send(c *http.Client, method, path, ctype string, body io.Reader) response {
	rg.t.Helper()
	r := stafftest.Send(rg.t, c, method, rg.srv.URL+path, ctype, body, nil)
	return response{status: r.Status, header: r.Header, body: r.Body}
}

// session is a logged-in browser and its CSRF token.
type session struct {
	c    *http.Client
	csrf string
}

// login logs username in through the login form and reads the session's
// CSRF token back from the directory (staff see no editor page).
func (rg *rig) login(username string) session {
	rg.t.Helper()
	c := stafftest.Login(rg.t, rg.srv.URL, username, password)
	u, _ := url.Parse(rg.srv.URL + "/console")
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "hp_session" {
			s, err := rg.dir.Session(rg.t.Context(), ck.Value)
			if err != nil {
				rg.t.Fatal(err)
			}
			return session{c: c, csrf: s.CSRF}
		}
	}
	rg.t.Fatal("no session cookie")
	return session{}
}

func (s session) get(rg *rig, path string) response {
	rg.t.Helper()
	return rg.send(s.c, http.MethodGet, path, "", nil)
}

func (s session) post(rg *rig, path string, form url.Values) response {
	rg.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", s.csrf)
	return rg.send(s.c, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func clip(s string) string {
	if len(s) > 800 {
		return s[:800] + "…"
	}
	return s
}
