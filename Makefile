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

# The headless-Chromium suites and the ones with a PostgreSQL cluster of their own run after the others, not
# beside them: on two cores a browser or a cluster's initdb and COPY beside the loopback SMTP and webhook servers
# made delivery tests miss their deadlines (and send a notice twice).
HEAVY_SUITES = BrowserTests|UplinkForwardingTests|UplinkDaemonTests
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(HEAVY_SUITES)'
	$(SWIFT) test --skip-build --filter '$(HEAVY_SUITES)'

deb: deps
	bash scripts/build-deb.sh

clean:
	rm -rf .build
