package people_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"solidarity/internal/db"
)

func TestScratchSQL(t *testing.T) {
	qs := os.Getenv("SCRATCH_SQL")
	if qs == "" {
		t.Skip()
	}
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Dir: os.Getenv("SCRATCH_DIR"), URL: os.Getenv("SCRATCH_PG")})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, q := range strings.Split(qs, ";;") {
		for i := 0; i < 3; i++ {
			start := time.Now()
			rows, err := d.QueryContext(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			var first string
			for rows.Next() {
				if n == 0 {
					cols, _ := rows.Columns()
					vals := make([]any, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					rows.Scan(ptrs...)
					first = fmt.Sprint(vals)
				}
				n++
			}
			rows.Close()
			if i == 2 {
				fmt.Printf("%8.1f ms  rows=%d first=%s  %s\n", float64(time.Since(start).Microseconds())/1000, n, first, q)
			}
		}
	}
}
