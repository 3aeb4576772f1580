package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/staff"
	"github.com/hoiphuong/hoiphuong/bot/staff/staffstore"
)

// ConsoleResult is the staff console step: queue and conversation pages
// served to logged-in staff while 1,000 conversations wait or are handled
// across every unit.
type ConsoleResult struct {
	Conversations int
	Staff         int
	QueueP50ms    float64
	QueueP99ms    float64
	ConvP50ms     float64
	ConvP99ms     float64
	Errors        int64
}

// Console seeds nConv handed-off conversations over the HCMC units
// (a third of them owned) and nStaff staff members (every tenth a
// supervisor), serves the gateway on loopback and loads the queue page and
// the conversation page, each for dur, at clients concurrent staff.
func Console(ctx context.Context, g *Gateway, nConv, nStaff, clients int, dur time.Duration) (ConsoleResult, error) {
	r := ConsoleResult{Conversations: nConv, Staff: nStaff}
	staffStore, err := staffstore.New(ctx, g.DB)
	if err != nil {
		return r, err
	}
	dir, err := staff.New(staffStore, staff.Config{BcryptCost: bcrypt.MinCost})
	if err != nil {
		return r, err
	}
	units := g.Desk.Units()
	type member struct {
		token string
		unit  string
	}
	members := make([]member, nStaff)
	for i := range members {
		role := staff.RoleStaff
		if i%10 == 0 {
			role = staff.RoleSupervisor
		}
		u := units[i%len(units)].Code
		name := fmt.Sprintf("bench-%03d", i)
		if _, err := dir.Create(ctx, staff.NewUser{Username: name, Name: "Cán bộ " + name, Password: "bench-password", Role: role, Units: []string{u}, MaxChats: 100}); err != nil {
			return r, err
		}
		s, err := dir.Login(ctx, name, "bench-password")
		if err != nil {
			return r, err
		}
		members[i] = member{token: s.Token, unit: u}
	}
	byUnit := map[string][]string{}
	for i := range nConv {
		u := units[i%len(units)]
		id, err := g.Conv.Create(ctx, "web", "")
		if err != nil {
			return r, err
		}
		in, _, err := g.Conv.AppendInbound(ctx, id, bot.Message{Text: "cho tôi gặp cán bộ phường", At: time.Now()}, "")
		if err != nil {
			return r, err
		}
		st := bot.State{Mode: bot.ModeBot, Unit: &bot.UnitRef{Code: u.Code, Name: u.Name}, ProcedureID: "khai-sinh"}
		if _, err := g.Desk.Enqueue(ctx, id, st, in, bot.ReasonRequested); err != nil {
			return r, err
		}
		if i%3 == 0 {
			owner, _ := dir.ByUnit(ctx, u.Code)
			if len(owner) > 0 {
				if err := g.Desk.Claim(ctx, owner[0], id); err != nil {
					return r, err
				}
			}
		}
		byUnit[u.Code] = append(byUnit[u.Code], id)
	}

	base, hc, stop, err := serveLoopback(ctx, g, clients)
	if err != nil {
		return r, err
	}
	defer stop()
	get := func(url, token string) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		req.AddCookie(&http.Cookie{Name: "hp_session", Value: token})
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
		}
		return nil
	}
	queue := runLoad(ctx, clients, dur, func(i int) error {
		return get(base+"/console", members[rand.IntN(len(members))].token)
	})
	conv := runLoad(ctx, clients, dur, func(i int) error {
		m := members[rand.IntN(len(members))]
		ids := byUnit[m.unit]
		return get(base+"/console/c/"+ids[rand.IntN(len(ids))], m.token)
	})
	r.QueueP50ms, r.QueueP99ms = queue.pct(50), queue.pct(99)
	r.ConvP50ms, r.ConvP99ms = conv.pct(50), conv.pct(99)
	r.Errors = queue.errors.Load() + conv.errors.Load()
	return r, nil
}
