#!/usr/bin/env bash
# Installs, builds and runs the gateway (trunkgate-dp + trunkgate-cp) on their embedded default
# configurations between demo network namespaces, and places one demo call through it: a SIPp
# "PBX" calls a SIPp "carrier" through the B2BUA, plays 8 s of G.711 A-law (SIPp's g711a.pcap) and
# an RFC 4733 digit; the carrier echoes the media back. Prints the call's result, its CDR and the
# data plane's counters, then stops everything. usage: sudo deploy/run-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
deploy/install-deps.sh
deploy/setup-hugepages.sh 256
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" dataplane/app/trunkgate-dp controlplane/app/trunkgate-cp \
  tools/flowctl/trunkgate-flowctl | tail -n 1
build=$(cd "$build" && pwd)
work=$(mktemp -d /tmp/trunkgate-demo.XXXXXX)
ln -s /usr/share/sip-tester "$work/pcap"  # SIPp's uac_pcap plays pcap/g711a.pcap
pids=()
cleanup() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do  # last started first: the data plane stops last
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  deploy/netns.sh down tg-
}
deploy/netns.sh up tg-
trap cleanup EXIT
in_ns() { local ns=$1; shift; ip netns exec "tg-$ns" "$@"; }
wait_for() {  # wait_for WHAT COMMAND...: up to 30 s
  local what=$1; shift
  for _ in $(seq 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "demo: $what did not come up; logs in $work" >&2
  exit 1
}

# Background processes are exec'd, so the pids recorded are theirs and cleanup stops them.
(exec ip netns exec tg-gw "$build/dataplane/app/trunkgate-dp") >"$work/dp.log" 2>&1 &
pids+=($!)
flowctl() { in_ns gw "$build/tools/flowctl/trunkgate-flowctl" "$@"; }
wait_for "trunkgate-dp" flowctl interfaces
(cd "$work" && exec ip netns exec tg-gw "$build/controlplane/app/trunkgate-cp") \
  >"$work/cp.log" 2>&1 &
pids+=($!)
wait_for "trunkgate-cp" grep -q "trunkgate-cp running" "$work/cp.log"
# The carrier: the test suite's basic-call UAS (answers PCMA, waits for the BYE), echoing RTP.
sed 's/@PLAY@//' tests/e2e/sipp/uas_call.xml >"$work/carrier-uas.xml"
(cd "$work" && exec ip netns exec tg-car sipp -sf carrier-uas.xml -i 198.51.100.10 -p 5060 \
  -rtp_echo -nostdin) >"$work/uas.log" 2>&1 &
pids+=($!)
echo "demo: calling +1 966 555 1234 from the PBX through the gateway (8 s of audio)..."
(cd "$work" && ip netns exec tg-pbx sipp -sn uac_pcap 192.0.2.1:5060 -i 192.0.2.10 -p 5061 \
  -s 19665551234 -m 1 -nostdin -timeout 60s -trace_stat -stf "$work/uac.csv") \
  >"$work/uac.log" 2>&1 && result=ok || result=failed
echo "demo: call $result (SIPp logs in $work)"
echo "--- CDR (trunkgate-cp, JSON line) ---"
cat "$work/trunkgate-cdr.jsonl" 2>/dev/null || echo "(none written)"
echo "--- data plane counters ---"
flowctl stats
[ "$result" = ok ]
