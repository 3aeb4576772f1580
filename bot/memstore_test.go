package bot

import (
	"context"
	"fmt"
	"sync"
)

// memStore is an in-memory Store for the engine's unit tests; the SQLite
// store (bot/store) has its own tests and the gateway's tests use it.
type memStore struct {
	mu       sync.Mutex
	states   map[string]State
	msgs     map[string][]Message
	feedback map[string][]int
	n        int
}

func newMemStore() *memStore {
	return &memStore{states: map[string]State{}, msgs: map[string][]Message{}}
}

func (m *memStore) Create(ctx context.Context, channel, externalID string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	id := fmt.Sprintf("c%d", m.n)
	m.states[id] = State{Mode: ModeBot}
	return id, nil
}

func (m *memStore) State(ctx context.Context, id string) (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.states[id]
	if !ok {
		return State{}, ErrNotFound
	}
	return st, nil
}

func (m *memStore) AppendInbound(ctx context.Context, id string, msg Message, channelMessageID string) (int64, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs[id] = append(m.msgs[id], msg)
	return int64(len(m.msgs[id])), false, nil
}

func (m *memStore) SaveReply(ctx context.Context, id string, inboundID int64, a Answer, st State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[id] = st
	return nil
}

func (m *memStore) SaveReplyQueued(ctx context.Context, id string, inboundID int64, a Answer, st State, _ Outgoing) error {
	return m.SaveReply(ctx, id, inboundID, a, st)
}

func (m *memStore) Answered(ctx context.Context, id string, inboundID int64) (bool, error) {
	return false, nil
}

// RecordFeedback keeps the scores (FeedbackStore); there is no answer to
// rate before the first reply.
func (m *memStore) RecordFeedback(ctx context.Context, convID string, score int) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.msgs[convID]) < 2 {
		return 0, ErrNoAnswer
	}
	if m.feedback == nil {
		m.feedback = map[string][]int{}
	}
	m.feedback[convID] = append(m.feedback[convID], score)
	return int64(len(m.msgs[convID]) - 1), nil
}
