// SRTP and SRTCP as flow stages of the worker, checked against libsrtp2 on the test side: the
// test protects what it sends and unprotects what the worker sends with the reference library.
#include <gtest/gtest.h>

#include "tests/dataplane/treatment_helpers.h"
#include "tests/media/libsrtp_peer.h"

using namespace trunkgate;
using channel::CommandError;
using channel::CommandType;
using channel::EventType;
using channel::SrtpSuite;
using media::test::LibsrtpPeer;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;

channel::FlowSpec carrier_flow(WorkerHarness& h) {
  return h.relay_spec(kPort, "198.51.100.10:30000", 20002);
}

// RTP packet `seq` of stream `ssrc` (172 bytes) protected by the test's libsrtp2 peer.
std::vector<uint8_t> srtp_packet(LibsrtpPeer& peer, uint16_t seq, uint32_t ssrc) {
  auto p = test::rtp_payload(seq, seq * 160u, ssrc, 172);
  EXPECT_EQ(peer.protect(p), srtp_err_status_ok);
  return p;
}

class SrtpSuites : public ::testing::TestWithParam<SrtpSuite> {};

TEST_P(SrtpSuites, UnprotectsLibsrtpPacketsToPlainRtp) {
  WorkerHarness h;
  auto in = test::srtp_params(1, GetParam());
  in.mki_length = 2;  // as Microsoft sends it (1:32 style MKI), checked on every packet
  in.mki = 0x0102;
  ASSERT_EQ(test::type_of(test::add_treated(h, carrier_flow(h),
                                            test::srtp_treatment(channel::kTreatSrtpIn, in, {}))),
            EventType::kCommandOk);
  LibsrtpPeer pbx(test::policy_of(in), false);
  for (uint16_t seq = 1; seq <= 3; ++seq) {
    const auto plain = test::rtp_payload(seq, seq * 160u, 0x1234, 172);
    auto srtp = plain;
    ASSERT_EQ(pbx.protect(srtp), srtp_err_status_ok);
    EXPECT_EQ(test::relay_one(h, kPort, srtp), plain) << "seq " << seq;
  }
}

TEST_P(SrtpSuites, ProtectsForLibsrtp) {
  WorkerHarness h;
  const auto out_keys = test::srtp_params(2, GetParam());
  ASSERT_EQ(test::type_of(test::add_treated(
                h, carrier_flow(h), test::srtp_treatment(channel::kTreatSrtpOut, {}, out_keys))),
            EventType::kCommandOk);
  LibsrtpPeer carrier(test::policy_of(out_keys), true);
  for (uint16_t seq = 7; seq <= 9; ++seq) {
    const auto plain = test::rtp_payload(seq, seq * 160u, 0x5678, 172);
    auto got = test::relay_one(h, kPort, plain);  // checksum computed over the encrypted payload
    EXPECT_EQ(got.size(), plain.size() + media::srtp_tag_length(test::policy_of(out_keys).suite));
    EXPECT_NE(got, plain);
    ASSERT_EQ(carrier.unprotect(got), srtp_err_status_ok);
    EXPECT_EQ(got, plain);
  }
}

INSTANTIATE_TEST_SUITE_P(Worker, SrtpSuites,
                         ::testing::Values(SrtpSuite::kAesCm128HmacSha1_80,
                                           SrtpSuite::kAesCm128HmacSha1_32,
                                           SrtpSuite::kAeadAes128Gcm));

TEST(WorkerSrtp, RekeysSrtpToSrtp) {
  WorkerHarness h;
  const auto in = test::srtp_params(3);
  const auto out = test::srtp_params(4, SrtpSuite::kAesCm128HmacSha1_32);
  ASSERT_EQ(test::type_of(test::add_treated(
                h, carrier_flow(h),
                test::srtp_treatment(channel::kTreatSrtpIn | channel::kTreatSrtpOut, in, out))),
            EventType::kCommandOk);
  LibsrtpPeer pbx(test::policy_of(in), false);
  LibsrtpPeer carrier(test::policy_of(out), true);
  LibsrtpPeer wrong_key(test::policy_of(in), true);
  const auto plain = test::rtp_payload(100, 16000, 0x9abc, 172);
  auto srtp = plain;
  ASSERT_EQ(pbx.protect(srtp), srtp_err_status_ok);
  auto got = test::relay_one(h, kPort, srtp);
  auto copy = got;
  EXPECT_NE(wrong_key.unprotect(copy), srtp_err_status_ok);  // really re-keyed
  ASSERT_EQ(carrier.unprotect(got), srtp_err_status_ok);
  EXPECT_EQ(got, plain);
}

