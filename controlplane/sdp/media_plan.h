// From two legs' negotiated media to data-plane flows. A call's media crosses the gateway in two
// directions; each direction is one RTP flow (keyed by the gateway's address and port on the leg
// the packets arrive on) and one RTCP flow on port + 1. The flow's treatment follows from the two
// legs' LegMedia: plain relay with payload-type mapping when the codecs match, transcoding when
// they differ, SRTP unprotect on the way in and protect on the way out per leg.
#pragma once

#include <cstdint>
#include <vector>

#include "controlplane/sdp/media_negotiation.h"
#include "dataplane/channel/schema.h"

namespace trunkgate::cp {

// One leg's side of the gateway: where its peer sends to (our address and RTP port on the leg's
// data-plane interface) and what was negotiated with that peer.
struct LegSide {
  uint16_t interface = 0;       // data-plane interface index
  channel::IpAddr local{};      // our media address on that interface
  uint16_t local_rtp_port = 0;  // even; RTCP is local_rtp_port + 1
  LegMedia media;               // remote address/ports, codec, keys
  bool latch = true;            // learn the peer's real source (NAT) from its first packet
};

struct FlowOptions {
  uint64_t cookie = 0;            // the call's id, echoed in every event about its flows
  uint32_t media_timeout_ms = 0;  // 0: no media-timeout events
  uint8_t dscp = 46;              // EF
};

// The flows carrying media from `from`'s peer to `to`'s peer: RTP (and RTCP unless transcoding,
// where RTCP is not relayed because the two sides' streams differ), as kAddFlow or kModifyFlow
// commands. Each flow is keyed on (from.local, port), sends from (to.local, port) on
// to.interface to the peer's RTP port or its RTCP port (a=rtcp, else RTP + 1); `reverse` is the
// opposite direction's key, so latching (kFlowLatch when from.latch) retargets it. A relay keeps
// SSRC, sequence numbers and timestamps (no kFlowTranslateRtp) and maps payload and
// telephone-event types only where the legs' numbers differ. A transcoded flow renumbers
// telephone-events into its stream when both legs negotiated them. When only `from` negotiated
// them they are played as in-band tones towards `to` (transcoded, or a G.711 relay); when only
// `to` did, in-band digits of a G.711 `from` become events (a relay then translates SSRC and
// sequence numbers, kFlowTranslateRtp with a random out_ssrc, to make room for them). A
// transcoded flow gets kTreatComfortNoise with the G.711 leg's cn_pt when that leg negotiated CN
// (both directions: SIDs become CN towards it, its CN is consumed); otherwise the transcoded G.711
// output stays continuous (SIPconnect 2.0 section 14.3). A relay passes CN unchanged (the legs'
// CN numbers are equal by negotiation, media_negotiation.h). SRTP: unprotect with
// from.media.peer_key, protect with to.media.our_key, on RTP and RTCP alike. The media timeout
// applies to RTP only. Returns no commands when `to`'s peer has no usable address (hold with
// 0.0.0.0 or "::", port 0, or an address of the other family than to.local): the caller keeps the
// flows it has; and none when the legs' codecs are not negotiated or not bridgeable.
std::vector<channel::Command> direction_commands(channel::CommandType type, const LegSide& from,
                                                 const LegSide& to, const FlowOptions& options);

// Deletes every flow keyed on this leg's ports (RTP and RTCP). A transcoded call has no RTCP flow,
// so its RTCP delete is answered kNoSuchFlow.
std::vector<channel::Command> delete_commands(const LegSide& leg);

// True when the two legs need the transcoder (different codecs).
inline bool needs_transcoding(const LegMedia& a, const LegMedia& b) {
  return a.codec != b.codec;
}

}  // namespace trunkgate::cp
