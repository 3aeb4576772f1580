package handlers_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/handlers"
)

type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

func TestOpenAPIDocumentsEveryAPIRoute(t *testing.T) {
	srv := startServer(t, newFakeConversations())
	status, header, body := srv.do(t, http.MethodGet, "/api/openapi.json", "", nil)
	if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json: %d %q", status, header.Get("Content-Type"))
	}
	var doc openAPIDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}

	router, err := handlers.New(handlers.Deps{Chats: newFakeConversations()})
	if err != nil {
		t.Fatal(err)
	}
	apiRoutes := 0
	err = chi.Walk(router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(route, "/api/") {
			return nil
		}
		apiRoutes++
		if _, ok := doc.Paths[route][strings.ToLower(method)]; !ok {
			t.Errorf("%s %s is served but not documented in openapi.json", method, route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if apiRoutes < 3 {
		t.Errorf("walked only %d /api routes", apiRoutes)
	}

	for _, s := range []string{"Answer", "Error", "UnitRef", "Citation", "QuickReply", "Office", "ProcedureRef", "Ticket", "History", "HistoryMessage"} {
		if _, ok := doc.Components.Schemas[s]; !ok {
			t.Errorf("schema %s missing", s)
		}
	}
}

// TestOpenAPIAnswerMatchesBotAnswer keeps the documented Answer schema in
// step with bot.Answer's JSON field names.
func TestOpenAPIAnswerMatchesBotAnswer(t *testing.T) {
	srv := startServer(t, newFakeConversations())
	_, _, body := srv.do(t, http.MethodGet, "/api/openapi.json", "", nil)
	var doc openAPIDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	for schema, v := range map[string]any{
		"Answer": bot.Answer{}, "UnitRef": bot.UnitRef{}, "ProcedureRef": bot.ProcedureRef{},
		"Office": bot.Office{}, "Citation": bot.Citation{}, "QuickReply": bot.QuickReply{}, "Ticket": bot.Ticket{},
	} {
		want := jsonFieldNames(reflect.TypeOf(v))
		var got []string
		for name := range doc.Components.Schemas[schema].Properties {
			got = append(got, name)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("schema %s properties = %v, bot type has %v", schema, got, want)
		}
	}
}

func jsonFieldNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
