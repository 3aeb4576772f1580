package llm

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Metrics are the client's Prometheus collectors; cmd registers them on
// /metrics (Collectors).
type Metrics struct {
	calls      *prometheus.CounterVec   // op, outcome
	fallbacks  *prometheus.CounterVec   // op
	rejections prometheus.Counter       // phrasings the validator stopped
	tokens     *prometheus.CounterVec   // direction: in | out
	latency    *prometheus.HistogramVec // op
}

func newMetrics() *Metrics {
	return &Metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hoiphuong_llm_calls_total", Help: "Calls to the language model, by operation and outcome (ok, timeout, rate_limited, server_error, client_error, network_error, invalid, rejected, circuit_open).",
		}, []string{"op", "outcome"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hoiphuong_llm_fallbacks_total", Help: "Language-model calls whose result was not used: the deterministic answer was given, by operation.",
		}, []string{"op"}),
		rejections: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "hoiphuong_llm_validator_rejections_total", Help: "Phrased answers the validator rejected (a fact not in the records); the template text was sent.",
		}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hoiphuong_llm_tokens_total", Help: "Tokens used by the language model, by direction (in = prompt, out = completion).",
		}, []string{"direction"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hoiphuong_llm_seconds", Help: "Time one language-model call took, by operation.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 3, 5},
		}, []string{"op"}),
	}
}

// Collectors lists the collectors to register (none for nil Metrics).
func (m *Metrics) Collectors() []prometheus.Collector {
	if m == nil {
		return nil
	}
	return []prometheus.Collector{m.calls, m.fallbacks, m.rejections, m.tokens, m.latency}
}

// Calls is the number of calls of operation op with that outcome ("" for
// any outcome is not supported; use the outcome names).
func (m *Metrics) Calls(op, outcome string) float64 {
	return counterValue(m.calls.WithLabelValues(op, outcome))
}

// Rejections is the number of phrasings the validator stopped.
func (m *Metrics) Rejections() float64 { return counterValue(m.rejections) }

// Fallbacks is the number of calls of op whose result was not used.
func (m *Metrics) Fallbacks(op string) float64 { return counterValue(m.fallbacks.WithLabelValues(op)) }

// Tokens is the tokens counted in direction "in" or "out".
func (m *Metrics) Tokens(direction string) float64 {
	return counterValue(m.tokens.WithLabelValues(direction))
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return 0
	}
	return m.GetCounter().GetValue()
}
