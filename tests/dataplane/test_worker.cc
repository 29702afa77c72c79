// The worker on real net_ring ports: exact output bytes, counters, hostile input, latching,
// timeouts, commands and their errors, add/delete under traffic, dispatch between workers.
#include <gtest/gtest.h>
#include <rte_pause.h>

#include <cstring>
#include <map>
#include <random>
#include <set>

#include "tests/dataplane/frames.h"
#include "tests/dataplane/worker_harness.h"

using namespace trunkgate;
using channel::CommandType;
using channel::EventType;
using test::WorkerHarness;

namespace {

std::vector<uint8_t> rtp_frame(uint16_t dst_port, uint16_t seq = 1, uint32_t ssrc = 0x1234,
                               const std::string& src_ip = "192.0.2.10",
                               uint16_t src_port = 40000) {
  test::FrameSpec s;
  s.dst_port = dst_port;
  s.src_ip = src_ip;
  s.src_port = src_port;
  s.payload = test::rtp_payload(seq, seq * 160u, ssrc);
  return test::build_frame(s);
}

EventType type_of(const channel::Event& e) { return static_cast<EventType>(e.hdr.type); }

void add(WorkerHarness& h, const channel::FlowSpec& spec) {
  const auto ev = h.command(channel::make_flow_command(CommandType::kAddFlow, spec),
                            CommandType::kAddFlow);
  ASSERT_EQ(ev.size(), 1u);
  ASSERT_EQ(type_of(ev[0]), EventType::kCommandOk) << ev[0].error;
}

TEST(Worker, RelaysWithExactHeadersAndCounts) {
  WorkerHarness h;
  add(h, h.relay_spec(20000, "198.51.100.10:30000", 20002));
  const auto in = rtp_frame(20000);
  h.inject(0, in);
  h.poll();
  const auto out = h.sent(1);
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0];
  ASSERT_EQ(f.size(), 14 + 20 + 8 + 172u);
  EXPECT_EQ(0, std::memcmp(&f[0], test::kCarrierPeerMac, 6));
  const uint8_t car_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
  EXPECT_EQ(0, std::memcmp(&f[6], car_mac, 6));
  EXPECT_EQ(test::be16(&f[12]), 0x0800);
  EXPECT_EQ(f[15], 0xb8);  // DSCP EF
  EXPECT_EQ(test::ip_bytes("198.51.100.1"), std::vector<uint8_t>(&f[26], &f[30]));
  EXPECT_EQ(test::ip_bytes("198.51.100.10"), std::vector<uint8_t>(&f[30], &f[34]));
  EXPECT_EQ(test::be16(&f[34]), 20002);
  EXPECT_EQ(test::be16(&f[36]), 30000);
  EXPECT_TRUE(test::checksums_valid(f, 14));
  EXPECT_EQ(0, std::memcmp(&f[42], &in[42], 172));  // payload untouched
  const auto st = h.stats();
  EXPECT_EQ(st.rx, 1u);
  EXPECT_EQ(st.tx, 1u);
  EXPECT_EQ(st.flows, 1u);
  const auto q = h.command(channel::make_key_command(CommandType::kQueryFlow,
                                                     h.relay_spec(20000, "1.1.1.1:1", 1).key),
                           CommandType::kQueryFlow);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(type_of(q[1]), EventType::kFlowStats);
  EXPECT_EQ(q[1].counters.packets, 1u);
  EXPECT_EQ(q[1].counters.bytes, 172u);
}

TEST(Worker, TranslatesSsrcWhenAsked) {
  WorkerHarness h;
  auto spec = h.relay_spec(20000, "198.51.100.10:30000", 20002);
  spec.flags = channel::kFlowTranslateRtp;
  spec.out_ssrc = 0xcafef00d;
  add(h, spec);
  h.inject(0, rtp_frame(20000, 10, 0x1111));
  h.inject(0, rtp_frame(20000, 11, 0x1111));
  h.poll();
  const auto out = h.sent(1);
  ASSERT_EQ(out.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(test::be32(&out[i][42 + 8]), 0xcafef00du);
    EXPECT_EQ(test::be16(&out[i][42 + 2]), 10 + i);
    EXPECT_TRUE(test::checksums_valid(out[i], 14));
  }
}

