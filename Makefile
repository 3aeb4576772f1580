# Hỏi Phường — the two commands a new machine needs are `make run` and `make test`.
GO ?= go
BIN := bin

.PHONY: run test test-pg test-deps bench eval build fmt vet fuzz

## run: install what is missing (pinned Meilisearch) and start the gateway on :8080
run:
	$(GO) run ./cmd/hoiphuong serve

## test: install what tests need (Meilisearch, Chromium, Postgres), run every test, those of
## every package that stores something again on Postgres, and the dev eval set
test: test-deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...
	bash scripts/test-pg.sh
	$(GO) run ./cmd/hoiphuong eval eval/dev.jsonl --min-pass 0.95 --by-kind

## test-pg: the tests of every package that stores something on a throwaway Postgres cluster
test-pg:
	bash scripts/test-pg.sh

## test-deps: the pinned Meilisearch binary in ./bin and Debian's chromium
test-deps:
	bash scripts/test-deps.sh

## bench: speed and memory figures reported in README.md
bench:
	$(GO) run ./cmd/hoiphuong bench

## eval: the public dev set with a per-kind table
eval:
	$(GO) run ./cmd/hoiphuong eval eval/dev.jsonl --by-kind

## fuzz: run each fuzz target for a while (the seed corpora run in `make test`)
fuzz:
	$(GO) test ./knowledge/names -run '^$$' -fuzz FuzzFold -fuzztime 30s
	$(GO) test ./bot/nlu -run '^$$' -fuzz FuzzUnderstand -fuzztime 30s
	$(GO) test ./bot -run '^$$' -fuzz FuzzRespond -fuzztime 30s

build:
	$(GO) build -o $(BIN)/hoiphuong ./cmd/hoiphuong

fmt:
	gofmt -l -w .
