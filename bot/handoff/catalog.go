package handoff

import (
	"sort"
	"sync"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// KBCatalog is the Catalog of the knowledge base the engine answers from
// now (kb is called on every lookup, so a publish is seen at once); its
// indexes are rebuilt when the KB changes.
type KBCatalog struct {
	kb func() *knowledge.KB

	mu    sync.Mutex
	built *knowledge.KB
	units map[string]string
	list  []bot.UnitRef
	procs map[string]string
}

// NewCatalog returns a Catalog over the current KB.
func NewCatalog(kb func() *knowledge.KB) *KBCatalog { return &KBCatalog{kb: kb} }

func (c *KBCatalog) load() *KBCatalog {
	kb := c.kb()
	c.mu.Lock()
	defer c.mu.Unlock()
	if kb == c.built {
		return c
	}
	c.units, c.procs, c.list = map[string]string{}, map[string]string{}, nil
	for _, u := range kb.Units {
		if u.InHCMC() {
			c.units[u.Code] = u.Name
			c.list = append(c.list, bot.UnitRef{Code: u.Code, Name: u.Name})
		}
	}
	sort.Slice(c.list, func(i, j int) bool { return c.list[i].Name < c.list[j].Name })
	for _, p := range kb.Procedures {
		c.procs[p.ID] = p.Name
	}
	c.built = kb
	return c
}

// Unit implements Catalog.
func (c *KBCatalog) Unit(code string) (string, bool) {
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.units[code]
	return n, ok
}

// Units implements Catalog.
func (c *KBCatalog) Units() []bot.UnitRef {
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.list
}

// Procedure implements Catalog.
func (c *KBCatalog) Procedure(id string) (string, bool) {
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.procs[id]
	return n, ok
}
