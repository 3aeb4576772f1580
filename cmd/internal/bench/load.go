package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hoiphuong/hoiphuong/bot/telegram"
	"github.com/hoiphuong/hoiphuong/bot/telegram/telegramtest"
)

// LoadSpec is one phase of the channel step's webhook load: at most N
// Telegram updates, each from a new chat (numbered from First), posted by
// Clients concurrent clients within Duration; Rate > 0 paces them (update
// i is due at start + i/Rate and its latency counts from then, so a stall
// is not hidden), Rate 0 sends as fast as the clients go.
type LoadSpec struct {
	URL      string        `json:"url"`
	First    int64         `json:"first"`
	N        int           `json:"n"`
	Clients  int           `json:"clients"`
	Rate     float64       `json:"rate"`
	Duration time.Duration `json:"duration"`
}

// LoadResult is what a phase measured.
type LoadResult struct {
	Latency  []time.Duration `json:"latency"`  // of each acknowledged update
	Accepted map[int64]int64 `json:"accepted"` // chat id → when its update was acknowledged (Unix ns)
	Errors   int64           `json:"errors"`
	QPS      float64         `json:"qps"` // acknowledged updates per second
}

// RunLoad posts one phase of updates from this process.
func RunLoad(ctx context.Context, s LoadSpec) LoadResult {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: s.Clients * 2}}
	defer hc.CloseIdleConnections()
	var (
		next   atomic.Int64
		errs   atomic.Int64
		mu     sync.Mutex
		wg     sync.WaitGroup
		result = LoadResult{Accepted: map[int64]int64{}}
	)
	per := make([][]time.Duration, s.Clients)
	start := time.Now()
	deadline := start.Add(s.Duration)
	for w := range s.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= int64(s.N) {
					return
				}
				due := time.Now()
				if s.Rate > 0 {
					due = start.Add(time.Duration(float64(i) / s.Rate * float64(time.Second)))
					if !due.Before(deadline) {
						return
					}
					time.Sleep(time.Until(due))
				}
				chat := s.First + i
				at, err := postUpdate(ctx, hc, s.URL, int(chat), chat)
				if err != nil {
					errs.Add(1)
					continue
				}
				per[w] = append(per[w], at.Sub(due))
				mu.Lock()
				result.Accepted[chat] = at.UnixNano()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, d := range per {
		result.Latency = append(result.Latency, d...)
	}
	result.Errors = errs.Load()
	result.QPS = float64(len(result.Latency)) / time.Since(start).Seconds()
	return result
}

// postUpdate sends one update and says when it was acknowledged.
func postUpdate(ctx context.Context, hc *http.Client, url string, updateID int, chat int64) (time.Time, error) {
	body := telegramtest.TextUpdate(updateID, chat, "phường 5 quận 3")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set(telegram.SecretHeader, telegramtest.Secret)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	_, _ = io.Copy(io.Discard, resp.Body) // keep the connection reusable
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return time.Time{}, fmt.Errorf("status %d", resp.StatusCode)
	}
	return time.Now(), nil
}

// ServeLoad is the load generator's own process (`hoiphuong bench-load`,
// started by the bench): it reads one LoadSpec per line on r, runs it and
// writes its LoadResult as one line on w, until r ends. In its own process
// the generator's timers and clients do not wait behind the gateway's
// goroutines for the CPU, as the platforms' servers do not.
func ServeLoad(ctx context.Context, r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	enc := json.NewEncoder(w)
	for sc.Scan() {
		var s LoadSpec
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return fmt.Errorf("bench-load: %w", err)
		}
		if err := enc.Encode(RunLoad(ctx, s)); err != nil {
			return fmt.Errorf("bench-load: %w", err)
		}
	}
	return sc.Err()
}

// loader runs phases of load, in this process or in a child one.
type loader interface {
	run(ctx context.Context, s LoadSpec) (LoadResult, error)
	close() error
}

type inProcess struct{}

func (inProcess) run(ctx context.Context, s LoadSpec) (LoadResult, error) {
	return RunLoad(ctx, s), nil
}
func (inProcess) close() error { return nil }

// child is a load generator process speaking ServeLoad's protocol.
type child struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

// startLoader starts argv (nil: load from this process).
func startLoader(ctx context.Context, argv []string) (loader, error) {
	if len(argv) == 0 {
		return inProcess{}, nil
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the load generator: %w", err)
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20) // a phase's result is one long line
	return &child{cmd: cmd, in: in, out: sc}, nil
}

func (c *child) run(_ context.Context, s LoadSpec) (LoadResult, error) {
	line, err := json.Marshal(s)
	if err != nil {
		return LoadResult{}, err
	}
	if _, err := c.in.Write(append(line, '\n')); err != nil {
		return LoadResult{}, fmt.Errorf("load generator: %w", err)
	}
	if !c.out.Scan() {
		return LoadResult{}, fmt.Errorf("load generator ended: %w", errors.Join(c.out.Err(), io.ErrUnexpectedEOF))
	}
	var r LoadResult
	if err := json.Unmarshal(c.out.Bytes(), &r); err != nil {
		return LoadResult{}, fmt.Errorf("load generator: %w", err)
	}
	return r, nil
}

func (c *child) close() error {
	_ = c.in.Close() // ends ServeLoad
	return c.cmd.Wait()
}
