#!/bin/sh
# tests/fuzz/run.sh SECONDS
# Builds the libFuzzer targets (sip message and SDP parsers) in a separate clang build with
# AddressSanitizer and UndefinedBehaviorSanitizer, seeds them from tests/sip/corpus, and runs each
# for SECONDS. Exits non-zero on a crash, a sanitizer report or a leak.
set -eu
seconds=${1:?usage: run.sh SECONDS}
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-fuzz"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$build" "$root" -Dfuzzers=enabled \
    -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$build" -j2 tests/sip/sip-message-fuzzer tests/sip/sdp-fuzzer

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/message" "$work/sdp"
# Seeds: every corpus message, and the body (text after the first empty line) of those with SDP.
n=0
for f in "$root"/tests/sip/corpus/*/*.sip "$root"/tests/sip/corpus/*/*/*.sip; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  cp "$f" "$work/message/seed-$n"
  if grep -q '^v=0' "$f"; then
    sed -n '/^v=0/,$p' "$f" > "$work/sdp/seed-$n"
  fi
done
echo "seeded $n messages"

status=0
for target in sip-message-fuzzer sdp-fuzzer; do
  corpus="$work/message"
  [ "$target" = sdp-fuzzer ] && corpus="$work/sdp"
  echo "== $target for ${seconds}s"
  # Artifacts (crashing inputs) land in the build dir so they survive the temporary corpus.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$build/tests/sip/$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 \
    -artifact_prefix="$build/$target-" -print_final_stats=1 "$corpus" || status=1
done
exit $status
