// Package handoff owns the ward queues: a conversation the bot hands off
// lands in the queue of the unit that has jurisdiction (or the city's),
// waits there in order, is claimed by one staff member of that unit,
// answered through the citizen's own channel, transferred, handed back to
// the bot or closed with an outcome and a rating. It keeps office hours and
// the first-response SLA per unit, escalates breaches, and tells the live
// views (bot/live) what happens. Every operation checks that the staff
// member may see the unit: staff of one unit never reach another's chats.
package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/live"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb/lease"
)

// Errors callers branch on (the console maps them to pages and messages).
var (
	// ErrNotFound: no such conversation or handoff — also what a staff
	// member gets for another unit's conversation (nothing leaks).
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the role may not do this (e.g. reassign as staff).
	ErrForbidden = errors.New("forbidden")
	ErrTaken     = store.ErrTaken
	ErrCapacity  = store.ErrCapacity
	// ErrNotOwner: the conversation belongs to another staff member.
	ErrNotOwner = errors.New("owned by another staff member")
	// ErrInvalid: a form value is missing or wrong (wrapped with details).
	ErrInvalid = errors.New("invalid input")
	// ErrNoReply: a close outcome says the citizen was helped, but no
	// staff member replied in this handoff.
	ErrNoReply = errors.New("no staff reply in this handoff")
)

// Catalog names units and procedures from the knowledge base.
type Catalog interface {
	// Unit returns the name of one of the 168 HCMC units (ok=false for any
	// other code, including units outside HCMC).
	Unit(code string) (name string, ok bool)
	// Units lists the HCMC units, for transfer targets.
	Units() []bot.UnitRef
	Procedure(id string) (name string, ok bool)
}

// Courier sends a message to the citizen on their own channel (the
// outbox). key makes it idempotent. The web chat needs no courier: its page
// reads the stored message live.
type Courier interface {
	Deliver(ctx context.Context, channel, externalID, key string, a bot.Answer) error
}

// Config holds a Desk's dependencies; Store and Catalog are required.
type Config struct {
	Store   *store.Store
	Catalog Catalog
	Courier Courier // nil: nothing to deliver (web only)
	Hub     *live.Hub
	Logger  *slog.Logger
	Now     func() time.Time
	// SLA is the default first-response target in office hours (5 min).
	SLA time.Duration
	// DefaultWait is the expected handling time per queued chat before a
	// unit has history (5 min).
	DefaultWait time.Duration
	// AlertChannel is the channel a unit's alert group lives on
	// ("telegram"; "": no group alerts). ConsoleURL is the console's
	// public address, linked from the alerts ("": no link).
	AlertChannel string
	ConsoleURL   string
	// Summarizer, when set (an LLM is configured), rewrites a new
	// handoff's template summary from the conversation, in the background
	// (summary.go); nil keeps the template.
	Summarizer Summarizer
	// SummaryTimeout bounds that rewrite (the LLM timeout; default 3 s).
	SummaryTimeout time.Duration
	// Roster lists the staff accounts, to tell which queues nobody works
	// (Staffing); nil: unknown.
	Roster Roster
	// Leases, when several gateways share the database, lets one of them
	// at a time run the SLA check (Run); nil: this is the only gateway.
	// An escalation is recorded once either way (store.MarkEscalated).
	Leases lease.Claims
}

// Desk is the ward queues. It implements bot.Queue for the citizen side and
// the staff operations for the console.
type Desk struct {
	cfg Config
	st  *store.Store
	bg  sync.WaitGroup // background summaries
}

// New checks cfg and returns a Desk.
func New(cfg Config) (*Desk, error) {
	if cfg.Store == nil || cfg.Catalog == nil {
		return nil, errors.New("handoff: Store and Catalog are required")
	}
	if cfg.Hub == nil {
		cfg.Hub = live.New(0)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SLA <= 0 {
		cfg.SLA = 5 * time.Minute
	}
	if cfg.DefaultWait <= 0 {
		cfg.DefaultWait = 5 * time.Minute
	}
	if cfg.SummaryTimeout <= 0 {
		cfg.SummaryTimeout = 3 * time.Second
	}
	return &Desk{cfg: cfg, st: cfg.Store}, nil
}

// Hub is where the desk publishes what happens.
func (d *Desk) Hub() *live.Hub { return d.cfg.Hub }

// TicketNumber is how a handoff is named to citizens and staff.
func TicketNumber(id int64) string { return fmt.Sprintf("HP-%06d", id) }

// UnitName names a queue: a unit's name, or the city level.
func (d *Desk) UnitName(code string) string {
	if code == staff.CityQueue || code == "" {
		return "Cấp Thành phố"
	}
	if n, ok := d.cfg.Catalog.Unit(code); ok {
		return n
	}
	return code
}

// queueOf is the queue a conversation's state lands in: its unit when it
// is one of HCMC's, else the city's.
func (d *Desk) queueOf(st bot.State) string {
	if st.Unit != nil {
		if _, ok := d.cfg.Catalog.Unit(st.Unit.Code); ok {
			return st.Unit.Code
		}
	}
	return staff.CityQueue
}

func (d *Desk) publish(e live.Event) { d.cfg.Hub.Publish(e) }

func actor(u staff.User) store.Actor { return store.Actor{ID: u.ID, Name: u.Name} }

// Units lists the HCMC units (transfer targets, and the units a city admin
// picks from in the console's settings and canned replies).
func (d *Desk) Units() []bot.UnitRef { return d.cfg.Catalog.Units() }