std::vector<uint8_t> rtcp_frame(uint16_t dst_port, uint32_t sender_ssrc) {
  test::FrameSpec s;
  s.dst_port = dst_port;
  s.payload = test::rtp_payload(0, 0, 0, 28);
  s.payload[1] = 200;  // sender report
  s.payload[3] = 6;    // length in words - 1
  for (int i = 0; i < 4; ++i) s.payload[4 + i] = static_cast<uint8_t>(sender_ssrc >> (24 - 8 * i));
  return test::build_frame(s);
}

TEST(Worker, RtcpOnItsOwnPortAndMultiplexedWithRtp) {
  WorkerHarness h;
  auto rtp_only = h.relay_spec(20000, "198.51.100.10:30000", 20002);
  auto rtcp = h.relay_spec(20001, "198.51.100.10:30001", 20003);
  rtcp.flags = channel::kFlowRtcp;
  auto mux = h.relay_spec(20004, "198.51.100.10:30004", 20006);
  mux.flags = channel::kFlowRtcpMux | channel::kFlowTranslateRtp;
  mux.out_ssrc = 0xabcdabcd;
  add(h, rtp_only);
  add(h, rtcp);
  add(h, mux);
  h.inject(0, rtcp_frame(20000, 1));  // RTCP where only RTP is expected
  h.inject(0, rtp_frame(20001));      // RTP on the RTCP port
  h.inject(0, rtcp_frame(20001, 2));
  h.inject(0, rtcp_frame(20004, 3));  // RFC 5761: RTCP on the RTP port of a mux flow
  h.inject(0, rtp_frame(20004, 5, 3));
  h.poll();
  const auto out = h.sent(1);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(test::be16(&out[0][36]), 30001);
  EXPECT_EQ(test::be32(&out[0][42 + 4]), 2u);  // RTCP flow without translation: untouched
  EXPECT_EQ(test::be16(&out[1][36]), 30004);
  EXPECT_EQ(test::be32(&out[1][42 + 4]), 0xabcdabcdu);  // sender SSRC translated like the RTP
  EXPECT_EQ(test::be32(&out[2][42 + 8]), 0xabcdabcdu);
  for (const auto& f : out) EXPECT_TRUE(test::checksums_valid(f, 14));
  EXPECT_EQ(h.stats().drops[channel::kDropInvalidRtp], 2u);
  const auto q = h.command(channel::make_key_command(CommandType::kQueryFlow, mux.key),
                           CommandType::kQueryFlow);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1].counters.packets, 2u);
  EXPECT_EQ(q[1].counters.rtcp_packets, 1u);
  const auto r = h.command(channel::make_key_command(CommandType::kQueryFlow, rtp_only.key),
                           CommandType::kQueryFlow);
  EXPECT_EQ(r[1].counters.drops[channel::kFlowDropInvalidRtp], 1u);
}

TEST(Worker, HostileInputIsDroppedAndCountedAndTheWorkerKeepsForwarding) {
  WorkerHarness h;
  add(h, h.relay_spec(20000, "198.51.100.10:30000", 20002));
  const auto good = rtp_frame(20000);
  std::map<channel::WorkerDrop, std::vector<uint8_t>> bad;
  bad[channel::kDropTooShort] = {good.begin(), good.begin() + 40};
  auto ihl = good;
  ihl[14] = 0x42;
  bad[channel::kDropMalformed] = ihl;
  auto frag = good;
  frag[20] = 0x20;
  bad[channel::kDropFragment] = frag;
  auto ttl = good;
  ttl[22] = 0;
  bad[channel::kDropTtl] = ttl;
  auto zero = good;
  zero.resize(42);
  zero[16] = 0;
  zero[17] = 28;
  zero[38] = 0;
  zero[39] = 8;
  bad[channel::kDropUdpLength] = zero;
  auto v1 = good;
  v1[42] = 0x40;
  bad[channel::kDropInvalidRtp] = v1;
  bad[channel::kDropUnknownFlow] = rtp_frame(20004);
  auto opts = good;
  opts[14] = 0x46;
  opts.insert(opts.begin() + 34, {1, 1, 1, 0});
  opts[17] = static_cast<uint8_t>(opts[17] + 4);
  bad[channel::kDropIpOptions] = opts;
  for (const auto& [reason, frame] : bad) {
    h.inject(0, frame);
    h.inject(0, good);
    h.poll();
    EXPECT_EQ(h.stats().drops[reason], 1u) << channel::kWorkerDropNames[reason];
    EXPECT_EQ(h.sent(1).size(), 1u) << "after " << channel::kWorkerDropNames[reason];
  }
  const auto st = h.stats();
  uint64_t drops = 0;
  for (uint64_t d : st.drops) drops += d;
  EXPECT_EQ(st.rx, st.tx + drops + st.exception + st.handoff);
}

