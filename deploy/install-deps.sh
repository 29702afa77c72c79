#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of trunkgate from Debian 12 packages.
# Idempotent: packages already present are skipped by apt; quiet unless something fails.
set -euo pipefail

PACKAGES=(
  # build
  build-essential meson ninja-build pkg-config clang-format
  # data plane
  libdpdk-dev dpdk
  # SIP stack and control plane
  libssl-dev libc-ares-dev libyaml-cpp-dev libjemalloc-dev libspdlog-dev
  libmicrohttpd-dev   # trunkgate-cp's /metrics endpoint
  # media
  libsrtp2-dev libipsec-mb-dev libbcg729-dev libspandsp-dev
  # management
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev sip-tester iproute2 iputils-ping ethtool
  clang libfuzzer-14-dev libclang-rt-14-dev python3 tcpdump
  systemd             # systemd-analyze verify of deploy/systemd in the tests
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: must run as root (apt-get install)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  echo "install-deps: apt-get failed; its output:" >&2
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "install-deps: done"
