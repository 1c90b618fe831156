#!/usr/bin/env bash
# The API benchmark on the daemon as it is packaged: the Swift runtime linked in (--static-swift-stdlib,
# as scripts/build-deb.sh builds it), driven over loopback by `flexmeasures-bench api`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product flexmeasures --static-swift-stdlib --scratch-path .build-static
swift build -c release --product flexmeasures-bench
swift run -c release --skip-build flexmeasures-bench api --daemon .build-static/release/flexmeasures "$@"
