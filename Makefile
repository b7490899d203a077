# Thin wrappers over the go command; every target can be run by hand.
.PHONY: run demo test test-all bench lint fmt build

run:
	go run ./cmd/solidarity serve

demo:
	go run ./cmd/solidarity serve --demo

build:
	go build -o bin/solidarity ./cmd/solidarity

test:
	go test ./...

# All suites, as CI runs them (needs PostgreSQL on 127.0.0.1 and chromium).
test-all:
	SOLIDARITY_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
	SOLIDARITY_TEST_REQUIRE=postgres,browser go test ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	go vet ./...
	staticcheck ./...

fmt:
	gofmt -w .
