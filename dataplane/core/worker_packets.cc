// The fast path: classify a burst, hand foreign packets to their owners, look up the rest in one
// bulk hash lookup, and relay each packet by swapping its headers for the flow's template.
#include <rte_ethdev.h>
#include <rte_prefetch.h>

#include <cstring>
#include <span>

#include "dataplane/core/checksum.h"
#include "dataplane/core/srtp_stage.h"
#include "media/rtp/rtcp_header.h"
#include "media/rtp/rtp_header.h"
#include "dataplane/core/worker.h"

namespace trunkgate::dp {
namespace {

using channel::Family;

void make_key(const ParsedPacket& p, FlowHashKey& k) {
  std::memset(&k, 0, sizeof(k));
  k.key.addr.family = p.family;
  std::memcpy(k.key.addr.bytes, p.dst_addr, p.family == Family::kIPv4 ? 4 : 16);
  k.key.port = p.dst_port;
}

// Constant-size copies compile to a few vector moves; the common header sizes get one each.
void copy_template(uint8_t* dst, const HeaderTemplate& t) {
  switch (t.len) {
    case 42: std::memcpy(dst, t.bytes, 42); break;  // IPv4
    case 46: std::memcpy(dst, t.bytes, 46); break;  // VLAN + IPv4
    case 62: std::memcpy(dst, t.bytes, 62); break;  // IPv6
    default: std::memcpy(dst, t.bytes, t.len);
  }
}

enum class RtpKind : uint8_t { kInvalid, kRtp, kRtcp };

// RFC 5761 section 4 demultiplexing (a second byte of 192..223 is RTCP), then RFC 3550 validity:
// RTP headers in full (CSRCs, extension, padding), RTCP down to its fixed header. Under SRTP the
// padding count is encrypted: only the header is checked until the SRTP stage has authenticated it.
RtpKind relay_kind(const uint8_t* payload, uint16_t len, bool encrypted) {
  const std::span<const uint8_t> packet(payload, len);
  switch (media::classify_muxed_packet(packet)) {
    case media::MuxedKind::rtcp:
      return len >= media::kRtcpHeaderSize ? RtpKind::kRtcp : RtpKind::kInvalid;
    case media::MuxedKind::rtp: {
      media::RtpHeader header;
      const media::RtpError e =
          encrypted ? media::parse_rtp_header(packet, header) : media::parse_rtp(packet, header);
      return e == media::RtpError::ok ? RtpKind::kRtp : RtpKind::kInvalid;
    }
    case media::MuxedKind::invalid:
      break;
  }
  return RtpKind::kInvalid;
}

bool accepts(uint32_t flags, RtpKind kind) {
  if (flags & channel::kFlowRtcp) return kind == RtpKind::kRtcp;
  return kind == RtpKind::kRtp || (kind == RtpKind::kRtcp && (flags & channel::kFlowRtcpMux));
}

bool same_source(const channel::Endpoint& peer, const ParsedPacket& p) {
  return peer.port == p.src_port && peer.addr.family == p.family &&
         std::memcmp(peer.addr.bytes, p.src_addr, p.family == Family::kIPv4 ? 4 : 16) == 0;
}

}  // namespace

void Worker::drop(rte_mbuf* m, channel::WorkerDrop why) {
  ++c_.drops[why];
  rte_pktmbuf_free(m);
}

void Worker::to_exception(rte_mbuf* m) {
  rte_ring* ring = m->port < s_.exception.size() ? s_.exception[m->port] : nullptr;
  if (ring == nullptr || rte_ring_enqueue(ring, m) != 0) {
    drop(m, channel::kDropExceptionFull);
    return;
  }
  ++c_.exception;
}

void Worker::process(rte_mbuf** pkts, unsigned n, bool from_wire) {
  FlowHashKey keys[kBurst];
  const FlowHashKey* key_ptrs[kBurst];
  ParsedPacket parsed[kBurst];
  rte_mbuf* media[kBurst];
  int32_t positions[kBurst];
  unsigned m = 0;
  c_.rx += n;
  for (unsigned i = 0; i < n; ++i) rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void*));
  for (unsigned i = 0; i < n; ++i) {
    rte_mbuf* pkt = pkts[i];
    const ParsedPacket p =
        parse_frame(rte_pktmbuf_mtod(pkt, const uint8_t*), rte_pktmbuf_data_len(pkt), s_.media);
    if (p.verdict == Verdict::kDrop) {
      drop(pkt, p.drop);
      continue;
    }
    if (p.verdict == Verdict::kException) {
      to_exception(pkt);
      continue;
    }
    const unsigned owner = channel::owner_of_port(p.dst_port, s_.n_workers);
    if (from_wire && owner != s_.index) {
      out_handoff_[owner].push_back(pkt);
      continue;
    }
    make_key(p, keys[m]);
    key_ptrs[m] = &keys[m];
    parsed[m] = p;
    media[m++] = pkt;
  }
  if (from_wire) flush_handoff();  // at most kBurst queued: the vectors never grow past reserve
  if (m == 0) return;
  flows_.lookup_bulk(key_ptrs, m, positions);
  // Both hot cache lines of every entry are requested before the first is used.
  for (unsigned j = 0; j < m; ++j) {
    if (positions[j] < 0) continue;
    const char* entry = reinterpret_cast<const char*>(&flows_.at(positions[j]));
    rte_prefetch0(entry);
    rte_prefetch0(entry + RTE_CACHE_LINE_SIZE);
  }
  for (unsigned j = 0; j < m; ++j) {
    if (positions[j] < 0) {
      drop(media[j], channel::kDropUnknownFlow);
      continue;
    }
    forward(flows_.at(positions[j]), positions[j], media[j], parsed[j]);
  }
  finish_srtp();
}

