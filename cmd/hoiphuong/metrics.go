package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hoiphuong/hoiphuong/bot"
	"github.com/hoiphuong/hoiphuong/bot/dbgate"
	"github.com/hoiphuong/hoiphuong/bot/inbox"
	"github.com/hoiphuong/hoiphuong/bot/outbox"
	botstore "github.com/hoiphuong/hoiphuong/bot/store"
	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

// answerMetrics counts the engine's answers for /metrics.
type answerMetrics struct {
	answers  *prometheus.CounterVec
	degraded prometheus.Counter
	latency  prometheus.Histogram
}

func newAnswerMetrics(reg prometheus.Registerer) (*answerMetrics, error) {
	m := &answerMetrics{
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hoiphuong_answers_total", Help: "Answers given, by channel, kind and what they ask for.",
		}, []string{"channel", "kind", "asks"}),
		degraded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hoiphuong_answers_degraded_total", Help: "Answers given while the search index was unavailable.",
		}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "hoiphuong_engine_seconds", Help: "Time the engine took to answer one message.",
			Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1},
		}),
	}
	for _, c := range []prometheus.Collector{m.answers, m.degraded, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *answerMetrics) observe(msg bot.Message, a bot.Answer, took time.Duration) {
	m.answers.WithLabelValues(msg.Channel, string(a.Kind), a.Asks).Inc()
	if a.Degraded {
		m.degraded.Inc()
	}
	m.latency.Observe(took.Seconds())
}

// channelMetrics reads the channels' counters and the outbox's queue at
// each scrape.
type channelMetrics struct {
	inbox   *inbox.Inbox
	outbox  *outbox.Outbox
	policy  outbox.InDoubtPolicy
	descs   map[string]*prometheus.Desc
	inDoubt *prometheus.Desc // by channel and policy
}

func newChannelMetrics(in *inbox.Inbox, out *outbox.Outbox, policy outbox.InDoubtPolicy) *channelMetrics {
	help := map[string]string{
		"hoiphuong_channel_received_total":      "Inbound updates persisted, by channel.",
		"hoiphuong_channel_duplicates_total":    "Inbound updates delivered again and not answered again, by channel.",
		"hoiphuong_channel_flood_dropped_total": "Inbound messages over the sender's flood limit (20/min), counted and not persisted or answered, by channel.",
		"hoiphuong_channel_sent_total":          "Outbound messages the platform accepted, by channel.",
		"hoiphuong_channel_retries_total":       "Outbound attempts that failed and will be retried (incl. 429), by channel.",
		"hoiphuong_channel_failed_total":        "Outbound messages given up on, by channel.",
		"hoiphuong_channel_queue_depth":         "Outbound messages waiting in the outbox, by channel.",
		"hoiphuong_channel_lag_seconds":         "Age of the oldest outbound message waiting in the outbox, by channel.",
		"hoiphuong_outbox_held":                 "Outbound messages held for staff because a killed gateway was sending them (OUTBOX_IN_DOUBT=hold; hoiphuong outbox list), by channel.",
	}
	m := &channelMetrics{inbox: in, outbox: out, policy: policy, descs: map[string]*prometheus.Desc{},
		inDoubt: prometheus.NewDesc("hoiphuong_outbox_in_doubt_total",
			"Outbound messages found in flight at start, left by a gateway killed while sending them (the citizen may or may not have them); resent or held by OUTBOX_IN_DOUBT, by channel.",
			[]string{"channel", "policy"}, nil)}
	for name, h := range help {
		m.descs[name] = prometheus.NewDesc(name, h, []string{"channel"}, nil)
	}
	return m
}

func (m *channelMetrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range m.descs {
		ch <- d
	}
	ch <- m.inDoubt
}

