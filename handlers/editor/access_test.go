package editor_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hoiphuong/hoiphuong/handlers/stafftest"
	kbstore "github.com/hoiphuong/hoiphuong/knowledge/store"
)

const (
	ok      = http.StatusOK
	see     = http.StatusSeeOther
	forbid  = http.StatusForbidden
	gone    = http.StatusGone
	invalid = http.StatusUnprocessableEntity
)

// routeCase is what an editor or a city admin gets from one route, and
// the form a POST sends.
type routeCase struct {
	path string
	form url.Values
	want int
}

func procedureForm(id, fee string) url.Values {
	return url.Values{"id": {id}, "name": {"Thủ tục " + id}, "authority": {"UBND cấp xã"}, "main_level": {"xa"},
		"file_anywhere": {"yes"}, "online": {"no"}, "confidence": {"medium"}, "fee": {fee},
		"documents": {"Tờ khai\nCCCD"}, "aliases": {"một cách gọi"}}
}

var routeCases = map[string]routeCase{
	"GET /":                             {path: "/", want: ok},
	"GET /static/{name}":                {path: "/static/{name}", want: ok},
	"POST /publish":                     {path: "/publish", form: url.Values{"changelog": {"Sửa lệ phí"}, "as_of": {"2025-06-30"}}, want: see},
	"POST /draft/discard":               {path: "/draft/discard", form: url.Values{}, want: see},
	"POST /versions/{version}/rollback": {path: "/versions/1/rollback", form: url.Values{}, want: see},
	"GET /export/{version}/{table}.csv": {path: "/export/1/procedures.csv", want: ok},
	"GET /procedures":                   {path: "/procedures?q=khai+sinh", want: ok},
	"GET /procedures/new":               {path: "/procedures/new", want: ok},
	"POST /procedures":                  {path: "/procedures", form: procedureForm("ket-hon", "Miễn lệ phí"), want: see},
	"GET /procedures/{id}":              {path: "/procedures/khai-sinh", want: ok},
	"POST /procedures/{id}":             {path: "/procedures/khai-sinh", form: procedureForm("khai-sinh", "10.000 đồng"), want: see},
	"POST /procedures/{id}/delete":      {path: "/procedures/chung-thuc/delete", form: url.Values{}, want: see},
	"GET /offices":                      {path: "/offices?q=sai+gon", want: ok},
	"GET /offices/{code}":               {path: "/offices/26740", want: ok},
	"POST /offices/{code}":              {path: "/offices/26740", form: url.Values{"address": {"45 Lê Lợi"}, "phone": {"028 3829 1234"}}, want: see},
	"GET /service-points":               {path: "/service-points", want: ok},
	"GET /service-points/new":           {path: "/service-points/new", want: ok},
	"POST /service-points":              {path: "/service-points", form: url.Values{"id": {"vpdk-7"}, "name": {"Chi nhánh 7"}, "address": {"2 Nguyễn Huệ"}}, want: see},
	"GET /service-points/{id}":          {path: "/service-points/hcc-tp", want: ok},
	"POST /service-points/{id}":         {path: "/service-points/hcc-tp", form: url.Values{"name": {"Trung tâm HCC"}, "address": {"1 Lê Duẩn"}}, want: see},
	"POST /service-points/{id}/delete":  {path: "/service-points/hcc-tp/delete", form: url.Values{}, want: see},
	"GET /curated":                      {path: "/curated", want: ok},
	"GET /curated/new":                  {path: "/curated/new?group=lam+can+cuoc+gan+chip+o+dau", want: ok},
	"POST /curated":                     {path: "/curated", form: url.Values{"id": {"tl-moi"}, "questions": {"a\nb"}, "answer": {"Trả lời."}}, want: see},
	"GET /curated/{id}":                 {path: "/curated/gio-lam", want: ok},
	"POST /curated/{id}":                {path: "/curated/gio-lam", form: url.Values{"questions": {"mấy giờ mở cửa"}, "answer": {"Từ 7 giờ 30."}}, want: see},
	"POST /curated/{id}/delete":         {path: "/curated/gio-lam/delete", form: url.Values{}, want: see},
	"GET /synonyms":                     {path: "/synonyms", want: ok},
	"GET /synonyms/edit":                {path: "/synonyms/edit?phrase=hk", want: ok},
	"POST /synonyms":                    {path: "/synonyms", form: url.Values{"phrase": {"gks"}, "means": {"giấy khai sinh"}}, want: see},
	"POST /synonyms/delete":             {path: "/synonyms/delete", form: url.Values{"phrase": {"hk"}}, want: see},
	"GET /import":                       {path: "/import", want: ok},
	"POST /import":                      {path: "/import", form: url.Values{"table": {"nope"}}, want: invalid},
	"POST /import/{id}/save":            {path: "/import/0123/save", form: url.Values{"revision": {"1"}}, want: gone},
	"GET /preview":                      {path: "/preview?q=" + url.QueryEscape("làm giấy khai sinh"), want: ok},
	"GET /unanswered":                   {path: "/unanswered", want: ok},
	"POST /unanswered/alias":            {path: "/unanswered/alias", form: url.Values{"key": {"lam can cuoc gan chip o dau"}, "question": {"cccd gắn chip"}, "procedure": {"khai-sinh"}}, want: see},
	"POST /unanswered/done":             {path: "/unanswered/done", form: url.Values{"key": {"lam can cuoc gan chip o dau"}}, want: see},
	"GET /audit":                        {path: "/audit?actor=editor", want: ok},
	"GET /audit.csv":                    {path: "/audit.csv", want: ok},
}