TEST(WorkerSrtp, ReplayedAndTamperedPacketsAreDroppedAndCounted) {
  WorkerHarness h;
  const auto in = test::srtp_params(5);
  const auto spec = carrier_flow(h);
  ASSERT_EQ(test::type_of(
                test::add_treated(h, spec, test::srtp_treatment(channel::kTreatSrtpIn, in, {}))),
            EventType::kCommandOk);
  LibsrtpPeer pbx(test::policy_of(in), false);
  const auto first = srtp_packet(pbx, 1, 0x1111);
  const auto second = srtp_packet(pbx, 2, 0x1111);
  auto tampered = second;
  tampered[40] ^= 0x01;
  auto short_packet = std::vector<uint8_t>(second.begin(), second.begin() + 14);

  h.inject(0, test::frame_to(kPort, first));
  h.inject(0, test::frame_to(kPort, first));         // replay
  h.inject(0, test::frame_to(kPort, tampered));      // authentication fails
  h.inject(0, test::frame_to(kPort, short_packet));  // no room for a tag
  h.inject(0, test::frame_to(kPort, second));        // the genuine one still passes
  h.poll();
  EXPECT_EQ(h.sent(1).size(), 2u);
  const auto c = test::flow_counters(h, spec.key);
  EXPECT_EQ(c.packets, 2u);
  EXPECT_EQ(c.drops[channel::kFlowDropSrtpReplay], 1u);
  EXPECT_EQ(c.drops[channel::kFlowDropSrtpAuth], 1u);
  EXPECT_EQ(c.drops[channel::kFlowDropSrtpInvalid], 1u);
  const auto st = h.stats();
  EXPECT_EQ(st.drops[channel::kDropSrtpReplay], 1u);
  EXPECT_EQ(st.drops[channel::kDropSrtpAuth], 1u);
  EXPECT_EQ(st.drops[channel::kDropSrtpInvalid], 1u);
  EXPECT_EQ(st.rx, 5u);
  EXPECT_EQ(st.tx, 2u);
}

TEST(WorkerSrtp, SrtcpOnRtcpMuxIsUnprotectedAndReprotected) {
  WorkerHarness h;
  auto spec = carrier_flow(h);
  spec.flags = channel::kFlowRtcpMux;
  const auto in = test::srtp_params(6);
  const auto out = test::srtp_params(7);
  ASSERT_EQ(
      test::type_of(test::add_treated(
          h, spec, test::srtp_treatment(channel::kTreatSrtpIn | channel::kTreatSrtpOut, in, out))),
      EventType::kCommandOk);
  LibsrtpPeer pbx(test::policy_of(in), false);
  LibsrtpPeer carrier(test::policy_of(out), true);
  const auto plain = test::sender_report(0x2222);
  auto srtcp = plain;
  ASSERT_EQ(pbx.protect_rtcp(srtcp), srtp_err_status_ok);
  auto got = test::relay_one(h, kPort, srtcp);
  ASSERT_EQ(carrier.unprotect_rtcp(got), srtp_err_status_ok);
  EXPECT_EQ(got, plain);
  EXPECT_EQ(test::flow_counters(h, spec.key).rtcp_packets, 1u);
}

TEST(WorkerSrtp, SeparateRtcpFlowUsesSrtcp) {
  WorkerHarness h;
  auto spec = h.relay_spec(kPort + 1, "198.51.100.10:30001", 20003);
  spec.flags = channel::kFlowRtcp;
  const auto in = test::srtp_params(8);
  ASSERT_EQ(test::type_of(
                test::add_treated(h, spec, test::srtp_treatment(channel::kTreatSrtpIn, in, {}))),
            EventType::kCommandOk);
  LibsrtpPeer pbx(test::policy_of(in), false);
  const auto plain = test::sender_report(0x3333);
  auto srtcp = plain;
  ASSERT_EQ(pbx.protect_rtcp(srtcp), srtp_err_status_ok);
  EXPECT_EQ(test::relay_one(h, kPort + 1, srtcp), plain);
}

