// SRTP a burst at a time in the worker: one receive burst mixing several flows (SRTP re-keyed,
// AEAD with SRTCP multiplexed, plain relay, protect only) with a tampered and a replayed packet
// among good ones. Every flow's output is checked against libsrtp2, in order, and every drop is
// counted on its own flow only.
#include <gtest/gtest.h>

#include <map>

#include "tests/dataplane/treatment_helpers.h"
#include "tests/media/libsrtp_peer.h"

using namespace trunkgate;
using channel::EventType;
using channel::SrtpSuite;
using media::test::LibsrtpPeer;
using test::WorkerHarness;

namespace {

// What the worker sent, by the carrier-side destination port, in sending order.
std::map<uint16_t, std::vector<std::vector<uint8_t>>> by_destination(WorkerHarness& h) {
  std::map<uint16_t, std::vector<std::vector<uint8_t>>> out;
  for (const auto& frame : h.sent(1)) {
    EXPECT_TRUE(test::checksums_valid(frame, 14));
    out[test::be16(frame.data() + 36)].push_back(test::udp_payload(frame));
  }
  return out;
}

struct Flow {
  uint16_t port;         // gateway port the PBX sends to
  uint16_t remote_port;  // carrier port the worker sends to
};

constexpr Flow kRekeyed{20000, 31000};  // _80 in, _32 out
constexpr Flow kAead{20010, 31010};     // AEAD_AES_128_GCM in, _80 out, RTCP multiplexed
constexpr Flow kPlain{20020, 31020};    // no treatment
constexpr Flow kOutOnly{20030, 31030};  // plain in, _80 out

channel::FlowSpec spec_of(WorkerHarness& h, const Flow& f, uint32_t flags = 0) {
  auto s = h.relay_spec(f.port, "198.51.100.10:" + std::to_string(f.remote_port), f.port + 2);
  s.flags |= flags;
  return s;
}

TEST(WorkerSrtpBurst, MixedBurstMatchesLibsrtpPerFlowAndCountsDropsPerFlow) {
  WorkerHarness h;
  const auto rekeyed_in = test::srtp_params(21);
  const auto rekeyed_out = test::srtp_params(22, SrtpSuite::kAesCm128HmacSha1_32);
  const auto aead_in = test::srtp_params(23, SrtpSuite::kAeadAes128Gcm);
  const auto aead_out = test::srtp_params(24);
  const auto out_only = test::srtp_params(25);
  const uint32_t both = channel::kTreatSrtpIn | channel::kTreatSrtpOut;
  const auto rekeyed_spec = spec_of(h, kRekeyed);
  const auto aead_spec = spec_of(h, kAead, channel::kFlowRtcpMux);
  const auto plain_spec = spec_of(h, kPlain);
  const auto out_only_spec = spec_of(h, kOutOnly);
  ASSERT_EQ(test::type_of(test::add_treated(h, rekeyed_spec,
                                            test::srtp_treatment(both, rekeyed_in, rekeyed_out))),
            EventType::kCommandOk);
  ASSERT_EQ(
      test::type_of(test::add_treated(h, aead_spec, test::srtp_treatment(both, aead_in, aead_out))),
      EventType::kCommandOk);
  ASSERT_EQ(test::type_of(test::add_treated(h, plain_spec, {})), EventType::kCommandOk);
  ASSERT_EQ(test::type_of(test::add_treated(
                h, out_only_spec, test::srtp_treatment(channel::kTreatSrtpOut, {}, out_only))),
            EventType::kCommandOk);

  LibsrtpPeer pbx_rekeyed(test::policy_of(rekeyed_in), false);
  LibsrtpPeer pbx_aead(test::policy_of(aead_in), false);
  std::map<uint16_t, std::vector<std::vector<uint8_t>>> expected;  // plaintexts per carrier port
  std::vector<std::vector<uint8_t>> burst_frames;
  auto srtp = [](LibsrtpPeer& pbx, uint16_t seq, uint32_t ssrc) {
    const auto plain = test::rtp_payload(seq, seq * 160u, ssrc);
    auto wire = plain;
    EXPECT_EQ(pbx.protect(wire), srtp_err_status_ok);
    return std::make_pair(plain, wire);
  };
  auto send = [&](const Flow& f, const std::vector<uint8_t>& plain,
                  const std::vector<uint8_t>& wire, bool delivered) {
    burst_frames.push_back(test::frame_to(f.port, wire));
    if (delivered) expected[f.remote_port].push_back(plain);
  };

  const auto a1 = srtp(pbx_rekeyed, 1, 0xa1);
  const auto a2 = srtp(pbx_rekeyed, 2, 0xa1);
  auto a3 = srtp(pbx_rekeyed, 3, 0xa1);
  const auto a4 = srtp(pbx_rekeyed, 4, 0xa1);
  a3.second[50] ^= 0x04;  // forged
  const auto rr_plain = test::sender_report(0xb1);
  auto rr = rr_plain;
  ASSERT_EQ(pbx_aead.protect_rtcp(rr), srtp_err_status_ok);
  // The burst, in arrival order.
  send(kRekeyed, a1.first, a1.second, true);
  const auto b1 = srtp(pbx_aead, 2, 0xb1);
  send(kAead, b1.first, b1.second, true);
  const auto p1 = test::rtp_payload(7, 7 * 160u, 0xc1);
  send(kPlain, p1, p1, true);
  send(kRekeyed, a2.first, a2.second, true);
  const auto o1 = test::rtp_payload(70, 70 * 160u, 0xd1);
  send(kOutOnly, o1, o1, true);
  send(kAead, rr_plain, rr, true);
  send(kRekeyed, a3.first, a3.second, false);  // authentication fails
  send(kRekeyed, a2.first, a2.second, false);  // replay of a packet earlier in the burst
  const auto b2 = srtp(pbx_aead, 3, 0xb1);
  send(kAead, b2.first, b2.second, true);
  send(kRekeyed, a4.first, a4.second, true);  // after the forged one: still accepted
  const auto p2 = test::rtp_payload(8, 8 * 160u, 0xc1);
  send(kPlain, p2, p2, true);
  const auto o2 = test::rtp_payload(71, 71 * 160u, 0xd1);
  send(kOutOnly, o2, o2, true);
  for (const auto& f : burst_frames) h.inject(0, f);
  h.poll(1);  // one RX burst holds them all

  auto got = by_destination(h);
  LibsrtpPeer carrier_rekeyed(test::policy_of(rekeyed_out), true);
  LibsrtpPeer carrier_aead(test::policy_of(aead_out), true);
  LibsrtpPeer carrier_out_only(test::policy_of(out_only), true);
  const std::pair<Flow, LibsrtpPeer*> outputs[] = {{kRekeyed, &carrier_rekeyed},
                                                   {kAead, &carrier_aead},
                                                   {kPlain, nullptr},
                                                   {kOutOnly, &carrier_out_only}};
  for (const auto& [flow, carrier] : outputs) {
    auto& packets = got[flow.remote_port];
    const auto& want = expected[flow.remote_port];
    ASSERT_EQ(packets.size(), want.size()) << "flow to port " << flow.remote_port;
    for (size_t i = 0; i < packets.size(); ++i) {
      if (carrier != nullptr) {
        const bool rtcp = want[i].size() > 1 && want[i][1] == 200;
        ASSERT_EQ(rtcp ? carrier->unprotect_rtcp(packets[i]) : carrier->unprotect(packets[i]),
                  srtp_err_status_ok)
            << "flow to port " << flow.remote_port << " packet " << i;
      }
      EXPECT_EQ(packets[i], want[i]) << "flow to port " << flow.remote_port << " packet " << i;
    }
  }

  const auto rekeyed_counters = test::flow_counters(h, rekeyed_spec.key);
  EXPECT_EQ(rekeyed_counters.packets, 3u);
  EXPECT_EQ(rekeyed_counters.drops[channel::kFlowDropSrtpAuth], 1u);
  EXPECT_EQ(rekeyed_counters.drops[channel::kFlowDropSrtpReplay], 1u);
  for (const auto* spec : {&aead_spec, &plain_spec, &out_only_spec}) {
    const auto c = test::flow_counters(h, spec->key);
    for (unsigned d = 0; d < channel::kFlowDropCount; ++d) EXPECT_EQ(c.drops[d], 0u) << d;
  }
  EXPECT_EQ(test::flow_counters(h, aead_spec.key).packets, 3u);
  EXPECT_EQ(test::flow_counters(h, aead_spec.key).rtcp_packets, 1u);
  const auto st = h.stats();
  EXPECT_EQ(st.rx, burst_frames.size());
  EXPECT_EQ(st.tx, burst_frames.size() - 2);
  EXPECT_EQ(st.drops[channel::kDropSrtpAuth], 1u);
  EXPECT_EQ(st.drops[channel::kDropSrtpReplay], 1u);
}

}  // namespace
