// DTMF across legs that disagree on telephone-event, through the worker's media stages on net_ring
// ports: every digit string must come out exactly (digits, order, durations within a tolerance)
// on the other side, decoded there the way a peer would (RFC 4733 receiver, or spandsp's in-band
// detector on the decoded audio):
// - RFC 4733 through a transcoded flow: renumbered into its stream, type remapped, end packets
// kept;
// - in-band G.711 -> RFC 4733 on a G.729 leg and on a G.711 relay (tones muted in the audio);
// - RFC 4733 -> in-band tones on a G.711 relay and into a G.729 -> G.711 transcoder;
// and the control plane hears every digit as kDtmf events either way.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "media/dtmf/dtmf_tone_generator.h"
#include "media/dtmf/inband_dtmf_detector.h"
#include "media/dtmf/telephone_event.h"
#include "tests/dataplane/treatment_helpers.h"

using namespace trunkgate;
using channel::Codec;
using channel::EventType;
using test::rtp_with;
using test::StepOutput;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;
constexpr uint8_t kEventIn = 101;
constexpr uint8_t kEventOut = 96;
constexpr uint16_t kFirstSeq = 65530;  // wraps during the test
constexpr uint32_t kOutSsrc = 0x5eed0001;
constexpr uint32_t kTsOffset = 90000;
constexpr unsigned kStep = 160;             // 20 ms packets
constexpr uint32_t kDigitSlot = 1600;       // each digit owns 200 ms of the stream ...
constexpr uint16_t kDigitLength = 800;      // ... and sounds for the first 100 ms of it
constexpr double kDurationTolerance = 320;  // detection lags start and end by a packet or two

struct Digit {
  char digit;
  uint32_t timestamp;  // start, on the clock of the stream it was read from
  uint32_t duration;
};

channel::MediaTreatment transcoding(Codec in, uint8_t in_pt, Codec out, uint8_t out_pt) {
  return test::transcoding(in, in_pt, out, out_pt, 20, {kFirstSeq, kOutSsrc, kTsOffset});
}

void add_flow(WorkerHarness& h, const channel::MediaTreatment& t) {
  test::add_carrier_flow(h, kPort, t);
}

std::vector<uint8_t> event_payload(char digit, uint16_t duration, bool end) {
  const uint8_t code = media::dtmf_event_from_char(digit);
  return {code, static_cast<uint8_t>((end ? 0x80 : 0) | 10), static_cast<uint8_t>(duration >> 8),
          static_cast<uint8_t>(duration)};
}

// The RFC 4733 packets a sender emits in the 20 ms step starting at `ts` for `digits` laid out one
// per kDigitSlot: the start (marker), one continuation per step, three end packets.
std::vector<std::vector<uint8_t>> events_at(const std::string& digits, uint32_t ts, uint16_t& seq) {
  std::vector<std::vector<uint8_t>> out;
  const uint32_t slot = ts / kDigitSlot;
  if (slot >= digits.size() || ts % kDigitSlot >= kDigitLength) return out;
  const uint32_t start = slot * kDigitSlot;
  const auto duration = static_cast<uint16_t>(std::min<uint32_t>(ts + kStep - start, kDigitLength));
  const bool end = duration == kDigitLength;
  for (int i = 0; i < (end ? 3 : 1); ++i)
    out.push_back(
        rtp_with(kEventIn, seq++, start, event_payload(digits[slot], duration, end), ts == start));
  return out;
}

// 20 ms of G.711 audio of `pcm` at ts.
std::vector<uint8_t> g711_packet(media::G711Law law, uint8_t pt, const std::vector<int16_t>& pcm,
                                 uint32_t ts, uint16_t seq) {
  std::vector<uint8_t> codes(kStep);
  media::g711_encode(law, std::span(pcm).subspan(ts, kStep), codes.data());
  return rtp_with(pt, seq, ts, codes);
}

// `digits` as 100 ms tones each followed by 100 ms of silence.
std::vector<int16_t> tone_signal(const std::string& digits) {
  std::vector<int16_t> pcm(digits.size() * kDigitSlot, 0);
  media::DtmfToneGenerator gen;
  for (size_t i = 0; i < digits.size(); ++i) {
    gen.start(media::dtmf_event_from_char(digits[i]));
    gen.render(&pcm[i * kDigitSlot], kDigitLength);
  }
  return pcm;
}

