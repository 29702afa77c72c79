#!/usr/bin/env bash
# Test and demo topology: three network namespaces joined by veth pairs, all on this machine.
#
#   <prefix>pbx  (pbx0 192.0.2.10/24, 2001:db8:1::10/64)
#        | veth
#   <prefix>gw   (<prefix>pbx0 and <prefix>car0 without addresses: trunkgate-dp's af_packet ports;
#                 the gateway's addresses 192.0.2.1 / 198.51.100.1 live on its TAPs)
#        | veth
#   <prefix>car  (car0 198.51.100.10/24, 2001:db8:2::10/64)
#
# usage: netns.sh up|down [PREFIX]     (PREFIX defaults to "tg-"; names stay <= 15 characters)
set -euo pipefail
action=${1:-}
p=${2:-tg-}

down() {
  for ns in "${p}pbx" "${p}car" "${p}gw"; do ip netns del "$ns" 2>/dev/null || true; done
}

side() {  # side NAME PEER_IF ADDR4 GW4 ADDR6 GW6
  local name=$1 ifname=$2 a4=$3 g4=$4 a6=$5 g6=$6
  ip link add "${p}${name}0" netns "${p}gw" type veth peer name "$ifname" netns "${p}${name}"
  # The gateway-side veth belongs to trunkgate-dp (af_packet). Its MAC is also the TAP's, so the
  # kernel would take frames on it as its own and answer twice (once directly, once via the TAP)
  # or send ICMP port-unreachable for media. Keep the kernel's stack off it: no IPv6, no ARP
  # answers, and strict reverse-path filtering, which drops every IPv4 packet since no route
  # points at it. af_packet still gets every frame. Do the same for any af_packet port.
  ip netns exec "${p}gw" sysctl -qw "net.ipv6.conf.${p}${name}0.disable_ipv6=1"
  ip netns exec "${p}gw" sysctl -qw "net.ipv4.conf.${p}${name}0.arp_ignore=8"
  ip netns exec "${p}gw" sysctl -qw "net.ipv4.conf.${p}${name}0.rp_filter=1"
  ip -n "${p}gw" link set "${p}${name}0" up
  ip netns exec "${p}${name}" sysctl -qw "net.ipv6.conf.${ifname}.accept_dad=0"
  ip -n "${p}${name}" addr add "$a4" dev "$ifname"
  ip -n "${p}${name}" addr add "$a6" dev "$ifname" nodad
  # veth hands packets over with checksums left to "offload" (only the pseudo-header sum is in the
  # UDP checksum field); af_packet would see that. A wire never carries such frames, so the peers
  # compute full checksums, as real hosts behind a NIC do.
  ip netns exec "${p}${name}" ethtool -K "$ifname" tx off >/dev/null
  ip -n "${p}${name}" link set "$ifname" up
  ip -n "${p}${name}" link set lo up
  ip -n "${p}${name}" route add default via "$g4"
  ip -n "${p}${name}" -6 route add default via "$g6"
}

up() {
  down
  for ns in "${p}gw" "${p}pbx" "${p}car"; do ip netns add "$ns"; done
  ip -n "${p}gw" link set lo up
  side pbx pbx0 192.0.2.10/24 192.0.2.1 2001:db8:1::10/64 2001:db8:1::1
  side car car0 198.51.100.10/24 198.51.100.1 2001:db8:2::10/64 2001:db8:2::1
}

case "$action" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down [PREFIX]" >&2; exit 2 ;;
esac