TEST(Worker, EveryKindOfInvalidRtpIsDroppedAsInvalidRtp) {
  WorkerHarness h;
  add(h, h.relay_spec(20000, "198.51.100.10:30000", 20002));
  std::vector<std::vector<uint8_t>> payloads;
  auto p = test::rtp_payload(1, 2, 3, 40);
  p[0] = 0x40;  // version 1
  payloads.push_back(p);
  p = test::rtp_payload(1, 2, 3, 40);
  p[0] = 0x8f;  // 15 CSRCs do not fit in 40 bytes
  payloads.push_back(p);
  p = test::rtp_payload(1, 2, 3, 40);
  p[0] = 0x90;  // extension longer than the packet
  p[14] = 0;
  p[15] = 50;
  payloads.push_back(p);
  p = test::rtp_payload(1, 2, 3, 40);
  p[0] = 0xa0;  // more padding than payload
  p[39] = 60;
  payloads.push_back(p);
  payloads.push_back(std::vector<uint8_t>(test::rtp_payload(1, 2, 3, 11)));  // short header
  for (const auto& payload : payloads) {
    test::FrameSpec s;
    s.payload = payload;
    h.inject(0, test::build_frame(s));
  }
  h.inject(0, rtp_frame(20000));
  h.poll();
  EXPECT_EQ(h.stats().drops[channel::kDropInvalidRtp], payloads.size());
  EXPECT_EQ(h.sent(1).size(), 1u);
}

TEST(Worker, NonMediaGoesToTheExceptionRingOfItsPort) {
  WorkerHarness h;
  test::FrameSpec sip;
  sip.dst_port = 5060;
  sip.payload = {'O', 'P', 'T', 'I', 'O', 'N', 'S'};
  h.inject(1, test::build_frame(sip));
  h.poll();
  EXPECT_EQ(h.exceptions(1).size(), 1u);
  EXPECT_EQ(h.exceptions(0).size(), 0u);
  EXPECT_EQ(h.stats().exception, 1u);
}

