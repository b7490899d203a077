package live

import (
	"context"
	"testing"
	"time"

	"solidarity/internal/db"
	"solidarity/internal/jobs"
	"solidarity/internal/testkit"
)

// publish commits one event on topic.
func publish(t *testing.T, f *Feed, d *db.DB, topic, payload string) {
	t.Helper()
	if err := d.InTx(context.Background(), func(tx *db.Tx) error { return f.Publish(context.Background(), tx, topic, payload) }); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// receive waits for the next event on ch, failing after a while.
func receive(t *testing.T, ch <-chan Event, within time.Duration) Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed")
		}
		return e
	case <-time.After(within):
		t.Fatalf("no event within %v", within)
	}
	return Event{}
}

// quiet fails when ch delivers anything within d.
func quiet(t *testing.T, ch <-chan Event, d time.Duration) {
	t.Helper()
	select {
	case e, ok := <-ch:
		if ok {
			t.Fatalf("unexpected event %+v", e)
		}
	case <-time.After(d):
	}
}

// A committed event reaches the subscribers of its topic, in order; a rolled-back one and
// another topic's do not.
func TestPublishReachesSubscribers(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		f := New(d, testkit.Logger())
		defer f.Close()
		board, stop := f.Subscribe("board")
		defer stop()
		other, stopOther := f.Subscribe("other")
		defer stopOther()

		publish(t, f, d, "board", `{"report":1}`)
		publish(t, f, d, "board", `{"report":2}`)
		if e := receive(t, board, 2*time.Second); e.Payload != `{"report":1}` || e.Topic != "board" {
			t.Errorf("first event = %+v", e)
		}
		if e := receive(t, board, 2*time.Second); e.Payload != `{"report":2}` {
			t.Errorf("second event = %+v", e)
		}
		quiet(t, other, 300*time.Millisecond)

		_ = d.InTx(context.Background(), func(tx *db.Tx) error {
			if err := f.Publish(context.Background(), tx, "board", "rolled back"); err != nil {
				t.Fatal(err)
			}
			return context.Canceled
		})
		quiet(t, board, 500*time.Millisecond)
	})
}

// A subscriber that stops reading is dropped (its channel closed) instead of holding up
// the others; cancel ends a subscription; Close ends them all.
func TestSlowSubscriberIsDropped(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		f := New(d, testkit.Logger())
		f.Buffer = 2
		slow, _ := f.Subscribe("board")
		fast, stopFast := f.Subscribe("board")
		for i := range 4 {
			publish(t, f, d, "board", string(rune('a'+i)))
			receive(t, fast, 2*time.Second)
		}
		n := 0
		for range slow {
			n++
		}
		if n != 2 {
			t.Errorf("slow subscriber got %d events before being dropped, want its buffer (2)", n)
		}
		stopFast()
		if _, ok := <-fast; ok {
			t.Error("cancelled subscription still open")
		}
		last, _ := f.Subscribe("board")
		f.Close()
		if _, ok := <-last; ok {
			t.Error("Close left a subscription open")
		}
		after, _ := f.Subscribe("board")
		if _, ok := <-after; ok {
			t.Error("a subscription after Close is open")
		}
	})
}

// Two nodes on one database: an event published through one node's feed reaches a
// subscriber of the other's (on PostgreSQL two connection pools on one schema, on SQLite
// two handles on one file).
func TestEventCrossesNodes(t *testing.T) {
	for _, dialect := range testkit.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			opts := db.Options{Dir: t.TempDir()}
			if dialect == db.Postgres {
				opts.URL = testkit.FreshSchema(t)
			}
			open := func() *db.DB {
				d, err := db.Open(ctx, opts)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				return d
			}
			a, b := open(), open()
			if err := a.Migrate(ctx, testkit.Logger(), jobs.New(a, testkit.Logger()).Migrate); err != nil {
				t.Fatal(err)
			}
			nodeA, nodeB := New(a, testkit.Logger()), New(b, testkit.Logger())
			defer nodeA.Close()
			defer nodeB.Close()
			onB, stop := nodeB.Subscribe("response.board")
			defer stop()
			start := time.Now()
			publish(t, nodeA, a, "response.board", `{"report":7}`)
			e := receive(t, onB, 3*time.Second)
			if e.Payload != `{"report":7}` {
				t.Errorf("node B got %+v", e)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("the event took %v to cross nodes", took)
			}
		})
	}
}

// On PostgreSQL a transaction can take an id and commit after a later one: the poller
// has seen the later id by then, and must still deliver the earlier one.
func TestLateCommitIsDelivered(t *testing.T) {
	if testkit.PostgresURL() == "" {
		testkit.SkipOrFail(t, "postgres", "SOLIDARITY_TEST_POSTGRES is not set")
	}
	d := testkit.NewDB(t, db.Postgres)
	ctx := context.Background()
	f := New(d, testkit.Logger())
	defer f.Close()
	ch, stop := f.Subscribe("board")
	defer stop()

	inserted, release, finished := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		finished <- d.InTx(ctx, func(tx *db.Tx) error {
			if err := f.Publish(ctx, tx, "board", "early id, late commit"); err != nil {
				return err
			}
			close(inserted)
			<-release
			return nil
		})
	}()
	<-inserted
	publish(t, f, d, "board", "later id, early commit")
	if e := receive(t, ch, 2*time.Second); e.Payload != "later id, early commit" {
		t.Fatalf("first delivered: %+v", e)
	}
	time.Sleep(3 * f.Interval) // the poller has moved past the later id
	close(release)
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	if e := receive(t, ch, 2*time.Second); e.Payload != "early id, late commit" {
		t.Errorf("late commit delivered as %+v", e)
	}
}

// Rows older than Keep are pruned by a later Publish.
func TestOldEventsArePruned(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, d *db.DB) {
		now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		d.Clock = func() time.Time { return now }
		f := New(d, testkit.Logger())
		publish(t, f, d, "board", "old")
		publish(t, f, d, "board", "recent")
		now = now.Add(f.Keep + 2*time.Minute)
		publish(t, f, d, "board", "new")
		var n int
		if err := d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM live_events").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d events left after pruning, want 1", n)
		}
	})
}
