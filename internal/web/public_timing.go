package web

import (
	"context"
	"net/http"
	"time"
)

// The public forms that take an e-mail address (Join, the member sign-in link) answer the
// same page whether the address is known or not, but the work behind the answer is not the
// same: a new address on Join creates a person, a known one only mails a link; on the
// sign-in form a known address issues a token and queues a mail, an unknown one does
// nothing. The time of the answer would tell which. So these answers are held until a
// fixed floor has passed since the request reached the handler; work that overruns the
// floor (a database under load) is held to the next multiple of it, so that what leaks is
// at most a coarse step, not the few milliseconds of the difference.
//
// Rejected: doing the variable work in a job. The answer would be even, but the job's
// arguments (name, address, phone) would sit in the jobs table in clear for as long as
// River keeps finished jobs, and the form could no longer say that an address is
// malformed. A floor costs a visitor a quarter of a second on a form they send once.

// publicFloor is how long an answer of an address-taking public form takes at least. It
// is well above what the work takes on either database (a few milliseconds to tens of
// milliseconds; see TestPublicFormsTakeEvenTime for the measured figures).
const publicFloor = 250 * time.Millisecond

// PublicAnswerFloor is the floor every public form's answer is held to (for the bench's
// report).
const PublicAnswerFloor = publicFloor

// publicTiming holds answers to a floor. The clock and the sleep are fields so that tests
// drive them; the server uses evenTiming.
type publicTiming struct {
	floor time.Duration
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration)
}

// evenTiming is the timing of the server's public forms.
var evenTiming = publicTiming{floor: publicFloor, now: time.Now, sleep: sleepCtx}

// sleepCtx waits d or until ctx ends (the client left: nobody is there to time anything).
func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// evenClock is one request's start, from which its answer is held.
type evenClock struct {
	p     publicTiming
	ctx   context.Context
	start time.Time
}

// start begins timing the request r. Call it first thing in the handler.
func (p publicTiming) start(r *http.Request) evenClock {
	return evenClock{p: p, ctx: r.Context(), start: p.now()}
}

// hold waits until the floor (or the next multiple of it) has passed since start. Call it
// after the variable work and before writing anything of the answer.
func (c evenClock) hold() {
	if c.p.floor <= 0 {
		return
	}
	elapsed := max(0, c.p.now().Sub(c.start))
	target := max(1, (elapsed+c.p.floor-1)/c.p.floor) * c.p.floor
	if target > elapsed {
		c.p.sleep(c.ctx, target-elapsed)
	}
}