TEST(WorkerSrtp, IdenticalModifyKeepsStateAndNewKeysReplaceIt) {
  WorkerHarness h;
  auto spec = carrier_flow(h);
  const auto t = test::srtp_treatment(channel::kTreatSrtpIn, test::srtp_params(9), {});
  ASSERT_EQ(test::type_of(test::add_treated(h, spec, t)), EventType::kCommandOk);
  LibsrtpPeer pbx(test::policy_of(t.srtp_in), false);
  const auto p1 = srtp_packet(pbx, 1, 0x4444);
  ASSERT_FALSE(test::relay_one(h, kPort, p1).empty());

  std::string err;
  ASSERT_TRUE(channel::parse_endpoint("198.51.100.11:30000", spec.remote, err)) << err;
  ASSERT_EQ(test::type_of(test::add_treated(h, spec, t, CommandType::kModifyFlow)),
            EventType::kCommandOk);
  h.inject(0, test::frame_to(kPort, p1));  // still a replay: the window survived the modify
  h.poll();
  EXPECT_EQ(h.sent(1).size(), 0u);
  EXPECT_EQ(test::flow_counters(h, spec.key).drops[channel::kFlowDropSrtpReplay], 1u);

  const auto rekeyed = test::srtp_treatment(channel::kTreatSrtpIn, test::srtp_params(10), {});
  ASSERT_EQ(test::type_of(test::add_treated(h, spec, rekeyed, CommandType::kModifyFlow)),
            EventType::kCommandOk);
  h.inject(0, test::frame_to(kPort, p1));  // old key: fails authentication now
  LibsrtpPeer pbx2(test::policy_of(rekeyed.srtp_in), false);
  EXPECT_FALSE(test::relay_one(h, kPort, srtp_packet(pbx2, 2, 0x4444)).empty());
  EXPECT_EQ(test::flow_counters(h, spec.key).drops[channel::kFlowDropSrtpAuth], 1u);
  EXPECT_EQ(h.stats().treated_flows, 1u);
}

TEST(WorkerSrtp, PoolExhaustionIsAnErrorAndDeleteFreesTheSlot) {
  WorkerHarness h(1, 1);
  const auto t = test::srtp_treatment(channel::kTreatSrtpOut, {}, test::srtp_params(11));
  const auto a = h.relay_spec(20000, "198.51.100.10:30000", 20002);
  const auto b = h.relay_spec(20010, "198.51.100.10:30010", 20012);
  const auto c = h.relay_spec(20020, "198.51.100.10:30020", 20022);
  ASSERT_EQ(test::type_of(test::add_treated(h, a, t)), EventType::kCommandOk);
  const auto full = test::add_treated(h, b, t);
  EXPECT_EQ(test::type_of(full), EventType::kCommandError);
  EXPECT_EQ(full.error, static_cast<int16_t>(CommandError::kTreatmentFull));
  EXPECT_EQ(test::type_of(test::add_treated(h, c, {})), EventType::kCommandOk);  // plain relay
  EXPECT_EQ(h.stats().flows, 2u);  // the refused add left nothing behind
  EXPECT_EQ(h.stats().treated_flows, 1u);
  const auto del = h.command(channel::make_key_command(CommandType::kDeleteFlow, a.key),
                             CommandType::kDeleteFlow);
  ASSERT_FALSE(del.empty());
  EXPECT_EQ(test::type_of(del[0]), EventType::kCommandOk);
  EXPECT_EQ(test::type_of(test::add_treated(h, b, t)), EventType::kCommandOk);
  EXPECT_EQ(h.stats().treated_flows, 1u);
}

TEST(WorkerSrtp, GarbageTreatmentIsRefusedPrecisely) {
  WorkerHarness h;
  const auto spec = carrier_flow(h);
  auto bad_suite = test::srtp_treatment(channel::kTreatSrtpIn, test::srtp_params(1), {});
  bad_suite.srtp_in.suite = 0xee;
  auto zero_key = test::srtp_treatment(channel::kTreatSrtpOut, {}, test::srtp_params(1));
  std::memset(zero_key.srtp_out.master_key, 0, sizeof zero_key.srtp_out.master_key);
  auto long_mki = test::srtp_treatment(channel::kTreatSrtpIn, test::srtp_params(1), {});
  long_mki.srtp_in.mki_length = 200;
  channel::MediaTreatment unknown_stage{};
  unknown_stage.stages = 1u << 20;
  const std::pair<channel::MediaTreatment, CommandError> cases[] = {
      {bad_suite, CommandError::kBadSrtpSuite},
      {zero_key, CommandError::kBadSrtpKey},
      {long_mki, CommandError::kBadMki},
      {unknown_stage, CommandError::kBadTreatment}};
  for (const auto& [t, error] : cases) {
    const auto ev = test::add_treated(h, spec, t);
    EXPECT_EQ(test::type_of(ev), EventType::kCommandError);
    EXPECT_EQ(ev.error, static_cast<int16_t>(error));
  }
  EXPECT_EQ(h.stats().flows, 0u);
  EXPECT_EQ(h.stats().treated_flows, 0u);
}

}  // namespace