// Digits a receiving peer hears in-band in decoded audio (spandsp's detector).
std::vector<Digit> detect_inband(const std::vector<int16_t>& pcm) {
  media::InbandDtmfDetector detector;
  std::vector<Digit> out;
  for (size_t at = 0; at + kStep <= pcm.size(); at += kStep) {
    media::DtmfTransition tr[media::InbandDtmfDetector::kMaxTransitionsPerCall];
    const size_t n = detector.process(&pcm[at], kStep, static_cast<uint32_t>(at), tr);
    for (size_t i = 0; i < n; ++i) {
      if (!out.empty() && out.back().duration == 0)
        out.back().duration = tr[i].timestamp - out.back().timestamp;
      if (tr[i].event != media::kNoEvent)
        out.push_back({media::dtmf_event_to_char(tr[i].event), tr[i].timestamp, 0});
    }
  }
  return out;
}

// Digits a receiving peer reads from RFC 4733 packets of `pt` (one per event timestamp, the final
// duration from its end packets), checking the packets the way RFC 4733 section 2.5 lays them out.
std::vector<Digit> read_events(const std::vector<std::vector<uint8_t>>& sent, uint8_t pt) {
  std::vector<Digit> out;
  std::map<uint32_t, unsigned> end_packets;
  for (const auto& p : sent) {
    if ((p[1] & 0x7f) != pt) continue;
    EXPECT_EQ(p.size(), 16u);
    const uint32_t ts = test::be32(&p[4]);
    const bool end = p[13] & 0x80;
    if (out.empty() || out.back().timestamp != ts) {
      EXPECT_TRUE(p[1] & 0x80) << "first packet of an event carries the marker";
      out.push_back({media::dtmf_event_to_char(p[12]), ts, 0});
    } else {
      EXPECT_FALSE(p[1] & 0x80);
    }
    out.back().duration = test::be16(&p[14]);
    if (end) ++end_packets[ts];
  }
  for (const Digit& d : out) EXPECT_EQ(end_packets[d.timestamp], 3u) << d.digit;
  return out;
}

std::string digits_of(const std::vector<Digit>& v) {
  std::string s;
  for (const Digit& d : v) s += d.digit;
  return s;
}

void expect_durations(const std::vector<Digit>& v, double expected, double tolerance) {
  for (const Digit& d : v)
    EXPECT_NEAR(static_cast<double>(d.duration), expected, tolerance) << d.digit;
}

// Sequence numbers of everything sent: consecutive from kFirstSeq, whatever the payload type.
void expect_gap_free(const std::vector<std::vector<uint8_t>>& sent) {
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(test::be16(&sent[i][2]), static_cast<uint16_t>(kFirstSeq + i)) << i;
    EXPECT_EQ(test::be32(&sent[i][8]), kOutSsrc) << i;
  }
}

// The control plane's view: a start and an end report per digit, in order.
std::vector<Digit> reported(const std::vector<channel::DtmfReport>& reports,
                            channel::DtmfOrigin origin) {
  std::vector<Digit> out;
  for (const auto& r : reports) {
    EXPECT_EQ(r.origin, static_cast<uint8_t>(origin));
    if (r.end == 0) {
      out.push_back({media::dtmf_event_to_char(r.event), r.timestamp, 0});
    } else {
      EXPECT_FALSE(out.empty());
      if (out.empty()) continue;
      EXPECT_EQ(media::dtmf_event_to_char(r.event), out.back().digit);
      out.back().duration = r.duration;
    }
  }
  return out;
}

std::vector<int16_t> decode_g711(media::G711Law law, uint8_t pt,
                                 const std::vector<std::vector<uint8_t>>& sent) {
  std::vector<int16_t> pcm;
  for (const auto& p : sent) {
    if ((p[1] & 0x7f) != pt) continue;
    std::vector<int16_t> buf(p.size() - 12);
    media::g711_decode(law, std::span(p).subspan(12), buf.data());
    pcm.insert(pcm.end(), buf.begin(), buf.end());
  }
  return pcm;
}

