#!/usr/bin/env bash
# Builds Kiln and runs every test: lit (dialect, passes, importer, driver,
# plugin), GoogleTest and end-to-end model tests. KILN_SKIP_LARGE=1 skips the
# ResNet-18 / MobileNetV2 / transformer end-to-end tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${KILN_BUILD_DIR:-$root/build}
"$root/scripts/bootstrap.sh"
echo "== running the test suite"
/usr/lib/llvm-22/bin/lit -sv "$build/test"