TEST(Worker, LatchingLearnsThePeerRetargetsTheReverseFlowAndReportsIt) {
  WorkerHarness h;
  // Leg A (pbx side, key 20000) forwards to the carrier; leg B (carrier side, key 20010 on the
  // same worker) sends back to the PBX at the address its SDP gave, which NAT changes.
  auto a = h.relay_spec(20000, "198.51.100.10:30000", 20010);
  a.flags = channel::kFlowLatch | channel::kFlowStrictSource;
  channel::FlowSpec b{};
  std::string err;
  channel::parse_endpoint("198.51.100.1:20010", b.key, err);
  channel::parse_endpoint("192.0.2.10:4000", b.remote, err);  // from the SDP
  channel::parse_endpoint("192.0.2.1:20000", b.source, err);
  b.out_interface = 0;
  a.reverse = b.key;
  add(h, b);
  add(h, a);
  h.inject(0, rtp_frame(20000, 1, 7, "192.0.2.11", 41000));  // the NAT's real address
  h.poll();
  auto ev = h.events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(type_of(ev[0]), EventType::kLatched);
  EXPECT_EQ(channel::to_string(ev[0].addr), "192.0.2.11:41000");
  h.sent(1);
  // Carrier -> PBX now goes to the latched address.
  test::FrameSpec back;
  back.src_ip = "198.51.100.10";
  back.dst_ip = "198.51.100.1";
  back.dst_port = 20010;
  back.payload = test::rtp_payload(1, 1, 9);
  h.inject(1, test::build_frame(back));
  // Strict source: a packet from elsewhere on leg A is dropped.
  h.inject(0, rtp_frame(20000, 2, 7, "192.0.2.10", 40000));
  h.poll();
  const auto out = h.sent(0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(test::ip_bytes("192.0.2.11"), std::vector<uint8_t>(&out[0][30], &out[0][34]));
  EXPECT_EQ(test::be16(&out[0][36]), 41000);
  EXPECT_EQ(h.stats().drops[channel::kDropSource], 1u);
}

TEST(Worker, SilentFlowRaisesOneMediaTimeoutUntilTrafficResumes) {
  WorkerHarness h;
  auto spec = h.relay_spec(20000, "198.51.100.10:30000", 20002);
  spec.timeout_ms = 100;
  spec.cookie = 77;
  add(h, spec);
  h.now += 99 * h.ms;
  h.poll(64);
  EXPECT_TRUE(h.events().empty());
  h.now += 2 * h.ms;
  h.poll(64);
  auto ev = h.events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(type_of(ev[0]), EventType::kMediaTimeout);
  EXPECT_EQ(ev[0].cookie, 77u);
  h.now += 1000 * h.ms;
  h.poll(64);
  EXPECT_TRUE(h.events().empty());  // reported once
  h.inject(0, rtp_frame(20000));
  h.poll();
  h.now += 101 * h.ms;
  h.poll(64);
  ev = h.events();
  ASSERT_EQ(ev.size(), 1u);  // re-armed by the packet
  EXPECT_EQ(type_of(ev[0]), EventType::kMediaTimeout);
}

TEST(Worker, BadCommandsAreAnsweredWithPreciseErrorsAndChangeNothing) {
  WorkerHarness h;
  struct Case {
    const char* name;
    channel::FlowSpec spec;
    channel::CommandError error;
  };
  std::vector<Case> cases;
  auto s = h.relay_spec(20000, "198.51.100.10:30000", 20002);
  auto c = s;
  c.key.port = 5060;
  cases.push_back({"port outside range", c, channel::CommandError::kPortOutOfRange});
  c = s;
  channel::parse_address("203.0.113.9", c.key.addr);
  cases.push_back({"not our address", c, channel::CommandError::kNotLocalAddress});
  c = s;
  c.out_interface = 9;
  cases.push_back({"no interface", c, channel::CommandError::kBadInterface});
  c = s;
  c.remote.port = 0;
  cases.push_back({"remote port 0", c, channel::CommandError::kBadRemote});
  c = s;
  c.flags = channel::kFlowRtcp | channel::kFlowRtcpMux;
  cases.push_back({"rtcp and mux", c, channel::CommandError::kBadFlags});
  c = s;
  c.dscp = 64;
  cases.push_back({"dscp", c, channel::CommandError::kBadDscp});
  c = s;
  c.remote.addr.family = channel::Family::kIPv6;
  cases.push_back({"mixed families", c, channel::CommandError::kBadFamily});
  for (const Case& k : cases) {
    const auto ev = h.command(channel::make_flow_command(CommandType::kAddFlow, k.spec),
                              CommandType::kAddFlow);
    ASSERT_EQ(ev.size(), 1u) << k.name;
    EXPECT_EQ(type_of(ev[0]), EventType::kCommandError) << k.name;
    EXPECT_EQ(ev[0].error, static_cast<int16_t>(k.error)) << k.name;
  }
  EXPECT_EQ(h.stats().flows, 0u);
  add(h, s);
  auto dup = h.command(channel::make_flow_command(CommandType::kAddFlow, s), CommandType::kAddFlow);
  EXPECT_EQ(dup[0].error, static_cast<int16_t>(channel::CommandError::kFlowExists));
  EXPECT_EQ(h.stats().flows, 1u);
  EXPECT_EQ(h.stats().commands_failed, cases.size() + 1);
}

TEST(Worker, RandomGarbageCommandsAreAnsweredAndNeverCrashTheWorker) {
  WorkerHarness h;
  std::mt19937 rng(7);
  unsigned sent = 0, answers = 0;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 50; ++i) {
      channel::Command c;
      auto* bytes = reinterpret_cast<uint8_t*>(&c);
      for (size_t b = 0; b < sizeof(c); ++b) bytes[b] = static_cast<uint8_t>(rng());
      // Half of them get a plausible header so validation beyond the version is exercised.
      const auto type = static_cast<CommandType>(1 + rng() % 6);
      h.send(c, type);
      ++sent;
      if (i % 2 == 0) continue;
      c.spec.key.addr.family = channel::Family::kIPv4;
      c.spec.key.port = static_cast<uint16_t>(20000 + 2 * (rng() % 100));
      h.send(c, type);
      ++sent;
    }
    h.poll(4);
    for (const auto& e : h.events())  // read as a control plane would, so no event is lost
      answers += type_of(e) == EventType::kCommandOk || type_of(e) == EventType::kCommandError;
  }
  EXPECT_EQ(answers, sent);
  const auto st = h.stats();
  EXPECT_EQ(st.events_lost, 0u);
  EXPECT_EQ(st.commands_ok + st.commands_failed, sent);
  // The worker still relays: a real flow added now works.
  add(h, h.relay_spec(21000, "198.51.100.10:30000", 20002));
  h.inject(0, rtp_frame(21000));
  h.poll();
  EXPECT_EQ(h.sent(1).size(), 1u);
}

