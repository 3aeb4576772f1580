package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hoiphuong/hoiphuong/bot"
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
