package server

import "testing"

// The queue keeps order, refuses more than its limit of waiting batches,
// and stays bounded when it is never quite emptied.
func TestSendQueue(t *testing.T) {
	batch := func(i int) []message { return []message{{seq: uint64(i)}} }
	q := newSendQueue(4)
	for i := 1; i <= 4; i++ {
		if !q.push(batch(i)) {
			t.Fatalf("push(%d) = false with %d waiting, want true", i, i-1)
		}
	}
	if q.push(batch(5)) {
		t.Fatal("push over the limit = true, want false")
	}
	// Take one, add one, forever: order holds and storage does not grow.
	next, want := 5, uint64(1)
	for round := 0; round < 1000; round++ {
		ms, ok := q.pop()
		if !ok || ms[0].seq != want {
			t.Fatalf("round %d: pop() = %v, %v; want batch %d", round, ms, ok, want)
		}
		want++
		if !q.push(batch(next)) {
			t.Fatalf("round %d: push with 3 waiting = false", round)
		}
		next++
	}
	if c := cap(q.items); c > 256 {
		t.Errorf("after 1000 rounds of 4 waiting batches the queue holds %d slots, want it bounded", c)
	}
	for i := 0; i < 4; i++ {
		if ms, ok := q.pop(); !ok || ms[0].seq != want {
			t.Fatalf("drain %d: pop() = %v, %v; want batch %d", i, ms, ok, want)
		}
		want++
	}
	if _, ok := q.pop(); ok || q.waiting() {
		t.Error("an emptied queue still has batches")
	}
}
