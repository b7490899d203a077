package people_test

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestScratchPragma(t *testing.T) {
	qs := os.Getenv("SCRATCH2_SQL")
	if qs == "" {
		t.Skip()
	}
	for _, dsn := range []string{"", "&_pragma=mmap_size(4000000000)", "&_pragma=cache_size(-262144)"} {
		d, err := sql.Open("sqlite", "file:/tmp/pb1m/solidarity.db?_pragma=busy_timeout(10000)&_time_format=sqlite&_pragma=query_only(1)"+dsn)
		if err != nil {
			t.Fatal(err)
		}
		d.SetMaxOpenConns(1)
		for _, q := range strings.Split(qs, ";;") {
			var best time.Duration
			for i := 0; i < 4; i++ {
				start := time.Now()
				rows, err := d.Query(q)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				if e := time.Since(start); i > 0 && (best == 0 || e < best) {
					best = e
				}
			}
			fmt.Printf("%-40s %8.1f ms  %.60s\n", dsn, float64(best.Microseconds())/1000, q)
		}
		d.Close()
	}
}
