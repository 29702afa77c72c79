// Building blocks of the media-treatment tests: treatment blocks as the control plane fills them,
// the libsrtp2 policy for the same keys, and frames in and out of the harness.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "dataplane/channel/client.h"
#include "media/codec/g729.h"
#include "media/srtp/srtp_policy.h"
#include "tests/dataplane/frames.h"
#include "tests/dataplane/worker_harness.h"

namespace trunkgate::test {

inline channel::SrtpParams srtp_params(uint8_t key_seed,
                                       channel::SrtpSuite suite =
                                           channel::SrtpSuite::kAesCm128HmacSha1_80) {
  channel::SrtpParams p{};
  p.suite = static_cast<uint8_t>(suite);
  for (unsigned i = 0; i < channel::kSrtpMasterKeyLength; ++i)
    p.master_key[i] = static_cast<uint8_t>(key_seed + i);
  for (unsigned i = 0; i < channel::kSrtpMasterSaltLength; ++i)
    p.master_salt[i] = static_cast<uint8_t>(0xa0 + key_seed + i);
  return p;
}

inline channel::MediaTreatment srtp_treatment(uint32_t stages, const channel::SrtpParams& in,
                                              const channel::SrtpParams& out) {
  channel::MediaTreatment t{};
  t.stages = stages;
  t.srtp_in = in;
  t.srtp_out = out;
  return t;
}

// An RTCP sender report (28 bytes) for RFC 5761 multiplexing.
inline std::vector<uint8_t> sender_report(uint32_t ssrc) {
  std::vector<uint8_t> p(28, 0);
  p[0] = 0x80;
  p[1] = 200;
  p[3] = 6;
  for (int i = 0; i < 4; ++i) p[4 + i] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (size_t i = 8; i < p.size(); ++i) p[i] = static_cast<uint8_t>(i * 3);
  return p;
}

// The libsrtp2 side of the same keys (the reference implementation).
inline media::SrtpPolicy policy_of(const channel::SrtpParams& p) {
  media::SrtpPolicy policy;
  policy.suite = p.suite == static_cast<uint8_t>(channel::SrtpSuite::kAesCm128HmacSha1_32)
                     ? media::SrtpSuite::aes_cm_128_hmac_sha1_32
                 : p.suite == static_cast<uint8_t>(channel::SrtpSuite::kAeadAes128Gcm)
                     ? media::SrtpSuite::aead_aes_128_gcm
                     : media::SrtpSuite::aes_cm_128_hmac_sha1_80;
  std::memcpy(policy.master_key, p.master_key, sizeof p.master_key);
  std::memcpy(policy.master_salt, p.master_salt, sizeof p.master_salt);
  policy.mki = p.mki;
  policy.mki_length = p.mki_length;
  return policy;
}

inline channel::EventType type_of(const channel::Event& e) {
  return static_cast<channel::EventType>(e.hdr.type);
}

inline channel::Event add_treated(WorkerHarness& h, const channel::FlowSpec& spec,
                                  const channel::MediaTreatment& t,
                                  channel::CommandType type = channel::CommandType::kAddFlow) {
  const auto ev = h.command(channel::make_flow_command(type, spec, t), type);
  EXPECT_EQ(ev.size(), 1u);
  return ev.empty() ? channel::Event{} : ev[0];
}

// A frame from the PBX peer (192.0.2.10:40000) to the gateway port dst_port carrying payload.
inline std::vector<uint8_t> frame_to(uint16_t dst_port, const std::vector<uint8_t>& payload) {
  FrameSpec s;
  s.dst_port = dst_port;
  s.payload = payload;
  return build_frame(s);
}

// UDP payload of an untagged IPv4 frame the worker sent.
inline std::vector<uint8_t> udp_payload(const std::vector<uint8_t>& frame) {
  return std::vector<uint8_t>(frame.begin() + 42, frame.end());
}

// Injects one frame to `dst_port` and returns the UDP payload of the single frame the worker sent
// (its checksums verified); empty when it sent none or several.
inline std::vector<uint8_t> relay_one(WorkerHarness& h, uint16_t dst_port,
                                      const std::vector<uint8_t>& payload) {
  h.inject(0, frame_to(dst_port, payload));
  h.poll();
  const auto sent = h.sent(1);
  EXPECT_EQ(sent.size(), 1u);
  if (sent.size() != 1) return {};
  EXPECT_TRUE(checksums_valid(sent[0], 14));
  return udp_payload(sent[0]);
}

// The new RTP stream a transcoding flow sends: its SSRC, first sequence number, timestamp offset.
struct OutputStream {
  uint16_t first_seq;
  uint32_t ssrc;
  uint32_t ts_offset;
};

inline channel::MediaTreatment transcoding(channel::Codec in, uint8_t in_pt, channel::Codec out,
                                           uint8_t out_pt, uint8_t ptime, const OutputStream& s) {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatTranscode;
  channel::TranscodeParams& p = t.transcode;
  p.in_codec = static_cast<uint8_t>(in);
  p.out_codec = static_cast<uint8_t>(out);
  p.in_pt = in_pt;
  p.out_pt = out_pt;
  p.out_ptime_ms = ptime;
  p.first_seq = s.first_seq;
  p.out_ssrc = s.ssrc;
  p.ts_offset = s.ts_offset;
  return t;
}

// The PBX -> carrier flow on `port` with treatment `t`, added and acknowledged.
inline channel::FlowSpec add_carrier_flow(WorkerHarness& h, uint16_t port,
                                          const channel::MediaTreatment& t) {
  const auto spec = h.relay_spec(port, "198.51.100.10:30000", 20002);
  EXPECT_EQ(type_of(add_treated(h, spec, t)), channel::EventType::kCommandOk);
  return spec;
}

// The audio of the G.729 packets (PT 18) among `sent`, decoded as a receiving peer would.
inline std::vector<int16_t> decode_g729(const std::vector<std::vector<uint8_t>>& sent) {
  media::G729Decoder decoder;
  std::vector<int16_t> pcm;
  for (const auto& p : sent) {
    if ((p[1] & 0x7f) != 18) continue;
    int16_t buf[320];
    size_t samples = 0;
    EXPECT_EQ(decoder.decode_payload(std::span(p).subspan(12), buf, samples),
              media::G729PayloadError::ok);
    pcm.insert(pcm.end(), buf, buf + samples);
  }
  return pcm;
}

// An RTP packet (SSRC 0xabcd) of type pt carrying payload.
inline std::vector<uint8_t> rtp_with(uint8_t pt, uint16_t seq, uint32_t ts,
                                     const std::vector<uint8_t>& payload, bool marker = false) {
  auto p = rtp_payload(seq, ts, 0xabcd, 12, pt);
  if (marker) p[1] |= 0x80;
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

// What the worker did in one paced step: the UDP payloads it sent towards the carrier (checksums
// verified) and the DTMF reports it posted.
struct StepOutput {
  std::vector<std::vector<uint8_t>> sent;
  std::vector<channel::DtmfReport> dtmf;
};

// Advances the clock by `advance_ms`, injects `packets` towards dst_port, polls, and collects.
inline void step(WorkerHarness& h, uint16_t dst_port,
                 const std::vector<std::vector<uint8_t>>& packets, unsigned advance_ms,
                 StepOutput& out) {
  h.now += advance_ms * h.ms;
  for (const auto& p : packets) h.inject(0, frame_to(dst_port, p));
  h.poll();
  for (const auto& f : h.sent(1)) {
    EXPECT_TRUE(checksums_valid(f, 14));
    out.sent.push_back(udp_payload(f));
  }
  for (const auto& e : h.events())
    if (static_cast<channel::EventType>(e.hdr.type) == channel::EventType::kDtmf)
      out.dtmf.push_back(e.dtmf);
}

inline channel::FlowCounters flow_counters(WorkerHarness& h, const channel::FlowKey& key) {
  const auto q = h.command(channel::make_key_command(channel::CommandType::kQueryFlow, key),
                           channel::CommandType::kQueryFlow);
  EXPECT_EQ(q.size(), 2u);
  return q.size() == 2 ? q[1].counters : channel::FlowCounters{};
}

}  // namespace trunkgate::test
