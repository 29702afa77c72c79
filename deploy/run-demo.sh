#!/usr/bin/env bash
# Installs, builds and runs trunkgate-dp on its embedded default configuration between demo
# network namespaces, programs a bidirectional RTP relay and pushes a demo RTP "call" through it
# (50 packets each way at 20 ms), then stops the gateway. usage: sudo deploy/run-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
deploy/install-deps.sh
deploy/setup-hugepages.sh 256
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" dataplane/app/trunkgate-dp tools/flowctl/trunkgate-flowctl tools/rtpgen/trunkgate-rtpgen | tail -n 1
deploy/netns.sh up tg-
trap 'kill -INT $dp 2>/dev/null; wait $dp 2>/dev/null; deploy/netns.sh down tg-' EXIT
ip netns exec tg-gw "$build/dataplane/app/trunkgate-dp" &
dp=$!
flowctl="ip netns exec tg-gw $build/tools/flowctl/trunkgate-flowctl"
for _ in $(seq 100); do $flowctl interfaces >/dev/null 2>&1 && break; sleep 0.1; done
$flowctl interfaces
# PBX 192.0.2.10:40000 <-> gateway 192.0.2.1:20000 | gateway 198.51.100.1:20002 <-> carrier :30000
$flowctl add --key 192.0.2.1:20000 --remote 198.51.100.10:30000 --source 198.51.100.1:20002 --iface 1
$flowctl add --key 198.51.100.1:20002 --remote 192.0.2.10:40000 --source 192.0.2.1:20000 --iface 0
echo "PBX -> carrier:"
"$build/tools/rtpgen/trunkgate-rtpgen" --tx-netns tg-pbx --rx-netns tg-car \
  --dst 192.0.2.1:20000 --rx-bind 198.51.100.10:30000 --src-port 40000 --packets 50
echo "carrier -> PBX:"
"$build/tools/rtpgen/trunkgate-rtpgen" --tx-netns tg-car --rx-netns tg-pbx \
  --dst 198.51.100.1:20002 --rx-bind 192.0.2.10:40000 --src-port 30000 --packets 50
$flowctl stats