// Under add/delete churn every injected packet is either forwarded or an unknown-flow drop.
void expect_every_packet_accounted(const channel::WorkerStats& st, uint64_t injected,
                                   uint64_t forwarded) {
  EXPECT_EQ(st.rx, injected);
  EXPECT_EQ(st.tx, forwarded);
  EXPECT_EQ(st.tx + st.drops[channel::kDropUnknownFlow], injected);
}

TEST(Worker, FlowsAddedAndDeletedUnderTrafficAreNeverMisrouted) {
  WorkerHarness h;
  // Each round: flows on ports 20000..20030 point at remote port 30000 + generation*100 + i.
  // Packets are injected before and after each change; every forwarded packet must carry the
  // remote port of a generation that existed for its key, and counters must add up.
  std::map<uint16_t, std::set<uint16_t>> allowed;
  uint64_t injected = 0;
  for (unsigned gen = 0; gen < 6; ++gen) {
    for (uint16_t i = 0; i < 16; ++i) {
      const uint16_t port = static_cast<uint16_t>(20000 + 2 * i);
      if (gen > 0 && (i + gen) % 3 == 0) {
        h.command(channel::make_key_command(CommandType::kDeleteFlow,
                                            h.relay_spec(port, "1.1.1.1:1", 1).key),
                  CommandType::kDeleteFlow);
      }
      const uint16_t remote_port = static_cast<uint16_t>(30000 + gen * 100 + i);
      auto spec = h.relay_spec(port, "198.51.100.10:" + std::to_string(remote_port), 21000);
      const auto type = h.command(channel::make_flow_command(CommandType::kAddFlow, spec),
                                  CommandType::kAddFlow)[0].error == 0
                            ? CommandType::kAddFlow
                            : CommandType::kModifyFlow;
      if (type == CommandType::kModifyFlow)
        h.command(channel::make_flow_command(CommandType::kModifyFlow, spec),
                  CommandType::kModifyFlow);
      allowed[port].insert(remote_port);
      h.inject(0, rtp_frame(port, static_cast<uint16_t>(gen)));
      ++injected;
    }
    h.poll();
  }
  uint64_t forwarded = 0;
  for (const auto& f : h.sent(1)) {
    const uint16_t remote_port = test::be16(&f[36]);
    const uint16_t key_port = static_cast<uint16_t>(20000 + 2 * ((remote_port - 30000) % 100));
    EXPECT_TRUE(allowed[key_port].count(remote_port)) << remote_port;
    EXPECT_TRUE(test::checksums_valid(f, 14));
    ++forwarded;
  }
  expect_every_packet_accounted(h.stats(), injected, forwarded);
  EXPECT_EQ(forwarded, injected);  // commands are applied before each burst in these steps
}

