# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
BIN := .build/debug/flexmeasures

.PHONY: run test build release deps clean

deps:
	bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: build
	$(BIN) run

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build
