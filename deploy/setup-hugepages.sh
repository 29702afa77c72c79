#!/usr/bin/env bash
# Reserves and mounts 2 MB hugepages for trunkgate-dp. Best effort: where the kernel refuses
# (containers, small machines), trunkgate-dp falls back to ordinary memory (--no-huge) by itself
# and says so at start-up. usage: setup-hugepages.sh [PAGES]   (default 512 = 1 GiB)
set -u
pages=${1:-512}
mnt=/dev/hugepages
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-hugepages: not root; trunkgate-dp will use --no-huge" >&2
  exit 0
fi
echo "$pages" > /proc/sys/vm/nr_hugepages 2>/dev/null || true
mkdir -p "$mnt"
grep -qs " $mnt hugetlbfs " /proc/mounts || mount -t hugetlbfs nodev "$mnt" 2>/dev/null || true
free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
if grep -qs " $mnt hugetlbfs " /proc/mounts && [ "${free:-0}" -gt 0 ]; then
  echo "setup-hugepages: $free free 2 MB pages at $mnt"
else
  echo "setup-hugepages: no hugepages available here; trunkgate-dp will use --no-huge"
fi
