# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
BIN := .build/debug/flexmeasures

.PHONY: run test build release deps deb clean

deps:
	bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Development mode: a fresh machine has no SECRET_KEY yet (the daemon makes a temporary one).
run: build
	FLEXMEASURES_ENV=$${FLEXMEASURES_ENV:-development} $(BIN) run

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

deb: deps
	bash scripts/build-deb.sh

clean:
	rm -rf .build