func (m *channelMetrics) Collect(ch chan<- prometheus.Metric) {
	emit := func(name string, kind prometheus.ValueType, v float64, channel string) {
		ch <- prometheus.MustNewConstMetric(m.descs[name], kind, v, channel)
	}
	for name, c := range m.inbox.Counts() {
		emit("hoiphuong_channel_received_total", prometheus.CounterValue, float64(c.Received), name)
		emit("hoiphuong_channel_duplicates_total", prometheus.CounterValue, float64(c.Duplicates), name)
		emit("hoiphuong_channel_flood_dropped_total", prometheus.CounterValue, float64(c.FloodDropped), name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	depths, err := m.outbox.Depths(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.descs["hoiphuong_channel_queue_depth"], err)
	}
	for name, c := range m.outbox.Counts() {
		emit("hoiphuong_channel_sent_total", prometheus.CounterValue, float64(c.Sent), name)
		emit("hoiphuong_channel_retries_total", prometheus.CounterValue, float64(c.Retries), name)
		emit("hoiphuong_channel_failed_total", prometheus.CounterValue, float64(c.Failed), name)
		ch <- prometheus.MustNewConstMetric(m.inDoubt, prometheus.CounterValue, float64(c.InDoubt), name, string(m.policy))
		if err == nil {
			emit("hoiphuong_channel_queue_depth", prometheus.GaugeValue, float64(depths[name].Pending), name)
			emit("hoiphuong_channel_lag_seconds", prometheus.GaugeValue, depths[name].Lag.Seconds(), name)
			emit("hoiphuong_outbox_held", prometheus.GaugeValue, float64(depths[name].Held), name)
		}
	}
}

// handoffMetrics reads the ward queues at each scrape.
type handoffMetrics struct {
	store *botstore.Store
	desc  *prometheus.Desc
}

func newHandoffMetrics(s *botstore.Store) *handoffMetrics {
	return &handoffMetrics{store: s, desc: prometheus.NewDesc("hoiphuong_handoffs",
		"Conversations handed to staff and still active, by state: queued, owned, overdue (no first response past the SLA).",
		[]string{"state"}, nil)}
}

func (m *handoffMetrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.desc }

func (m *handoffMetrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := m.store.CountActive(ctx, time.Now())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.desc, err)
		return
	}
	for state, v := range map[string]int{"queued": c.Queued, "owned": c.Owned, "overdue": c.Overdue} {
		ch <- prometheus.MustNewConstMetric(m.desc, prometheus.GaugeValue, float64(v), state)
	}
}

// turnMetrics are the turns on the one SQLite connection (bot/dbgate): how
// long each waited and held it, by priority — a webhook's accept latency
// is mostly its wait behind the longest background turn.
type turnMetrics struct {
	wait, hold *prometheus.HistogramVec
	// checkpoint is the background WAL checkpoint's time (sqldb.Checkpoints).
	checkpoint *prometheus.HistogramVec
	frames     prometheus.Gauge
}

func newTurnMetrics() *turnMetrics {
	buckets := []float64{0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5}
	return &turnMetrics{
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hoiphuong_db_turn_wait_seconds",
			Help: "Time a statement or transaction waited for the SQLite connection, by priority.", Buckets: buckets}, []string{"priority"}),
		hold: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hoiphuong_db_turn_hold_seconds",
			Help: "Time a statement or transaction held the SQLite connection, by priority.", Buckets: buckets}, []string{"priority"}),
		checkpoint: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hoiphuong_db_checkpoint_seconds",
			Help: "Time of a background WAL checkpoint that found pages to copy: beside the writers, or with them paused (the last pass that lets a long WAL restart).", Buckets: buckets}, []string{"writers"}),
		frames: prometheus.NewGauge(prometheus.GaugeOpts{Name: "hoiphuong_db_wal_frames",
			Help: "Frames (pages) in the SQLite WAL at the last background checkpoint; it falls back when the log restarts."}),
	}
}

func (m *turnMetrics) observeCheckpoint(c sqldb.Checkpoint) {
	writers := "running"
	if c.Paused {
		writers = "paused"
	}
	m.checkpoint.WithLabelValues(writers).Observe(c.Took.Seconds())
	m.frames.Set(float64(c.LogFrames))
}

func (m *turnMetrics) observe(p dbgate.Priority, wait, hold time.Duration) {
	m.wait.WithLabelValues(p.String()).Observe(wait.Seconds())
	m.hold.WithLabelValues(p.String()).Observe(hold.Seconds())
}

// Collectors are the metrics to register.
func (m *turnMetrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.wait, m.hold, m.checkpoint, m.frames}
}
