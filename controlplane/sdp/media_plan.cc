// The flows of one direction of a call's media, and the treatment that makes the two legs'
// negotiated media meet: payload-type maps for a relay, the transcoder when the codecs differ,
// SRTP unprotect and protect per leg. Every block is built to pass the data plane's checks
// (Worker::validate, dataplane/core/treatment_validation.cc).
#include "controlplane/sdp/media_plan.h"

#include "controlplane/sdp/sdes.h"
#include "dataplane/channel/client.h"

namespace trunkgate::cp {
namespace {

using channel::Codec;

channel::Endpoint endpoint(const channel::IpAddr& addr, uint16_t port) {
  channel::Endpoint e{};
  e.addr = addr;
  e.port = port;
  return e;
}

bool valid_pt(int pt) {
  return pt >= 0 && pt <= 127;
}

// DTMF across the gateway (SIPconnect 2.0 section 14.5). Both legs with telephone-event: a
// transcoded flow renumbers the events into its own stream (a relay maps them in relay_maps).
// Only `in` with it: the events are played as tones towards `out` (into the transcoder's audio,
// or written into a G.711 relay's packets). Only `out` with it: tones detected in `in`'s G.711
// become events, muted in the audio (a relay then renumbers its stream: see direction_commands).
void dtmf_interworking(const LegMedia& in, const LegMedia& out, channel::MediaTreatment& t) {
  const bool transcoding = t.stages & channel::kTreatTranscode;
  const bool in_events = valid_pt(in.telephone_event_pt);
  const bool out_events = valid_pt(out.telephone_event_pt);
  const channel::DtmfDetectParams in_audio{
      static_cast<uint8_t>(in.codec), static_cast<uint8_t>(in.pt), {}};
  if (transcoding && in_events && out_events) {
    t.stages |= channel::kTreatEventMap;
    t.pt_map.event_in = static_cast<uint8_t>(in.telephone_event_pt);
    t.pt_map.event_out = static_cast<uint8_t>(out.telephone_event_pt);
  } else if (in_events && !out_events && (transcoding || is_g711(in.codec))) {
    t.stages |= channel::kTreatEventsToTones;
    t.pt_map.event_in = static_cast<uint8_t>(in.telephone_event_pt);
    if (!transcoding) t.dtmf = in_audio;
  } else if (!in_events && out_events && is_g711(in.codec)) {
    t.stages |= channel::kTreatTonesToEvents;
    t.pt_map.event_out = static_cast<uint8_t>(out.telephone_event_pt);
    t.dtmf = in_audio;
  }
}

// Payload-type maps for a relay; a map whose input equals its output would be a no-op, so it is
// left out (a flow without stages needs no treatment slot in the worker).
void relay_maps(const LegMedia& in, const LegMedia& out, channel::MediaTreatment& t) {
  if (in.pt != out.pt) {
    t.stages |= channel::kTreatPayloadMap;
    t.pt_map.audio_in = static_cast<uint8_t>(in.pt);
    t.pt_map.audio_out = static_cast<uint8_t>(out.pt);
  }
  if (in.telephone_event_pt >= 0 && out.telephone_event_pt >= 0 &&
      in.telephone_event_pt != out.telephone_event_pt) {
    t.stages |= channel::kTreatEventMap;
    t.pt_map.event_in = static_cast<uint8_t>(in.telephone_event_pt);
    t.pt_map.event_out = static_cast<uint8_t>(out.telephone_event_pt);
  }
}

// G.711 <-> G.729: a new RTP stream towards `out`'s peer, packetized at the ptime that peer
// asked for, with random SSRC, first sequence number and timestamp (RFC 3550 section 5.1).
void transcode(const LegMedia& in, const LegMedia& out, channel::MediaTreatment& t) {
  t.stages |= channel::kTreatTranscode;
  channel::TranscodeParams& p = t.transcode;
  p.in_codec = static_cast<uint8_t>(in.codec);
  p.out_codec = static_cast<uint8_t>(out.codec);
  p.in_pt = static_cast<uint8_t>(in.pt);
  p.out_pt = static_cast<uint8_t>(out.pt);
  const unsigned ptime = out.ptime_ms;
  p.out_ptime_ms = static_cast<uint8_t>(ptime >= 10 && ptime <= 40 && ptime % 10 == 0 ? ptime : 20);
  p.vad_dtx = 0;  // our SDPs say annexb=no (payload_formats.h)
  random_bytes(&p.first_seq, sizeof p.first_seq);
  random_bytes(&p.out_ssrc, sizeof p.out_ssrc);
  random_bytes(&p.ts_offset, sizeof p.ts_offset);
}

// Comfort noise across the transcoder (kTreatComfortNoise), only when the G.711 leg negotiated CN:
// its SIDs from the G.729 side become CN packets towards it, and its CN packets end the G.729
// talkspurt. Without the stage the G.711 output stays continuous, which is what SIPconnect 2.0
// section 14.3 (spec 004 L586) requires towards a peer that did not list PT 13. A CN number that
// another type of the flow also uses (peers numbering formats alike across the two legs) would
// make the treatment ambiguous; the flow then does without CN, continuous G.711 being always
// acceptable.
void comfort_noise(const LegMedia& in, const LegMedia& out, channel::MediaTreatment& t) {
  if (!(t.stages & channel::kTreatTranscode)) return;  // a relay passes CN as it is
  const int cn = is_g711(in.codec) ? in.cn_pt : out.cn_pt;
  const channel::PayloadTypeMap& m = t.pt_map;
  const bool events = t.stages & (channel::kTreatEventMap | channel::kTreatEventsToTones |
                                  channel::kTreatTonesToEvents);
  if (!valid_pt(cn) || cn == t.transcode.in_pt || cn == t.transcode.out_pt ||
      (events && (cn == m.event_in || cn == m.event_out)))
    return;
  t.stages |= channel::kTreatComfortNoise;
  t.transcode.cn_pt = static_cast<uint8_t>(cn);
}

// The RFC 4733 events `in`'s peer sends are reported to the control plane (kDtmf) on every flow.
// Transcoding and the DTMF stages report them already; a relay whose legs use the same number has
// no event stage, so it gets one: a treated flow (SRTP, audio map) maps the number to itself,
// which its treated path runs anyway, and a plain relay reports without a treatment
// (kFlowReportEvents), so that nearly every call does not take a treatment slot for it.
void event_reports(const LegMedia& in, channel::MediaTreatment& t, channel::FlowSpec& rtp) {
  if (!valid_pt(in.telephone_event_pt) ||
      (t.stages & (channel::kTreatEventMap | channel::kTreatEventsToTones)))
    return;
  const auto pt = static_cast<uint8_t>(in.telephone_event_pt);
  if (t.stages != 0) {
    t.stages |= channel::kTreatEventMap;
    t.pt_map.event_in = t.pt_map.event_out = pt;
  } else {
    rtp.flags |= channel::kFlowReportEvents;
    rtp.event_pt = pt;
  }
}

void srtp_stages(const LegMedia& in, const LegMedia& out, channel::MediaTreatment& t) {
  if (in.peer_key) {
    t.stages |= channel::kTreatSrtpIn;
    t.srtp_in = srtp_params(*in.peer_key);
  }
  if (out.our_key) {
    t.stages |= channel::kTreatSrtpOut;
    t.srtp_out = srtp_params(*out.our_key);
  }
}

// Where `to`'s peer receives RTP; nullopt when it cannot receive (hold with an unspecified
// address or port 0) or the address is of the other family than our side of the leg.
std::optional<channel::IpAddr> destination(const LegSide& to) {
  channel::IpAddr addr;
  if (to.media.remote_rtp_port == 0 || !channel::parse_address(to.media.remote_address, addr))
    return std::nullopt;
  bool any = false;
  for (uint8_t b : addr.bytes) any |= b != 0;
  if (!any || addr.family != to.local.family) return std::nullopt;
  return addr;
}

}  // namespace

std::vector<channel::Command> direction_commands(channel::CommandType type, const LegSide& from,
                                                 const LegSide& to, const FlowOptions& options) {
  const std::optional<channel::IpAddr> remote = destination(to);
  if (!remote || !bridgeable(from.media.codec, to.media.codec) || !valid_pt(from.media.pt) ||
      !valid_pt(to.media.pt))
    return {};
  channel::MediaTreatment rtp_treatment{};
  if (needs_transcoding(from.media, to.media)) {
    transcode(from.media, to.media, rtp_treatment);
  } else {
    relay_maps(from.media, to.media, rtp_treatment);
  }
  dtmf_interworking(from.media, to.media, rtp_treatment);
  comfort_noise(from.media, to.media, rtp_treatment);
  srtp_stages(from.media, to.media, rtp_treatment);

  // A relay keeps the peers' SSRC, sequence and timestamps (no kFlowTranslateRtp): each peer sees
  // the other's stream as it is, and SRTP's rollover counters follow the real sequence numbers.
  channel::FlowSpec rtp{};
  rtp.key = endpoint(from.local, from.local_rtp_port);
  rtp.remote = endpoint(*remote, to.media.remote_rtp_port);
  rtp.source = endpoint(to.local, to.local_rtp_port);
  rtp.reverse = endpoint(to.local, to.local_rtp_port);
  rtp.cookie = options.cookie;
  rtp.flags = from.latch ? uint32_t{channel::kFlowLatch} : 0u;
  rtp.timeout_ms = options.media_timeout_ms;
  rtp.out_interface = to.interface;
  rtp.dscp = options.dscp;
  event_reports(from.media, rtp_treatment, rtp);
  if ((rtp_treatment.stages & channel::kTreatTonesToEvents) &&
      !(rtp_treatment.stages & channel::kTreatTranscode)) {
    // Events inserted into a relayed stream shift its sequence numbers: it becomes our stream,
    // with an SSRC of its own (RFC 3550 section 5.1); its RTCP flow below translates alike.
    rtp.flags |= channel::kFlowTranslateRtp;
    random_bytes(&rtp.out_ssrc, sizeof rtp.out_ssrc);
  }
  std::vector<channel::Command> out{channel::make_flow_command(type, rtp, rtp_treatment)};
  if (rtp_treatment.stages & channel::kTreatTranscode) return out;  // see media_plan.h

  // RTCP on port + 1 both sides, SRTCP with the same master keys (RFC 3711 section 3.4). No
  // media timeout: RTCP is optional in practice (spec 000: 8x8's gateways neither send nor answer
  // it).
  channel::MediaTreatment rtcp_treatment{};
  srtp_stages(from.media, to.media, rtcp_treatment);
  channel::FlowSpec rtcp = rtp;
  rtcp.key.port = static_cast<uint16_t>(from.local_rtp_port + 1);
  const uint16_t peer_rtcp = to.media.remote_rtcp_port;
  rtcp.remote.port =
      peer_rtcp != 0 ? peer_rtcp : static_cast<uint16_t>(to.media.remote_rtp_port + 1);
  rtcp.source.port = static_cast<uint16_t>(to.local_rtp_port + 1);
  rtcp.reverse.port = rtcp.source.port;
  rtcp.flags = (rtcp.flags | channel::kFlowRtcp) & ~uint32_t{channel::kFlowReportEvents};
  rtcp.event_pt = 0;
  rtcp.timeout_ms = 0;
  out.push_back(channel::make_flow_command(type, rtcp, rtcp_treatment));
  return out;
}

std::vector<channel::Command> delete_commands(const LegSide& leg) {
  const channel::FlowKey rtp = endpoint(leg.local, leg.local_rtp_port);
  const channel::FlowKey rtcp = endpoint(leg.local, static_cast<uint16_t>(leg.local_rtp_port + 1));
  return {channel::make_key_command(channel::CommandType::kDeleteFlow, rtp),
          channel::make_key_command(channel::CommandType::kDeleteFlow, rtcp)};
}

}  // namespace trunkgate::cp