// TestEveryRouteByRole walks every route of the editor console and checks
// it for each role: anonymous to the login page (GET) or 401, staff and
// supervisors 403 with nothing of the knowledge base, editors and city
// admins through; a POST without the CSRF token is refused for everyone.
func TestEveryRouteByRole(t *testing.T) {
	rg := newRig(t)
	routes := stafftest.Routes(t, rg.router)
	seen := map[string]bool{}
	for _, route := range routes {
		seen[route] = true
		if _, ok := routeCases[route]; !ok {
			t.Errorf("route %s has no access case: add it to routeCases", route)
		}
	}
	for route := range routeCases {
		if !seen[route] {
			t.Errorf("access case %s matches no route", route)
		}
	}
	sessions := map[string]session{"anonymous": {c: rg.browser()}}
	for _, nu := range people {
		sessions[nu.Username] = rg.login(nu.Username)
	}
	css := rg.staticName(sessions["editor"])
	for _, route := range routes {
		rc := routeCases[route]
		method, _, _ := strings.Cut(route, " ")
		path := "/console/kb" + strings.ReplaceAll(rc.path, "{name}", css)
		for _, role := range []string{"anonymous", "lan", "binh", "editor", "admin"} {
			t.Run(route+" as "+role, func(t *testing.T) {
				rg.fresh()
				s := sessions[role]
				want := rc.want
				switch {
				case role == "anonymous" && method == http.MethodGet:
					want = see
				case role == "anonymous":
					want = http.StatusUnauthorized
				case role == "lan" || role == "binh":
					want = forbid
				}
				var r response
				if method == http.MethodGet {
					r = s.get(rg, path)
				} else {
					form := url.Values{}
					for k, v := range rc.form {
						form[k] = v
					}
					r = s.post(rg, path, form)
				}
				if r.status != want {
					t.Fatalf("%s %s as %s: %d, want %d\n%s", method, path, role, r.status, want, clip(r.body))
				}
				if role == "anonymous" && method == http.MethodGet && !strings.HasPrefix(r.header.Get("Location"), "/console/login") {
					t.Errorf("anonymous sent to %q, want the login page", r.header.Get("Location"))
				}
				if want == forbid && strings.Contains(r.body, "Đăng ký khai sinh") {
					t.Errorf("%s sees the knowledge base in a 403", role)
				}
				if method == http.MethodPost && (role == "editor" || role == "admin") {
					form := url.Values{}
					for k, v := range rc.form {
						form[k] = v
					}
					form.Set("csrf", "forged")
					r := rg.send(s.c, method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
					if r.status != forbid {
						t.Errorf("%s %s with a forged CSRF token: %d, want 403", method, path, r.status)
					}
				}
			})
		}
	}
}

// fresh starts a case from a draft equal to the latest version.
func (rg *rig) fresh() {
	rg.t.Helper()
	ctx := rg.t.Context()
	if err := rg.store.DiscardDraft(ctx, "seed"); err != nil && !errors.Is(err, kbstore.ErrNoDraft) {
		rg.t.Fatal(err)
	}
	if _, err := rg.store.Draft(ctx, "seed"); err != nil {
		rg.t.Fatal(err)
	}
}

// staticName is the hashed name of the editor's stylesheet.
func (rg *rig) staticName(s session) string {
	page := s.get(rg, "/console/kb/").body
	i := strings.Index(page, "/console/kb/static/editor.")
	if i < 0 {
		rg.t.Fatalf("no stylesheet link in the overview: %s", clip(page))
	}
	name := page[i+len("/console/kb/static/"):]
	return name[:strings.Index(name, `"`)]
}