bool Worker::latch(FlowEntry& e, const ParsedPacket& p) {
  e.peer = channel::Endpoint{};
  e.peer.addr.family = p.family;
  std::memcpy(e.peer.addr.bytes, p.src_addr, p.family == Family::kIPv4 ? 4 : 16);
  e.peer.port = p.src_port;
  e.latched = 1;
  emit(channel::EventType::kLatched, 0, channel::CommandError::kNone, e.spec.key, &e);
  if (e.spec.reverse.addr.family == Family::kNone) return true;
  FlowEntry* reverse = flows_.find(e.spec.reverse);
  if (reverse == nullptr) {
    emit(channel::EventType::kCommandError, 0, channel::CommandError::kReverseNotFound,
         e.spec.reverse, &e);
    return false;
  }
  if (reverse->remote.addr.family == e.peer.addr.family) retarget(*reverse, e.peer);
  return true;
}

void Worker::flow_drop(FlowEntry& e, rte_mbuf* m, channel::FlowDrop why) {
  ++e.drops[why];
  drop(m, worker_drop_of(why));
}

bool Worker::next_hop_mac(FlowEntry& e, uint8_t dst_mac[6]) {
  if (e.neighbor == NeighborTable::kNone) e.neighbor = s_.neighbors->find(e.next_hop);
  if (e.neighbor != NeighborTable::kNone && s_.neighbors->mac(e.neighbor, dst_mac)) return true;
  if (!e.neighbor_requested) e.neighbor_requested = s_.neighbors->request(e.next_hop);
  return false;
}

void Worker::hold_for_neighbor(FlowEntry& e, rte_mbuf* m, const ParsedPacket& p, bool rtcp) {
  if (waiting_.full()) {
    flow_drop(e, m, channel::kFlowDropNoNeighbor);
    return;
  }
  ++e.held;
  e.flags |= kEntryHolding;
  waiting_.hold({m, now_, e.spec.key, p, rtcp});
}

bool Worker::release_held() {
  const size_t before = waiting_.size();
  waiting_.offer([this](HeldPacket& h) {
    const int32_t position = flows_.position(h.key);  // deletions drop their held packets first
    FlowEntry& e = flows_.at(position);
    uint8_t dst_mac[6];
    const bool resolved = next_hop_mac(e, dst_mac);
    if (!resolved && now_ - h.since_tsc < kNeighborWaitMs * ms_tsc_) return false;
    if (--e.held == 0) e.flags &= ~kEntryHolding;
    if (resolved)
      send_on(e, position, h.m, h.parsed, h.rtcp, dst_mac);
    else
      flow_drop(e, h.m, channel::kFlowDropNoNeighbor);
    return true;
  });
  return waiting_.size() != before;
}

void Worker::drop_held(FlowEntry& e) {
  if (!(e.flags & kEntryHolding)) return;
  waiting_.offer([this, &e](HeldPacket& h) {
    if (std::memcmp(&h.key, &e.spec.key, sizeof(h.key)) != 0) return false;
    flow_drop(e, h.m, channel::kFlowDropNoNeighbor);
    return true;
  });
  e.held = 0;
  e.flags &= ~kEntryHolding;
}

void Worker::forward(FlowEntry& e, int32_t position, rte_mbuf* m, const ParsedPacket& p) {
  uint8_t* data = rte_pktmbuf_mtod(m, uint8_t*);
  uint8_t* payload = data + p.payload_offset;
  const RtpKind kind = relay_kind(payload, p.payload_len, e.flags & kEntrySrtpIn);
  ++e.received;
  if (!accepts(e.flags, kind)) {
    flow_drop(e, m, channel::kFlowDropInvalidRtp);
    return;
  }
  e.last_seen_tsc = now_;
  e.timed_out = 0;
  if (e.flags & channel::kFlowLatch) {
    if (!e.latched) {
      latch(e, p);
    } else if ((e.flags & channel::kFlowStrictSource) && !same_source(e.peer, p)) {
      flow_drop(e, m, channel::kFlowDropSource);
      return;
    }
  }
  uint8_t dst_mac[6];
  if ((e.flags & kEntryHolding) || !next_hop_mac(e, dst_mac)) {  // never overtake held packets
    hold_for_neighbor(e, m, p, kind == RtpKind::kRtcp);
    return;
  }
  send_on(e, position, m, p, kind == RtpKind::kRtcp, dst_mac);
}

