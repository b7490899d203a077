// Package loadtest drives HTTP load at a server on loopback and measures it: requests per
// second, latency percentiles and errors. The bench command uses it against a real node
// and against a bare net/http baseline; nothing in the running system imports it.
package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Request builds one request of a scenario; n counts requests so that bodies can vary.
type Request func(n int) (*http.Request, error)

// Options shape a run. Rate 0 runs closed-loop: Workers clients send back to back, which
// finds the sustained maximum. Rate > 0 runs open-loop at that many requests per second.
type Options struct {
	Workers  int
	Rate     float64
	Duration time.Duration
	// Expect is the status a successful answer has (200 when zero).
	Expect int
}

// Result is what a run measured.
type Result struct {
	Sent, OK, Failed int
	Elapsed          time.Duration
	P50, P90, P99    time.Duration
	Max              time.Duration
	FirstError       string
}

// PerSecond is the rate of successful requests.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// String formats the result as a table row.
func (r Result) String() string {
	return fmt.Sprintf("%8.0f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  ok %d  failed %d",
		r.PerSecond(), ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max), r.OK, r.Failed)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Run sends requests built by req with client until the duration ends.
func Run(ctx context.Context, client *http.Client, req Request, o Options) Result {
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Expect == 0 {
		o.Expect = http.StatusOK
	}
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		res       Result
		counter   int
	)
	next := func() int {
		mu.Lock()
		defer mu.Unlock()
		counter++
		return counter
	}
	record := func(d time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		res.Sent++
		if err != nil {
			res.Failed++
			if res.FirstError == "" {
				res.FirstError = err.Error()
			}
			return
		}
		res.OK++
		latencies = append(latencies, d)
	}
	one := func(n int) {
		r, err := req(n)
		if err != nil {
			record(0, err)
			return
		}
		start := time.Now()
		resp, err := client.Do(r.WithContext(ctx))
		if err != nil {
			if ctx.Err() == nil {
				record(0, err)
			}
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != o.Expect {
			record(0, fmt.Errorf("status %d", resp.StatusCode))
			return
		}
		record(time.Since(start), nil)
	}
	start := time.Now()
	var wg sync.WaitGroup
	if o.Rate <= 0 {
		for range o.Workers {
			wg.Go(func() {
				for ctx.Err() == nil {
					one(next())
				}
			})
		}
	} else {
		// Open loop: a ticker hands out slots; a bounded pool of workers takes them, so a
		// slow server shows up as latency and as missed slots, not as a lower send rate.
		slots := make(chan int, o.Workers*4)
		for range o.Workers {
			wg.Go(func() {
				for n := range slots {
					one(n)
				}
			})
		}
		interval := time.Duration(float64(time.Second) / o.Rate)
		t := time.NewTicker(interval)
	loop:
		for {
			select {
			case <-ctx.Done():
				break loop
			case <-t.C:
				select {
				case slots <- next():
				default:
					record(0, fmt.Errorf("client saturated at %.0f req/s", o.Rate))
				}
			}
		}
		t.Stop()
		close(slots)
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	slices.Sort(latencies)
	if n := len(latencies); n > 0 {
		res.P50 = latencies[n*50/100]
		res.P90 = latencies[n*90/100]
		res.P99 = latencies[min(n-1, n*99/100)]
		res.Max = latencies[n-1]
	}
	return res
}

// Get returns a Request for a GET of url.
func Get(url string) Request {
	return func(int) (*http.Request, error) { return http.NewRequest(http.MethodGet, url, nil) }
}

// PostForm returns a Request posting the form body that body(n) builds.
func PostForm(url string, body func(n int) string) Request {
	return func(n int) (*http.Request, error) {
		r, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body(n)))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r, nil
	}
}

// Client returns an HTTP client with enough idle connections for the workers.
func Client(workers int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = workers * 2
	tr.MaxIdleConnsPerHost = workers * 2
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
