// Building blocks of the media-treatment tests: treatment blocks as the control plane fills them,
// the libsrtp2 policy for the same keys, and frames in and out of the harness.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "dataplane/channel/client.h"
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

inline channel::FlowCounters flow_counters(WorkerHarness& h, const channel::FlowKey& key) {
  const auto q = h.command(channel::make_key_command(channel::CommandType::kQueryFlow, key),
                           channel::CommandType::kQueryFlow);
  EXPECT_EQ(q.size(), 2u);
  return q.size() == 2 ? q[1].counters : channel::FlowCounters{};
}

}  // namespace trunkgate::test