void Worker::send_on(FlowEntry& e, int32_t position, rte_mbuf* m, const ParsedPacket& p,
                     bool rtcp, const uint8_t* dst_mac) {
  uint8_t* data = rte_pktmbuf_mtod(m, uint8_t*);
  uint8_t* payload = data + p.payload_offset;
  // The payload sum is read before the headers go (from the received UDP checksum when there is
  // one): header rewrites then update it incrementally, with no payload walk.
  uint16_t sum = p.udp_checksum != 0 ? payload_sum_from_udp_checksum(p.family, p.src_addr,
                                                                     p.dst_addr, data + p.l4_offset)
                                     : payload_ones_sum(payload, p.payload_len);

  // Strip the received headers (and any Ethernet padding): m holds exactly the UDP payload.
  const uint16_t tail = static_cast<uint16_t>(rte_pktmbuf_data_len(m) - p.payload_offset -
                                              p.payload_len);
  if (tail != 0) rte_pktmbuf_trim(m, tail);
  rte_pktmbuf_adj(m, p.payload_offset);
  if (e.flags & kEntryTreated) {
    forward_treated(e, position, m, rtcp, sum, dst_mac);
    return;
  }
  if ((e.flags & channel::kFlowReportEvents) && !rtcp && (payload[1] & 0x7f) == e.spec.event_pt)
    report_relayed_event(e, payload, p.payload_len);
  if (e.flags & channel::kFlowTranslateRtp)
    sum = rtcp ? translate_rtcp(payload, e.xlate, sum) : translate_rtp(payload, e.xlate, sum);
  transmit(e, position, m, p.payload_len, sum, dst_mac, rtcp);
}

void Worker::transmit(FlowEntry& e, int32_t position, rte_mbuf* m, uint16_t payload_len,
                      uint16_t sum, const uint8_t* dst_mac, bool rtcp) {
  uint8_t* hdr = reinterpret_cast<uint8_t*>(rte_pktmbuf_prepend(m, e.tmpl.len));
  if (hdr == nullptr) {  // cannot happen with DPDK's headroom; never trust it blindly
    drop(m, channel::kDropMalformed);
    return;
  }
  copy_template(hdr, e.tmpl);
  std::memcpy(hdr, dst_mac, 6);
  finish_headers(hdr, e.tmpl, payload_len, sum, e.tx_offload);
  if (e.tx_offload) {
    m->l2_len = e.tmpl.l3_offset;
    m->l3_len = static_cast<uint16_t>(e.tmpl.l4_offset - e.tmpl.l3_offset);
    m->ol_flags = RTE_MBUF_F_TX_UDP_CKSUM |
                  (e.tmpl.family == Family::kIPv4 ? RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM
                                                  : RTE_MBUF_F_TX_IPV6);
  } else {
    m->ol_flags = 0;
  }
  ++e.packets;
  e.bytes += payload_len;
  if (rtcp) ++e.rtcp_packets;

  TxBatch& b = tx_[e.out_port];
  b.pkts[b.n] = m;
  b.flow[b.n++] = position;
  if (b.n == std::size(b.pkts)) flush_tx();
}

void Worker::flush_tx() {
  for (size_t port = 0; port < tx_.size(); ++port) {
    TxBatch& b = tx_[port];
    if (b.n == 0) continue;
    const TxQueue& q = s_.tx[port];
    if (q.lock != nullptr) rte_spinlock_lock(q.lock);
    const uint16_t sent = rte_eth_tx_burst(static_cast<uint16_t>(port), q.queue, b.pkts,
                                           static_cast<uint16_t>(b.n));
    if (q.lock != nullptr) rte_spinlock_unlock(q.lock);
    c_.tx += sent;
    for (unsigned i = sent; i < b.n; ++i) {
      FlowEntry& e = flows_.at(b.flow[i]);
      --e.packets;  // counted as forwarded before TX refused it
      ++e.drops[channel::kFlowDropTxFull];
      drop(b.pkts[i], channel::kDropTxFull);
    }
    b.n = 0;
  }
}

void Worker::flush_handoff() {
  for (unsigned w = 0; w < out_handoff_.size(); ++w) {
    std::vector<rte_mbuf*>& v = out_handoff_[w];
    if (v.empty()) continue;
    const unsigned sent = rte_ring_enqueue_burst(s_.handoff[w], reinterpret_cast<void**>(v.data()),
                                                 static_cast<unsigned>(v.size()), nullptr);
    c_.handoff += sent;
    for (size_t i = sent; i < v.size(); ++i) drop(v[i], channel::kDropHandoffFull);
    v.clear();
  }
}

}  // namespace trunkgate::dp