TEST(Worker, ConcurrentAddDeleteOnAWorkerLcoreNeverMisroutesAndCountsEveryPacket) {
  // The worker runs on lcore 1 with the real clock while this thread programs flows and sends
  // packets without waiting for answers. Remote port 30000 + 100 * generation + i encodes the key
  // index i; every packet carries its key index in its payload, so a packet forwarded with another
  // key's destination is caught.
  WorkerHarness h;
  constexpr unsigned kKeys = 16, kGenerations = 40;
  std::map<uint16_t, unsigned> remote_to_key;
  std::vector<bool> present(kKeys, false);
  uint64_t injected = 0, commands = 0;
  std::vector<std::vector<uint8_t>> out;
  h.start_worker(1);
  for (unsigned gen = 0; gen < kGenerations; ++gen) {
    for (unsigned i = 0; i < kKeys; ++i) {
      const uint16_t port = static_cast<uint16_t>(20000 + 2 * i);
      const uint16_t remote = static_cast<uint16_t>(30000 + 100 * (gen % 300) + i);
      const auto spec = h.relay_spec(port, "198.51.100.10:" + std::to_string(remote), 21000);
      remote_to_key[remote] = i;
      if (present[i] && (gen + i) % 4 == 0) {
        h.send(channel::make_key_command(CommandType::kDeleteFlow, spec.key),
               CommandType::kDeleteFlow);
        present[i] = false;
      } else {
        const auto type = present[i] ? CommandType::kModifyFlow : CommandType::kAddFlow;
        h.send(channel::make_flow_command(type, spec), type);
        present[i] = true;
      }
      ++commands;
      test::FrameSpec fs;
      fs.dst_port = port;
      fs.payload = test::rtp_payload(static_cast<uint16_t>(gen), gen * 160u, 0x1234);
      fs.payload[12] = static_cast<uint8_t>(i);  // the key index, in the payload
      const auto frame = test::build_frame(fs);
      for (int k = 0; k < 4; ++k) {
        // A full RX ring is back-pressure from the worker: wait for it (bounded).
        int tries = 0;
        while (!h.try_inject(0, frame) && ++tries < 1000000) rte_pause();
        ASSERT_LT(tries, 1000000) << "worker stopped taking packets";
        ++injected;
      }
    }
    for (auto& f : h.sent(1)) out.push_back(std::move(f));
  }
  // Wait (bounded) until the worker has taken every packet, then stop it.
  for (int spins = 0; spins < 2000000 && h.stats().rx < injected; ++spins) rte_pause();
  h.stop_worker();
  for (auto& f : h.sent(1)) out.push_back(std::move(f));
  uint64_t forwarded = 0;
  for (const auto& f : out) {
    const uint16_t remote = test::be16(&f[36]);
    ASSERT_TRUE(remote_to_key.count(remote)) << remote;
    EXPECT_EQ(remote_to_key[remote], f[42 + 12]) << "packet of key " << unsigned(f[42 + 12])
                                                  << " sent to " << remote;
    EXPECT_TRUE(test::checksums_valid(f, 14));
    ++forwarded;
  }
  const auto st = h.stats();
  expect_every_packet_accounted(st, injected, forwarded);
  EXPECT_GT(forwarded, injected / 2);  // most packets met a live flow
  uint64_t answers = 0;
  for (const auto& e : h.events())
    answers += type_of(e) == EventType::kCommandOk || type_of(e) == EventType::kCommandError;
  EXPECT_EQ(answers, commands);
  EXPECT_EQ(st.commands_failed, 0u);
  EXPECT_EQ(st.events_lost, 0u);
}

TEST(Worker, DumpListsEveryFlowThenSaysDone) {
  WorkerHarness h;
  for (uint16_t i = 0; i < 40; ++i)
    add(h, h.relay_spec(static_cast<uint16_t>(20000 + 2 * i), "198.51.100.10:30000", 20002));
  channel::Command d = channel::make_key_command(CommandType::kDumpFlows, {});
  d.spec.key.port = 20000;
  auto ev = h.command(d, CommandType::kDumpFlows);
  h.poll(8);
  for (const auto& e : h.events()) ev.push_back(e);
  unsigned flows = 0, done = 0;
  for (const auto& e : ev) {
    flows += type_of(e) == EventType::kFlowInfo;
    done += type_of(e) == EventType::kDumpDone;
  }
  EXPECT_EQ(flows, 40u);
  EXPECT_EQ(done, 1u);
}

TEST(Worker, DispatcherHandsPacketsToTheWorkerOwningTheirPort) {
  WorkerHarness h(2);
  // 20000 -> owner 0; 20002 -> owner 1 ((port >> 1) % 2).
  add(h, h.relay_spec(20000, "198.51.100.10:30000", 20002));
  add(h, h.relay_spec(20002, "198.51.100.10:30002", 20004));
  h.inject(0, rtp_frame(20000));
  h.inject(0, rtp_frame(20002));
  h.poll(3);
  EXPECT_EQ(h.sent(1).size(), 2u);
  EXPECT_EQ(h.stats(0).handoff, 1u);
  EXPECT_EQ(h.stats(1).tx, 1u);
  EXPECT_EQ(h.stats(0).tx, 1u);
}

}  // namespace
