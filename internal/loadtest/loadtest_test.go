package loadtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCountsAndPercentiles(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1)%10 == 0 {
			w.WriteHeader(500)
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	res := Run(context.Background(), Client(4), Get(srv.URL), Options{Workers: 4, Duration: 300 * time.Millisecond})
	if res.OK == 0 || res.Failed == 0 {
		t.Fatalf("want successes and failures, got %+v", res)
	}
	if int64(res.Sent) > hits.Load() || res.P50 > res.P99 || res.P99 > res.Max {
		t.Errorf("inconsistent result %+v (server saw %d)", res, hits.Load())
	}
	open := Run(context.Background(), Client(4), Get(srv.URL), Options{Workers: 4, Rate: 200, Duration: 500 * time.Millisecond})
	if open.Sent < 60 || open.Sent > 110 {
		t.Errorf("open loop at 200/s for 0.5 s sent %d", open.Sent)
	}
}
