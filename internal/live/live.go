// Package live carries small change events ("report 12 changed") to the open pages of
// every app node: Publish writes the event into the live_events table inside the caller's
// transaction (so it leaves only if the change commits), and each node runs one poller that
// reads new rows every Interval and hands them to its in-process subscribers. It touches
// only the database; payloads must never hold sensitive data, since rows are kept in clear
// for a few minutes (see docs/decisions/0005-live-updates-across-nodes.md).
package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"solidarity/internal/db"
)

// Event is one published change.
type Event struct {
	ID      int64
	Topic   string
	Payload string
	At      time.Time
}

// Defaults of a Feed; tests may change the fields before the first Subscribe.
const (
	DefaultInterval = 150 * time.Millisecond
	DefaultLag      = 10 * time.Second
	DefaultKeep     = 10 * time.Minute
	DefaultBuffer   = 64
	pruneEvery      = time.Minute
	batch           = 500
	maxGaps         = 10000
)

// Feed is a node's end of the live event table: it publishes in transactions and fans
// new rows out to subscribers. It is safe for concurrent use.
type Feed struct {
	db  *db.DB
	log *slog.Logger

	// Interval is how often the poller reads new rows.
	Interval time.Duration
	// Lag is how long an id missing below the newest one seen is waited for: on
	// PostgreSQL a transaction that took an earlier id may commit after a later one.
	Lag time.Duration
	// Keep is how long rows stay in the table before Publish prunes them.
	Keep time.Duration
	// Buffer is how many undelivered events a subscriber may hold before it is dropped.
	Buffer int

	mu        sync.Mutex
	subs      map[*sub]struct{}
	running   bool
	ready     chan struct{} // closed once the running poller knows where to start
	closed    bool
	done      chan struct{}
	wake      chan struct{}
	lastPrune time.Time
}

type sub struct {
	topic string
	ch    chan Event
	once  sync.Once
}

func (s *sub) close() { s.once.Do(func() { close(s.ch) }) }

// New returns a feed on d; its poller starts with the first subscriber and stops when the
// last one leaves.
func New(d *db.DB, log *slog.Logger) *Feed {
	if log == nil {
		log = slog.Default()
	}
	return &Feed{db: d, log: log, Interval: DefaultInterval, Lag: DefaultLag, Keep: DefaultKeep, Buffer: DefaultBuffer,
		subs: map[*sub]struct{}{}, done: make(chan struct{}), wake: make(chan struct{}, 1)}
}

// Publish records an event on topic in tx; subscribers of every node see it once tx
// commits. Now and then it also prunes rows older than Keep, in the same transaction.
func (f *Feed) Publish(ctx context.Context, tx *db.Tx, topic, payload string) error {
	if topic == "" {
		return errors.New("live: publish without a topic")
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO live_events (topic, payload, created_at) VALUES (?, ?, ?)",
		topic, payload, tx.Now); err != nil {
		return fmt.Errorf("live: publish %s: %w", topic, err)
	}
	f.mu.Lock()
	prune := tx.Now.Sub(f.lastPrune) >= pruneEvery || tx.Now.Before(f.lastPrune)
	if prune {
		f.lastPrune = tx.Now
	}
	f.mu.Unlock()
	if prune {
		if _, err := tx.ExecContext(ctx, "DELETE FROM live_events WHERE created_at < ?", tx.Now.Add(-f.Keep)); err != nil {
			return fmt.Errorf("live: prune: %w", err)
		}
	}
	tx.AfterCommit(f.poke)
	return nil
}

// poke wakes this node's poller at once, so that a change made here reaches local
// subscribers without waiting for the next tick.
func (f *Feed) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Subscribe returns a channel of the events on topic committed from now on, and a function
// that ends the subscription. The channel is closed when the subscriber falls Buffer
// events behind (it is dropped rather than let it slow anyone), when the feed closes, or
// after cancel. Subscribe waits until the poller is ready, so that nothing committed after
// it returns is missed.
func (f *Feed) Subscribe(topic string) (<-chan Event, func()) {
	s := &sub{topic: topic, ch: make(chan Event, max(f.Buffer, 1))}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		s.close()
		return s.ch, func() {}
	}
	f.subs[s] = struct{}{}
	if !f.running {
		f.running = true
		f.ready = make(chan struct{})
		go f.run(f.ready)
	}
	ready := f.ready
	f.mu.Unlock()
	select {
	case <-ready:
	case <-f.done:
	case <-time.After(5 * time.Second):
		f.log.Warn("live: poller slow to start")
	}
	return s.ch, func() { f.drop(s) }
}

