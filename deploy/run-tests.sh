#!/usr/bin/env bash
# Installs everything, builds, and runs the whole test suite (what CI runs via .ci/run).
# usage: sudo deploy/run-tests.sh        (env: BUILD_DIR, default build-ci; FUZZ_SECONDS, default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-ci}
fuzz_seconds=${FUZZ_SECONDS:-20}

deploy/install-deps.sh
deploy/setup-hugepages.sh 256
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debugoptimized >/dev/null
fi
echo "build: $build"
if ! ninja -C "$build" -j"$(nproc)" > "$build/ninja.log" 2>&1; then
  grep -E "error|FAILED" "$build/ninja.log" | head -n 40
  tail -n 40 "$build/ninja.log"
  echo "0 passed, 1 failed"
  exit 1
fi
tail -n 1 "$build/ninja.log"

status=0
meson test -C "$build" --print-errorlogs --num-processes 2 --timeout-multiplier 2 || status=1

fuzz_status=0
if [ -x tests/fuzz/run.sh ]; then
  echo "fuzz: ${fuzz_seconds}s per target (output in $build/fuzz.log)"
  if tests/fuzz/run.sh "$fuzz_seconds" > "$build/fuzz.log" 2>&1; then
    grep -E "^== |^Done [0-9]+ runs" "$build/fuzz.log"
  else
    fuzz_status=1
    tail -n 80 "$build/fuzz.log"
  fi
fi

# One closing line for humans and CI: meson's own counts, plus the fuzz run as one test.
python3 - "$build/meson-logs/testlog.json" "$fuzz_status" <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): passed += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
if sys.argv[2] == "0": passed += 1
else: failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
[ "$status" -eq 0 ] && [ "$fuzz_status" -eq 0 ]
