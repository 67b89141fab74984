package server

import "sync"

// sendQueue is a client's bounded queue of outgoing batches, between the
// hub (any goroutine) and the client's one writer. It grows as messages
// arrive instead of reserving its whole bound up front: a channel with
// room for 4,096 batches cost every connection 96 KB before it had sent a
// byte, which 2,000 idle connections turned into 200 MB.
type sendQueue struct {
	mu    sync.Mutex
	items [][]message
	head  int // items before head have been taken
	limit int
	// ready holds a token while items may be waiting; the writer waits
	// on it.
	ready chan struct{}
}

func newSendQueue(limit int) *sendQueue {
	return &sendQueue{limit: limit, ready: make(chan struct{}, 1)}
}

// push queues a batch without blocking; false means the queue is full and
// the client cannot keep up.
func (q *sendQueue) push(ms []message) bool {
	q.mu.Lock()
	if len(q.items)-q.head >= q.limit {
		q.mu.Unlock()
		return false
	}
	if q.head > 32 && q.head > len(q.items)/2 {
		// Move the waiting batches to the front, so a queue that is never
		// quite empty does not grow without end.
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, ms)
	q.mu.Unlock()
	q.wake()
	return true
}

// wake makes sure the writer looks at the queue again.
func (q *sendQueue) wake() {
	select {
	case q.ready <- struct{}{}:
	default: // the writer has a token to wake up with already
	}
}

// pop takes the oldest batch; false when the queue is empty.
func (q *sendQueue) pop() ([]message, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.head == len(q.items) {
		return nil, false
	}
	ms := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	if q.head == len(q.items) {
		q.head = 0
		q.items = q.items[:0]
		if cap(q.items) > 256 {
			q.items = nil // a burst must not pin a large slice for the connection's life
		}
	}
	return ms, true
}

// waiting reports whether batches are queued.
func (q *sendQueue) waiting() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.head < len(q.items)
}