// A sender's RFC 4733 digits over its audio: every 20 ms step, that step's event packets (before
// the audio they sound in) then audio(ts, seq); returns what the worker did.
template <typename AudioPacket>
StepOutput send_events_over(WorkerHarness& h, const std::string& digits, AudioPacket audio) {
  StepOutput out;
  uint16_t seq = 1000;
  for (uint32_t ts = 0; ts < digits.size() * kDigitSlot; ts += kStep) {
    auto packets = events_at(digits, ts, seq);
    packets.push_back(audio(ts, seq++));
    test::step(h, kPort, packets, 20, out);
  }
  return out;
}

TEST(WorkerDtmfInterworking, EventsRenumberedThroughATranscodedFlow) {
  WorkerHarness h;
  auto t = transcoding(Codec::kPcma, 8, Codec::kG729, 18);
  t.stages |= channel::kTreatEventMap;
  t.pt_map = {0, 0, kEventIn, kEventOut};
  add_flow(h, t);
  const std::string digits = "19#*";
  const std::vector<int16_t> silence(digits.size() * kDigitSlot, 0);
  const StepOutput out = send_events_over(h, digits, [&](uint32_t ts, uint16_t seq) {
    return g711_packet(media::G711Law::alaw, 8, silence, ts, seq);
  });
  expect_gap_free(out.sent);
  const auto events = read_events(out.sent, kEventOut);
  EXPECT_EQ(digits_of(events), digits);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].duration, kDigitLength);
    EXPECT_EQ(events[i].timestamp, kTsOffset + i * kDigitSlot);  // the audio's clock and offset
  }
  // The audio goes on around the events: 20 ms G.729 packets on the same clock.
  uint32_t audio_packets = 0;
  for (const auto& p : out.sent) {
    if ((p[1] & 0x7f) == 18) {
      EXPECT_EQ(test::be32(&p[4]), kTsOffset + kStep * audio_packets);
      ++audio_packets;
    }
  }
  EXPECT_EQ(audio_packets, silence.size() / kStep);
  const auto heard = reported(out.dtmf, channel::DtmfOrigin::kTelephoneEvent);
  EXPECT_EQ(digits_of(heard), digits);
  expect_durations(heard, kDigitLength, 0);
  EXPECT_EQ(h.stats().drops[channel::kDropTranscode], 0u);
}

TEST(WorkerDtmfInterworking, InbandG711BecomesEventsOnTheG729Leg) {
  WorkerHarness h;
  auto t = transcoding(Codec::kPcma, 8, Codec::kG729, 18);
  t.stages |= channel::kTreatTonesToEvents;
  t.dtmf = {static_cast<uint8_t>(Codec::kPcma), 8, {}};
  t.pt_map.event_out = kEventOut;
  add_flow(h, t);
  const std::string digits = "159#0D";
  const auto signal = tone_signal(digits);
  StepOutput out;
  for (uint32_t ts = 0; ts + kStep <= signal.size(); ts += kStep)
    test::step(h, kPort, {g711_packet(media::G711Law::alaw, 8, signal, ts, 0)}, 20, out);
  expect_gap_free(out.sent);
  const auto events = read_events(out.sent, kEventOut);
  EXPECT_EQ(digits_of(events), digits);
  expect_durations(events, kDigitLength, kDurationTolerance);
  for (size_t i = 0; i < events.size(); ++i) {  // each within its own slot of the stream
    EXPECT_GE(events[i].timestamp - kTsOffset, i * kDigitSlot);
    EXPECT_LT(events[i].timestamp - kTsOffset, i * kDigitSlot + kDigitLength);
  }
  // The tones are muted in the G.729 audio: the far end must not hear the digits twice.
  EXPECT_EQ(digits_of(detect_inband(test::decode_g729(out.sent))), "");
  const auto heard = reported(out.dtmf, channel::DtmfOrigin::kInband);
  EXPECT_EQ(digits_of(heard), digits);
  expect_durations(heard, kDigitLength, kDurationTolerance);
}

