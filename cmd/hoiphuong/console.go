package main

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/handlers/auth"
	"github.com/hoiphuong/hoiphuong/handlers/console"
	"github.com/hoiphuong/hoiphuong/handlers/dashboard"
	"github.com/hoiphuong/hoiphuong/handlers/editor"
	"github.com/hoiphuong/hoiphuong/handlers/ratelimit"
	"github.com/hoiphuong/hoiphuong/knowledge"
)

// preview answers the editor console's preview pane (bot.Preview).
func preview(ctx context.Context, kb *knowledge.KB, turns []string) ([]bot.Answer, error) {
	return bot.Preview(ctx, kb, turns), nil
}

// consoleRoutes builds the staff console (login, queues, conversations,
// settings, users) with the city dashboard and the editor console under
// it, for /console.
func (a *app) consoleRoutes() (http.Handler, error) {
	au, err := auth.New(auth.Config{Sessions: a.staff, Logger: a.logger, SecureCookies: a.cfg.SecureCookies,
		Clients: ratelimit.Clients{Trusted: a.cfg.TrustedProxies}})
	if err != nil {
		return nil, err
	}
	con, err := console.New(console.Config{Desk: a.desk, Staff: a.staff, Auth: au, Logger: a.logger})
	if err != nil {
		return nil, err
	}
	dash, err := dashboard.New(dashboard.Config{Desk: a.desk, Auth: au, Shapes: a.loc.Shapes(), Logger: a.logger, Staffing: a.desk})
	if err != nil {
		return nil, err
	}
	ed, err := editor.New(editor.Config{Store: a.kbs, Publisher: a.publisher, Unanswered: a.conv,
		Preview: preview, Auth: au, Logger: a.logger})
	if err != nil {
		return nil, err
	}
	r := chi.NewRouter()
	r.Mount("/dashboard", dash.Routes())
	r.Mount("/kb", ed.Routes())
	r.Mount("/", con.Routes())
	return r, nil
}
