// RFC 4733 payloads and the DTMF interworking paths: in-band (spandsp's generator as an
// independent source) -> RFC 4733, and RFC 4733 -> in-band -> detected (by spandsp's detector
// directly), with digits, order and durations checked.
#include <gtest/gtest.h>
#include <spandsp.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "media/codec/g711.h"
#include "media/dtmf/dtmf_interworking.h"
#include "media/dtmf/inband_to_telephone_events.h"
#include "media/dtmf/telephone_event.h"
#include "media/dtmf/telephone_event_receiver.h"
#include "media/dtmf/telephone_event_sender.h"
#include "media/dtmf/telephone_events_to_inband.h"

namespace trunkgate::media {
namespace {

constexpr std::size_t kFrame = 160;  // 20 ms packets

TEST(TelephoneEvent, ParseAndBuildRoundTrip) {
  const uint8_t wire[] = {11, 0x8a, 0x03, 0x20};  // '#', end, volume 10, 800
  TelephoneEvent e;
  ASSERT_EQ(parse_telephone_event(wire, e), TelephoneEventError::ok);
  EXPECT_EQ(e.event, 11);
  EXPECT_TRUE(e.end);
  EXPECT_EQ(e.volume, 10);
  EXPECT_EQ(e.duration, 800);
  uint8_t back[4];
  write_telephone_event(e, back);
  EXPECT_EQ(0, std::memcmp(back, wire, 4));
}

TEST(TelephoneEvent, RejectsBadLengthAndFlagsNonDtmf) {
  TelephoneEvent e;
  const uint8_t three[] = {1, 2, 3};
  const uint8_t high[] = {36, 0x0a, 0, 160};
  const uint8_t redundant[] = {5, 0x0a, 0, 160, 4, 0x8a, 3, 0x20};
  EXPECT_EQ(parse_telephone_event({}, e), TelephoneEventError::bad_length);
  EXPECT_EQ(parse_telephone_event(three, e), TelephoneEventError::bad_length);
  EXPECT_EQ(parse_telephone_event(high, e), TelephoneEventError::unsupported_event);
  EXPECT_EQ(parse_telephone_event(redundant, e), TelephoneEventError::ok);
  EXPECT_EQ(e.event, 5);
}

TEST(TelephoneEvent, CharMapping) {
  const std::string all = "0123456789*#ABCD!";
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(dtmf_event_from_char(all[i]), i);
    EXPECT_EQ(dtmf_event_to_char(static_cast<uint8_t>(i)), all[i]);
  }
  EXPECT_EQ(dtmf_event_from_char('x'), kNoEvent);
  EXPECT_EQ(dtmf_event_to_char(17), '\0');
}

TEST(TelephoneEventSender, StartContinuationAndThreeEnds) {
  TelephoneEventSender s;
  s.start(5, 1000, 10);
  TelephoneEventPacket p[3];
  ASSERT_TRUE(s.update(1160, p[0]));
  EXPECT_TRUE(p[0].marker);
  EXPECT_EQ(p[0].timestamp, 1000u);
  ASSERT_TRUE(s.update(1320, p[0]));
  EXPECT_FALSE(p[0].marker);
  ASSERT_EQ(s.finish(1400, p), 3u);
  for (const auto& end : p) {
    TelephoneEvent e;
    ASSERT_EQ(parse_telephone_event(end.payload, e), TelephoneEventError::ok);
    EXPECT_TRUE(e.end);
    EXPECT_EQ(e.duration, 400);
    EXPECT_EQ(end.timestamp, 1000u);
  }
  EXPECT_FALSE(s.update(1480, p[0]));
}

TEST(TelephoneEventReceiver, DeduplicatesEndsAndClosesEventsWhoseEndWasLost) {
  TelephoneEventReceiver r;
  TelephoneEventReport out[TelephoneEventReceiver::kMaxReports];
  TelephoneEvent e{1, false, 10, 160};
  ASSERT_EQ(r.on_event(e, 100, out), 1u);
  EXPECT_EQ(out[0].kind, TelephoneEventReport::Kind::began);
  e.duration = 320;
  EXPECT_EQ(r.on_event(e, 100, out), 0u);
  e.end = true;
  e.duration = 400;
  ASSERT_EQ(r.on_event(e, 100, out), 1u);
  EXPECT_EQ(out[0].kind, TelephoneEventReport::Kind::ended);
  EXPECT_EQ(out[0].duration, 400);
  EXPECT_EQ(r.on_event(e, 100, out), 0u);  // 2nd and 3rd end packets
  EXPECT_EQ(r.on_event(e, 100, out), 0u);
  // Next event's start lost, its end packets lost too: a third event closes it.
  TelephoneEvent two{2, false, 10, 320};
  ASSERT_EQ(r.on_event(two, 2000, out), 1u);
  TelephoneEvent three{3, false, 10, 160};
  ASSERT_EQ(r.on_event(three, 4000, out), 2u);
  EXPECT_EQ(out[0].kind, TelephoneEventReport::Kind::ended);
  EXPECT_EQ(out[0].event, 2);
  EXPECT_EQ(out[0].duration, 320);
  EXPECT_EQ(out[1].kind, TelephoneEventReport::Kind::began);
  EXPECT_EQ(out[1].event, 3);
  ASSERT_EQ(r.expire(out), 1u);
  EXPECT_EQ(out[0].event, 3);
  EXPECT_EQ(r.expire(out), 0u);
}

struct Digit {
  char digit;
  unsigned duration_ms;
};

// Spandsp's generator (independent of our code) makes the in-band source, through G.711.
std::vector<int16_t> inband_source(const std::string& digits, int on_ms, int off_ms) {
  dtmf_tx_state_t* tx = dtmf_tx_init(nullptr);
  dtmf_tx_set_timing(tx, on_ms, off_ms);
  dtmf_tx_put(tx, digits.c_str(), static_cast<int>(digits.size()));
  std::vector<int16_t> pcm(static_cast<std::size_t>((on_ms + off_ms) * 8 * (digits.size() + 2)), 0);
  dtmf_tx(tx, pcm.data() + 800, static_cast<int>(pcm.size() - 800));  // 100 ms lead-in silence
  dtmf_tx_free(tx);
  for (auto& s : pcm) s = alaw_decode(alaw_encode(s));
  return pcm;
}

TEST(DtmfInterworking, InbandToRfc4733KeepsDigitsOrderAndDurations) {
  const std::string digits = "159#*0D7";
  const auto pcm = inband_source(digits, 100, 60);
  InbandToTelephoneEvents pipeline;
  pipeline.reset();
  TelephoneEventReceiver receiver;  // the far end's view of what we sent
  std::vector<Digit> got;
  int end_packets = 0;
  // Tone suppression: count frames wholly inside a tone, and wholly inside silence at least
  // 40 ms after a tone (the detector's hangover), with suppress_audio() set.
  int tone_frames = 0, tone_suppressed = 0, quiet_frames = 0, quiet_suppressed = 0;
  auto tone_on = [&](std::size_t sample) {
    if (sample < 800) return false;
    const std::size_t in_cycle = (sample - 800) % 1280;
    return (sample - 800) / 1280 < digits.size() && in_cycle < 800;
  };
  for (std::size_t at = 0; at + kFrame <= pcm.size(); at += kFrame) {
    TelephoneEventPacket packets[InbandToTelephoneEvents::kMaxPacketsPerFrame];
    const std::size_t n = pipeline.process(pcm.data() + at, kFrame, static_cast<uint32_t>(at), packets);
    if (tone_on(at) && tone_on(at + kFrame - 1)) {
      ++tone_frames;
      tone_suppressed += pipeline.suppress_audio();
    } else if (!tone_on(at) && !tone_on(at + kFrame - 1) && at >= 320 && !tone_on(at - 320)) {
      ++quiet_frames;
      quiet_suppressed += pipeline.suppress_audio();
    }
    for (std::size_t i = 0; i < n; ++i) {
      TelephoneEvent e;
      ASSERT_EQ(parse_telephone_event(packets[i].payload, e), TelephoneEventError::ok);
      end_packets += e.end;
      TelephoneEventReport reports[TelephoneEventReceiver::kMaxReports];
      const std::size_t r = receiver.on_event(e, packets[i].timestamp, reports);
      for (std::size_t k = 0; k < r; ++k)
        if (reports[k].kind == TelephoneEventReport::Kind::ended)
          got.push_back({dtmf_event_to_char(reports[k].event), reports[k].duration / 8u});
    }
  }
  std::string got_digits;
  for (const auto& d : got) got_digits += d.digit;
  EXPECT_EQ(got_digits, digits);
  EXPECT_EQ(end_packets, 3 * static_cast<int>(digits.size()));
  EXPECT_EQ(quiet_suppressed, 0);
  EXPECT_GE(tone_suppressed * 10, tone_frames * 6) << tone_suppressed << "/" << tone_frames;
  for (const auto& d : got) {
    EXPECT_GE(d.duration_ms, 100u - 30u) << d.digit;  // frame granularity + detector hangover
    EXPECT_LE(d.duration_ms, 100u + 30u) << d.digit;
  }
}

// Detects with spandsp directly, recording on/off times (sample-accurate to the 20 ms frame).
std::vector<Digit> detect(const std::vector<int16_t>& pcm) {
  struct Log {
    std::vector<Digit> digits;
    std::size_t now = 0;
    std::size_t started = 0;
  } log;
  dtmf_rx_state_t* rx = dtmf_rx_init(nullptr, nullptr, nullptr);
  dtmf_rx_set_realtime_callback(
      rx,
      [](void* user, int code, int, int) {
        auto* l = static_cast<Log*>(user);
        if (code != 0) {
          l->started = l->now;
          l->digits.push_back({static_cast<char>(code), 0});
        } else if (!l->digits.empty()) {
          l->digits.back().duration_ms = static_cast<unsigned>((l->now - l->started) / 8);
        }
      },
      &log);
  for (std::size_t at = 0; at + kFrame <= pcm.size(); at += kFrame) {
    log.now = at;
    dtmf_rx(rx, pcm.data() + at, kFrame);
  }
  dtmf_rx_free(rx);
  return log.digits;
}

TEST(DtmfInterworking, Rfc4733ToInbandIsDetectedWithTheSentDurations) {
  const std::vector<Digit> sent = {{'1', 100}, {'2', 80}, {'3', 200}, {'A', 120}, {'#', 60},
                                   {'0', 160}, {'*', 100}, {'9', 90}};
  // Build the RFC 4733 stream: an event every 20 ms while on, 3 ends, 60 ms gap.
  struct Timed {
    std::vector<uint8_t> payload;
    uint32_t timestamp;
    std::size_t arrival;  // sample at which the packet is available
  };
  std::vector<Timed> stream;
  std::size_t t = 800;
  for (const auto& d : sent) {
    TelephoneEventSender s;
    s.start(dtmf_event_from_char(d.digit), static_cast<uint32_t>(t), 10);
    const std::size_t end = t + d.duration_ms * 8;
    TelephoneEventPacket p[3];
    for (std::size_t now = t + kFrame; now < end; now += kFrame) {
      s.update(static_cast<uint32_t>(now), p[0]);
      stream.push_back({{p[0].payload, p[0].payload + 4}, p[0].timestamp, now});
    }
    s.finish(static_cast<uint32_t>(end), p);
    for (const auto& e : p) stream.push_back({{e.payload, e.payload + 4}, e.timestamp, end});
    t = end + 480;
  }
  TelephoneEventsToInband player;
  std::vector<int16_t> pcm(t + 1600, 0);
  std::size_t next = 0;
  for (std::size_t at = 0; at + kFrame <= pcm.size(); at += kFrame) {
    TelephoneEventReport reports[TelephoneEventReceiver::kMaxReports];
    while (next < stream.size() && stream[next].arrival <= at) {
      player.on_packet(stream[next].payload, stream[next].timestamp, reports);
      ++next;
    }
    player.render(pcm.data() + at, kFrame);
  }
  for (auto& s : pcm) s = ulaw_decode(ulaw_encode(s));
  const auto got = detect(pcm);
  ASSERT_EQ(got.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(got[i].digit, sent[i].digit) << i;
    EXPECT_NEAR(got[i].duration_ms, sent[i].duration_ms, 25) << i;
  }
}

// The worker's per-flow tap: fed 10 ms at a time, it collects per 20 ms packet only the starts, the
// ends and the newest continuation, mutes the tones, and keeps digits and order.
TEST(DtmfInterworkingTap, OneContinuationPerPacketAndTonesMuted) {
  const std::string digits = "28#";
  auto pcm = inband_source(digits, 100, 60);
  static DtmfInterworking tap;  // large, and it must not move after reset()
  tap.reset(true, false);
  std::string sent;
  int loud_samples = 0;
  for (std::size_t at = 0; at + kFrame <= pcm.size(); at += kFrame) {
    tap.on_pcm(&pcm[at], 80, static_cast<uint32_t>(at));
    tap.on_pcm(&pcm[at + 80], 80, static_cast<uint32_t>(at + 80));
    int continuations = 0;
    for (const TelephoneEventPacket& p : tap.take_packets()) {
      const bool end = p.payload[1] & 0x80;
      continuations += !p.marker && !end;
      if (p.marker) sent += dtmf_event_to_char(p.payload[0]);
    }
    EXPECT_LE(continuations, 1) << at;
    for (std::size_t i = at; i < at + kFrame; ++i) loud_samples += std::abs(pcm[i]) > 2000;
  }
  EXPECT_EQ(sent, digits);
  // Only the first tens of ms of each tone (detection time) leak: far less than the 300 ms sent.
  EXPECT_LT(loud_samples, 3 * 480);
}

// A sender that went quiet mid-digit (end packets lost): the tone stops after 300 ms of audio and
// one "ended" report says so.
TEST(DtmfInterworkingTap, ToneOfAQuietSenderExpires) {
  static DtmfInterworking tap;
  tap.reset(false, true);
  const uint8_t start[] = {5, 10, 0, 160};
  TelephoneEventReport reports[TelephoneEventReceiver::kMaxReports];
  ASSERT_EQ(tap.on_event(start, 1000, reports), 1u);
  std::vector<int16_t> pcm(80 * 60, 0);  // 600 ms
  TelephoneEventReport expired{};
  int expired_at = -1;
  for (int f = 0; f < 60; ++f) {
    tap.on_pcm(&pcm[80 * f], 80, 1000 + 80 * f);
    if (tap.take_expired(expired)) {
      EXPECT_EQ(expired_at, -1);
      expired_at = f;
    }
  }
  EXPECT_EQ(expired_at, 30);  // 300 ms of audio without an event packet
  EXPECT_EQ(expired.event, 5);
  EXPECT_EQ(expired.kind, TelephoneEventReport::Kind::ended);
  for (int f = 0; f < 30; ++f) EXPECT_NE(pcm[80 * f + 40], 0) << f;  // the tone ...
  for (int f = 31; f < 60; ++f) EXPECT_EQ(pcm[80 * f + 40], 0) << f;  // ... then silence
}

TEST(DtmfInterworking, SpeechLikeAudioProducesNoEvents) {
  InbandToTelephoneEvents pipeline;
  pipeline.reset();
  std::vector<int16_t> pcm(16000);
  for (std::size_t n = 0; n < pcm.size(); ++n)  // two vowel-ish harmonics series
    pcm[n] = static_cast<int16_t>(3000 * std::sin(2 * M_PI * 130 * n / 8000.0) +
                                  2000 * std::sin(2 * M_PI * 260 * n / 8000.0) +
                                  1000 * std::sin(2 * M_PI * 780 * n / 8000.0));
  std::size_t packets = 0;
  for (std::size_t at = 0; at + kFrame <= pcm.size(); at += kFrame) {
    TelephoneEventPacket out[InbandToTelephoneEvents::kMaxPacketsPerFrame];
    packets += pipeline.process(pcm.data() + at, kFrame, static_cast<uint32_t>(at), out);
  }
  EXPECT_EQ(packets, 0u);
}

}  // namespace
}  // namespace trunkgate::media
