package inbox

import "sync"

// queue is a worker's FIFO of conversations with news, each at most once.
type queue struct {
	mu     sync.Mutex
	ids    []string
	queued map[string]bool
	ready  chan struct{} // has a token while ids is not empty
}

func newQueue() *queue {
	return &queue{queued: map[string]bool{}, ready: make(chan struct{}, 1)}
}

func (q *queue) push(id string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued[id] {
		return
	}
	q.queued[id] = true
	q.ids = append(q.ids, id)
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop takes the oldest conversation, or "" when empty.
func (q *queue) pop() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.ids) == 0 {
		return ""
	}
	id := q.ids[0]
	q.ids = q.ids[1:]
	delete(q.queued, id)
	if len(q.ids) > 0 {
		select {
		case q.ready <- struct{}{}:
		default:
		}
	}
	return id
}