TEST(WorkerDtmfInterworking, InbandG711BecomesEventsOnATranslatingG711Relay) {
  WorkerHarness h;
  channel::MediaTreatment t{};
  t.stages = channel::kTreatTonesToEvents;
  t.dtmf = {static_cast<uint8_t>(Codec::kPcmu), 0, {}};
  t.pt_map.event_out = kEventOut;
  auto spec = h.relay_spec(kPort, "198.51.100.10:30000", 20002);
  spec.flags |= channel::kFlowTranslateRtp;  // the inserted events shift the relay's numbering
  spec.out_ssrc = kOutSsrc;
  ASSERT_EQ(test::type_of(test::add_treated(h, spec, t)), EventType::kCommandOk);
  const std::string digits = "*80B";
  const auto signal = tone_signal(digits);
  StepOutput out;
  for (uint32_t ts = 0; ts + kStep <= signal.size(); ts += kStep)
    test::step(h, kPort,
               {g711_packet(media::G711Law::ulaw, 0, signal, ts,
                            static_cast<uint16_t>(kFirstSeq + ts / kStep))},
               20, out);
  expect_gap_free(out.sent);  // relayed audio and inserted events in one numbering
  const auto events = read_events(out.sent, kEventOut);
  EXPECT_EQ(digits_of(events), digits);
  expect_durations(events, kDigitLength, kDurationTolerance);
  for (size_t i = 0; i < events.size(); ++i) {  // on the relayed stream's own clock
    EXPECT_GE(events[i].timestamp, i * kDigitSlot);
    EXPECT_LT(events[i].timestamp, i * kDigitSlot + kDigitLength);
  }
  EXPECT_EQ(digits_of(detect_inband(decode_g711(media::G711Law::ulaw, 0, out.sent))), "");
  EXPECT_EQ(digits_of(reported(out.dtmf, channel::DtmfOrigin::kInband)), digits);
}

TEST(WorkerDtmfInterworking, EventsBecomeTonesOnAG711Relay) {
  WorkerHarness h;
  channel::MediaTreatment t{};
  t.stages = channel::kTreatEventsToTones;
  t.dtmf = {static_cast<uint8_t>(Codec::kPcmu), 0, {}};
  t.pt_map.event_in = kEventIn;
  add_flow(h, t);
  const std::string digits = "42*7";
  const std::vector<int16_t> silence(digits.size() * kDigitSlot, 0);
  const StepOutput out = send_events_over(h, digits, [&](uint32_t ts, uint16_t seq) {
    return g711_packet(media::G711Law::ulaw, 0, silence, ts, seq);
  });
  // Only audio reaches the leg without telephone-event, every packet of it, in order.
  ASSERT_EQ(out.sent.size(), silence.size() / kStep);
  for (size_t i = 0; i < out.sent.size(); ++i) {
    EXPECT_EQ(out.sent[i][1] & 0x7f, 0) << i;
    EXPECT_EQ(test::be32(&out.sent[i][4]), i * kStep) << i;
  }
  const auto heard = detect_inband(decode_g711(media::G711Law::ulaw, 0, out.sent));
  EXPECT_EQ(digits_of(heard), digits);
  expect_durations(heard, kDigitLength, kDurationTolerance);
  const auto cp = reported(out.dtmf, channel::DtmfOrigin::kTelephoneEvent);
  EXPECT_EQ(digits_of(cp), digits);
  expect_durations(cp, kDigitLength, 0);
}

TEST(WorkerDtmfInterworking, EventsBecomeTonesThroughAG729ToG711Transcoder) {
  WorkerHarness h;
  auto t = transcoding(Codec::kG729, 18, Codec::kPcma, 8);
  t.stages |= channel::kTreatEventsToTones;
  t.pt_map.event_in = kEventIn;
  add_flow(h, t);
  const std::string digits = "3A";
  const std::vector<int16_t> silence(digits.size() * kDigitSlot, 0);
  media::G729Encoder encoder(false);
  const StepOutput out = send_events_over(h, digits, [&](uint32_t ts, uint16_t seq) {
    std::vector<uint8_t> frames(20);
    encoder.encode(&silence[ts], frames.data());
    encoder.encode(&silence[ts + 80], frames.data() + 10);
    return rtp_with(18, seq, ts, frames);
  });
  expect_gap_free(out.sent);
  const auto heard = detect_inband(decode_g711(media::G711Law::alaw, 8, out.sent));
  EXPECT_EQ(digits_of(heard), digits);
  expect_durations(heard, kDigitLength, kDurationTolerance);
}

}  // namespace
