package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/hoiphuong/hoiphuong/handlers"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hoiphuong serve

Starts the gateway: loads the knowledge base (seeding SQLite on the first
start), starts the embedded Meilisearch when MEILI_URL is empty, builds the
search indexes, and serves the web chat, the JSON API (/api/v1, OpenAPI at
/api/openapi.json), /healthz, /readyz and /metrics on HTTP_ADDR.`)
	}
	if _, err := parseFlags(fs, args, e.stderr); err != nil {
		return err
	}
	a, err := openApp(ctx, e, appOptions{exclusive: true})
	if err != nil {
		return err
	}
	defer a.close()
	a.logger.Info("scheduler", "gomaxprocs", spareProc(a.cfg.Procs), "cpus", runtime.NumCPU())
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.HTTPAddr, err)
	}
	return a.serve(ctx, ln)
}

// serve runs the HTTP server on ln until ctx is done, then shuts down.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	reg := prometheus.NewRegistry()
	var h http.Handler
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	am, err := newAnswerMetrics(reg)
	if err != nil {
		return err
	}
	a.service.Observe(am.observe)
	a.service.SetQueue(a.desk) // handoff answers queue the conversation at its unit
	if err := reg.Register(newChannelMetrics(a.channels.inbox, a.channels.outbox, a.cfg.OutboxInDoubt)); err != nil {
		return err
	}
	if err := reg.Register(newHandoffMetrics(a.conv)); err != nil {
		return err
	}
	for _, c := range a.turns.Collectors() {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	for _, c := range a.llm.Metrics().Collectors() { // none when the LLM is off
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	con, err := a.consoleRoutes()
	if err != nil {
		return err
	}
	a.warnStaffing(ctx)
	h, err = handlers.New(handlers.Deps{
		Chats:          a.channels.web,
		ChatLimits:     a.cfg.ChatLimits,
		SharedLimits:   a.sharedLimits(),
		TrustedProxies: a.cfg.TrustedProxies,
		Ready:          a.ready,
		Degraded:       a.channels.degraded,
		Webhooks:       a.channels.webhooks(),
		Registry:       reg,
		Logger:         a.logger,
		MaxTextRunes:   a.cfg.MaxTextRunes,
		History:        a.conv,
		Live:           a.hub,
		Tickets:        a.desk,
		Console:        con,
	})
	if err != nil {
		return err
	}
	srv := handlers.NewServer(a.cfg.HTTPAddr, h)
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go a.watchSearch(wctx)
	a.shareWithGateways(wctx)           // live events and KB versions between gateways on one Postgres
	go a.desk.Run(wctx, 15*time.Second) // SLA escalation
	cctx, stopChannels := context.WithCancel(context.WithoutCancel(ctx))
	waitChannels := a.channels.run(cctx)
	defer func() { // after the HTTP server: nothing new comes in, work in flight finishes
		stopChannels()
		waitChannels()
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(a.progress, "Hỏi Phường is serving on http://%s\n", displayAddr(ln.Addr()))
	a.logger.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	a.logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func displayAddr(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return addr.String()
}
