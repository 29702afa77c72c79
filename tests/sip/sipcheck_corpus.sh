#!/bin/sh
# sipcheck_corpus.sh SIPCHECK valid|invalid CORPUS_DIR FILE...
# Runs trunkgate-sipcheck on each file alone. "valid": each must exit 0 with an "OK" line.
# "invalid": each must exit non-zero with a "REJECTED <reason>" line naming a reason.
set -u
sipcheck=$1 expect=$2 dir=$3
shift 3
failures=0
for f in "$@"; do
  out=$("$sipcheck" "$dir/$f")
  rc=$?
  if [ "$expect" = valid ]; then
    case "$rc:$out" in 0:*": OK "*) ;; *) echo "expected OK: $out (exit $rc)"; failures=$((failures + 1)) ;; esac
  else
    case "$rc:$out" in 1:*": REJECTED "?*) echo "$out" ;; *) echo "expected REJECTED: $out (exit $rc)"; failures=$((failures + 1)) ;; esac
  fi
done
echo "$# files, $failures unexpected"
[ "$failures" -eq 0 ]
