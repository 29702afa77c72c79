#!/bin/sh
# sipcheck_corpus.sh SIPCHECK valid|invalid CORPUS_DIR PATTERN...
# Runs trunkgate-sipcheck on each file matching the patterns (relative to CORPUS_DIR) alone.
# "valid": each must exit 0 with an "OK" line. "invalid": each must exit 1 with a
# "REJECTED <reason>" line. Fails if a pattern matches nothing.
set -u
sipcheck=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: the loop runs in the corpus
expect=$2 dir=$3
shift 3
cd "$dir" || exit 2
files=0 failures=0
for pattern in "$@"; do
  matched=0
  for f in $pattern; do
    [ -f "$f" ] || continue
    matched=1 files=$((files + 1))
    out=$("$sipcheck" "$f")
    rc=$?
    if [ "$expect" = valid ]; then
      case "$rc:$out" in 0:*": OK "*) ;; *) echo "expected OK: $out (exit $rc)"; failures=$((failures + 1)) ;; esac
    else
      case "$rc:$out" in 1:*": REJECTED "?*) echo "$out" ;; *) echo "expected REJECTED: $out (exit $rc)"; failures=$((failures + 1)) ;; esac
    fi
  done
  [ "$matched" -eq 1 ] || { echo "no file matches $pattern"; failures=$((failures + 1)); }
done
echo "$files files, $failures unexpected"
[ "$failures" -eq 0 ]
