package web

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// fakeTime is a clock that moves only when the work or the sleep moves it.
type fakeTime struct {
	at    time.Time
	slept []time.Duration
}

func (f *fakeTime) timing(floor time.Duration) publicTiming {
	return publicTiming{floor: floor, now: func() time.Time { return f.at },
		sleep: func(_ context.Context, d time.Duration) { f.slept = append(f.slept, d); f.at = f.at.Add(d) }}
}

// Whatever the work takes, the answer leaves at the floor, or at the next multiple of it
// when the work overruns; so a known and an unknown address answer at the same time.
func TestPublicTimingHoldsToTheFloor(t *testing.T) {
	const floor = 250 * time.Millisecond
	for _, tc := range []struct {
		name      string
		floor     time.Duration
		work      time.Duration
		wantSleep time.Duration // -1: no sleep at all
		wantTotal time.Duration
	}{
		{"no work", floor, 0, floor, floor},
		{"unknown address: little work", floor, 2 * time.Millisecond, 248 * time.Millisecond, floor},
		{"known address: more work", floor, 40 * time.Millisecond, 210 * time.Millisecond, floor},
		{"work of exactly the floor", floor, floor, -1, floor},
		{"overrun: held to the next step", floor, 260 * time.Millisecond, 240 * time.Millisecond, 2 * floor},
		{"long overrun", floor, 800 * time.Millisecond, 200 * time.Millisecond, 4 * floor},
		{"no floor", 0, 30 * time.Millisecond, -1, 30 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeTime{at: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
			start := f.at
			c := f.timing(tc.floor).start(httptest.NewRequest("POST", "/join", nil))
			f.at = f.at.Add(tc.work)
			c.hold()
			switch {
			case tc.wantSleep < 0 && len(f.slept) != 0:
				t.Errorf("slept %v, want no sleep", f.slept)
			case tc.wantSleep >= 0 && (len(f.slept) != 1 || f.slept[0] != tc.wantSleep):
				t.Errorf("slept %v, want [%v]", f.slept, tc.wantSleep)
			}
			if got := f.at.Sub(start); got != tc.wantTotal {
				t.Errorf("answered after %v, want %v", got, tc.wantTotal)
			}
		})
	}
}

// The real sleep stops early when the client has gone: nobody is left to time it.
func TestPublicTimingStopsWhenTheClientLeaves(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := publicTiming{floor: time.Hour, now: time.Now, sleep: sleepCtx}
	begin := time.Now()
	p.start(httptest.NewRequest("POST", "/join", nil).WithContext(ctx)).hold()
	if d := time.Since(begin); d > time.Second {
		t.Errorf("held a gone client for %v", d)
	}
	if evenTiming.floor != publicFloor || publicFloor < 100*time.Millisecond {
		t.Errorf("the server's floor is %v", evenTiming.floor)
	}
}
