#!/usr/bin/env bash
# Prepares a host for trunkgate-dp: reserves hugepages (setup-hugepages.sh) and binds the given
# NICs to a DPDK-capable driver (vfio-pci by default) with dpdk-devbind.py (Debian package dpdk).
#
# usage: setup-dpdk-host.sh [--dry-run] [--hugepages N] [--driver vfio-pci|uio_pci_generic]
#                           PCI_ADDRESS...
#   --dry-run     check everything and print the commands, change nothing (no root needed)
#   --hugepages   2 MB pages to reserve (default 1024 = 2 GiB)
#   --driver      vfio-pci (default; needs an IOMMU, or see deploy/README.md) or uio_pci_generic
#
# Refuses, before changing anything: addresses that are not PCI network devices, and devices the
# kernel uses now (dpdk-devbind.py marks them *Active*: they carry routes, e.g. the management
# interface; binding one would cut this host off).
set -euo pipefail

dry_run=0
pages=1024
driver=vfio-pci
devices=()
usage() { sed -n '5,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --hugepages) pages=${2:?--hugepages needs a number}; shift ;;
    --driver) driver=${2:?--driver needs a name}; shift ;;
    -h|--help) usage ;;
    -*) echo "setup-dpdk-host: unknown option $1" >&2; usage ;;
    *) devices+=("$1") ;;
  esac
  shift
done

fail() { echo "setup-dpdk-host: $*" >&2; exit 1; }
run() {
  if [ "$dry_run" -eq 1 ]; then echo "would run: $*"; else echo "running: $*"; "$@"; fi
}

[[ "$pages" =~ ^[0-9]+$ ]] || fail "--hugepages: '$pages' is not a number"
case "$driver" in vfio-pci|uio_pci_generic) ;; *) fail "--driver: '$driver' is not vfio-pci or uio_pci_generic" ;; esac
[ ${#devices[@]} -gt 0 ] || fail "no PCI address given (see: dpdk-devbind.py --status-dev net)"
command -v dpdk-devbind.py >/dev/null || fail "dpdk-devbind.py not found (Debian package dpdk)"
[ "$dry_run" -eq 1 ] || [ "$(id -u)" -eq 0 ] || fail "must run as root (or with --dry-run)"

status=$(dpdk-devbind.py --status-dev net 2>/dev/null)
for dev in "${devices[@]}"; do
  # dpdk-devbind.py also takes short forms; the full form keeps the checks below exact.
  [[ "$dev" =~ ^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$ ]] ||
    fail "'$dev' is not a PCI address of the form 0000:3b:00.0"
  [ -e "/sys/bus/pci/devices/$dev" ] || fail "$dev: no such PCI device"
  line=$(grep -F "$dev " <<<"$status" || true)
  [ -n "$line" ] || fail "$dev: not a network device (dpdk-devbind.py --status-dev net)"
  if grep -qF "*Active*" <<<"$line"; then
    fail "$dev is in use by the kernel ($line); refusing to unbind it"
  fi
  echo "setup-dpdk-host: $line"
done

if [ "$driver" = vfio-pci ] && [ -z "$(ls -A /sys/kernel/iommu_groups 2>/dev/null)" ]; then
  echo "setup-dpdk-host: warning: no IOMMU groups: enable the IOMMU (intel_iommu=on / amd_iommu=on)," \
    "or use vfio's no-IOMMU mode (see deploy/README.md)" >&2
fi

here=$(dirname "$(readlink -f "$0")")
if [ "$dry_run" -eq 1 ]; then
  echo "would run: $here/setup-hugepages.sh $pages"
else
  "$here/setup-hugepages.sh" "$pages"
fi
run modprobe "$driver"
run dpdk-devbind.py --bind="$driver" "${devices[@]}"
[ "$dry_run" -eq 1 ] || dpdk-devbind.py --status-dev net
