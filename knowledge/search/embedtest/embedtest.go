// Package embedtest is a fake OpenAI-compatible embeddings endpoint for
// tests of hybrid search: deterministic vectors that carry some meaning
// (a hashed bag of folded words, plus a few everyday phrasings mapped onto
// the knowledge base's words), served over httptest at /v1/embeddings, and
// a minimal client for packages that cannot use the LLM client
// (knowledge never imports bot).
package embedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoiphuong/hoiphuong/knowledge/names"
)

// Dims is the fake model's number of dimensions.
const Dims = 256

// Concepts maps everyday phrasings (folded) onto the knowledge base's own
// words, as a real embedding model would place them near each other.
var Concepts = map[string]string{
	"chao doi":  "khai sinh",
	"moi sinh":  "khai sinh",
	"moi de":    "khai sinh",
	"qua doi":   "khai tu",
	"mat roi":   "khai tu",
	"cuoi vo":   "ket hon",
	"lay chong": "ket hon",
	"cuoi nhau": "ket hon",
	"bo nhau":   "ly hon",
	"mo quan":   "kinh doanh",
	"ban hang":  "kinh doanh",
	"o nho":     "tam tru",
	"thue tro":  "tam tru",
	"xe may":    "xe",
	"oto":       "xe",
}

// Vector is the fake embedding of text: every folded word, and the words
// of every concept phrase it contains, hashed into Dims dimensions; unit
// length.
func Vector(text string) []float32 {
	folded := " " + names.Fold(text) + " "
	words := strings.Fields(folded)
	for phrase, means := range Concepts {
		if strings.Contains(folded, " "+phrase+" ") {
			words = append(words, strings.Fields(means)...)
			words = append(words, strings.Fields(means)...) // meaning weighs more than wording
		}
	}
	v := make([]float32, Dims)
	for _, w := range words {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%Dims]++
	}
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if norm == 0 {
		v[0] = 1 // Meilisearch refuses all-zero vectors' cosine
		return v
	}
	for k := range v {
		v[k] = float32(float64(v[k]) / math.Sqrt(norm))
	}
	return v
}

// Server is the fake endpoint. Fail makes it answer 500; Delay slows it.
type Server struct {
	*httptest.Server
	Fail  atomic.Bool
	Delay atomic.Int64 // nanoseconds
	calls atomic.Int64
	texts atomic.Int64

	mu    sync.Mutex
	model string // the model the last request named
}

// NewServer starts the endpoint; it is closed when the test ends.
func NewServer(t testing.TB) *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Calls is how many embeddings requests came in; Texts how many inputs.
func (s *Server) Calls() int64 { return s.calls.Load() }

// Texts is how many texts were embedded in all.
func (s *Server) Texts() int64 { return s.texts.Load() }

// Model is the model named by the last request.
func (s *Server) Model() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model
}

type request struct {
	Input any    `json:"input"`
	Model string `json:"model"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/embeddings" || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	s.calls.Add(1)
	if d := time.Duration(s.Delay.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if s.Fail.Load() {
		http.Error(w, `{"error":{"message":"upstream down","type":"server_error"}}`, http.StatusInternalServerError)
		return
	}
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.model = req.Model
	s.mu.Unlock()
	var inputs []string
	switch in := req.Input.(type) {
	case string:
		inputs = []string{in}
	case []any:
		for _, x := range in {
			str, _ := x.(string)
			inputs = append(inputs, str)
		}
	}
	s.texts.Add(int64(len(inputs)))
	type item struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	out := struct {
		Object string         `json:"object"`
		Data   []item         `json:"data"`
		Model  string         `json:"model"`
		Usage  map[string]int `json:"usage"`
	}{Object: "list", Model: req.Model, Usage: map[string]int{"prompt_tokens": len(inputs), "total_tokens": len(inputs)}}
	for k, in := range inputs {
		out.Data = append(out.Data, item{Object: "embedding", Index: k, Embedding: Vector(in)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// Client is a minimal OpenAI-compatible embeddings client (search.Embedder).
type Client struct {
	BaseURL string // e.g. Server.URL + "/v1"
	Model   string
}

// Embed posts texts to BaseURL/embeddings.
func (c Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	body, err := json.Marshal(map[string]any{"input": texts, "model": c.Model})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/embeddings", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("embeddings: status %d", res.StatusCode)
	}
	var out struct {
		Data []struct {
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, err
	}
	vecs := make([][]float32, len(texts))
	for _, d := range out.Data {
		if d.Index >= 0 && d.Index < len(vecs) {
			vecs[d.Index] = d.Embedding
		}
	}
	return vecs, nil
}