// drop ends one subscription.
func (f *Feed) drop(s *sub) {
	f.mu.Lock()
	delete(f.subs, s)
	f.mu.Unlock()
	s.close()
}

// Subscribers is how many subscriptions this node holds (for tests and metrics).
func (f *Feed) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// Close ends every subscription and stops the poller; later subscriptions get a closed
// channel. A server calls it when it shuts down, so that streams end.
func (f *Feed) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.closed = true
	close(f.done)
	for s := range f.subs {
		s.close()
		delete(f.subs, s)
	}
}

// cursor is where a poller stands: the newest id seen and the ids below it not seen yet
// (with when they were first missed).
type cursor struct {
	last int64
	gaps map[int64]time.Time
}

// run is the poller. It starts from the newest row, then reads new rows every Interval
// (or at once when this node published), until no subscriber is left or the feed closes.
func (f *Feed) run(ready chan struct{}) {
	c := cursor{gaps: map[int64]time.Time{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-f.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		err := f.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM live_events").Scan(&c.last)
		if err == nil {
			break
		}
		f.log.Warn("live: find the newest event", "err", err)
		select {
		case <-f.done:
			close(ready)
			return
		case <-time.After(time.Second):
		}
	}
	close(ready)
	ticker := time.NewTicker(f.Interval)
	defer ticker.Stop()
	for {
		select {
		case <-f.done:
			return
		case <-ticker.C:
		case <-f.wake:
		}
		f.mu.Lock()
		if len(f.subs) == 0 {
			f.running = false
			f.mu.Unlock()
			return
		}
		f.mu.Unlock()
		if err := f.poll(ctx, &c); err != nil && ctx.Err() == nil {
			f.log.Warn("live: poll", "err", err)
		}
	}
}

// poll reads the rows after the cursor and the rows of its gaps, and delivers them.
func (f *Feed) poll(ctx context.Context, c *cursor) error {
	now := time.Now()
	for {
		rows, err := f.db.QueryContext(ctx, "SELECT id, topic, payload, created_at FROM live_events WHERE id > ? ORDER BY id LIMIT ?", c.last, batch)
		if err != nil {
			return err
		}
		events, err := scan(rows)
		if err != nil {
			return err
		}
		for _, e := range events {
			for id := c.last + 1; id < e.ID && len(c.gaps) < maxGaps; id++ {
				c.gaps[id] = now
			}
			c.last = e.ID
			f.deliver(e)
		}
		if len(events) < batch {
			break
		}
	}
	if len(c.gaps) == 0 {
		return nil
	}
	ids := make([]any, 0, len(c.gaps))
	for id, missed := range c.gaps {
		if now.Sub(missed) > f.Lag {
			delete(c.gaps, id) // rolled back, most likely: stop waiting for it
			continue
		}
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		n := min(len(ids), batch)
		part := ids[:n]
		ids = ids[n:]
		rows, err := f.db.QueryContext(ctx, "SELECT id, topic, payload, created_at FROM live_events WHERE id IN (?"+
			strings.Repeat(", ?", len(part)-1)+") ORDER BY id", part...)
		if err != nil {
			return err
		}
		late, err := scan(rows)
		if err != nil {
			return err
		}
		for _, e := range late {
			delete(c.gaps, e.ID)
			f.deliver(e)
		}
	}
	return nil
}

func scan(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]Event, error) {
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.Topic, &e.Payload, &e.At); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// deliver hands e to every subscriber of its topic without waiting: a subscriber whose
// buffer is full is dropped (its channel closed), and may subscribe again.
func (f *Feed) deliver(e Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		if s.topic != e.Topic {
			continue
		}
		select {
		case s.ch <- e:
		default:
			delete(f.subs, s)
			s.close()
		}
	}
}
