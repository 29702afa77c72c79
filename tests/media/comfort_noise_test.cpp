// RFC 3389 comfort noise and its mapping to and from G.729 Annex B SID frames.
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "media/cn/comfort_noise.h"
#include "media/codec/g729.h"
#include "tests/media/g729_frame_loop.h"
#include "tests/media/test_signals.h"

namespace trunkgate::media {
namespace {

TEST(CnPayload, ParseAndWrite) {
  CnPayload cn;
  const uint8_t with_spectrum[] = {60, 1, 2, 3};
  ASSERT_EQ(parse_cn_payload(with_spectrum, cn), CnError::ok);
  EXPECT_EQ(cn.level, 60);
  EXPECT_EQ(cn.spectral_count, 3);
  EXPECT_EQ(parse_cn_payload({}, cn), CnError::empty);
  const uint8_t reserved[] = {0x80};
  EXPECT_EQ(parse_cn_payload(reserved, cn), CnError::reserved_bit_set);
  std::vector<uint8_t> long_payload(40, 5);
  ASSERT_EQ(parse_cn_payload(long_payload, cn), CnError::ok);
  EXPECT_EQ(cn.spectral_count, kCnMaxSpectralBytes);
  uint8_t out[1];
  ASSERT_EQ(write_cn_payload(200, out), 1u);
  EXPECT_EQ(out[0], 127);
}

TEST(ComfortNoiseGenerator, RendersTheRequestedLevel) {
  ComfortNoiseGenerator g;
  g.reset(9);
  std::vector<int16_t> pcm(8000);
  for (uint8_t level : {20, 35, 50, 65, 80}) {
    g.set_level(level);
    g.render(pcm.data(), pcm.size());
    EXPECT_NEAR(noise_level_of(pcm.data(), pcm.size()), level, 1) << int{level};
  }
  g.set_level(127);
  g.render(pcm.data(), pcm.size());
  EXPECT_EQ(noise_level_of(pcm.data(), pcm.size()), 127);  // effectively silence
}

TEST(ComfortNoiseGenerator, LevelMeasureOfKnownSignals) {
  const std::vector<int16_t> silence(160, 0);
  EXPECT_EQ(noise_level_of(silence.data(), silence.size()), 127);
  const auto sine = test::tone(1000, 32767 * 0.5, 8000);  // RMS = 0.5/sqrt(2) FS: -9.03 dBov
  EXPECT_EQ(noise_level_of(sine.data(), sine.size()), 9);
}

// Runs noise at `level` through a G.729 encoder with VAD after a burst of speech, decodes every
// frame (SID and untransmitted ones included) and returns the level of the decoded comfort
// noise, plus whether a SID was seen.
struct CngResult {
  uint8_t decoded_level;
  int sid_frames;
};

CngResult through_g729b(uint8_t level) {
  G729Encoder encoder(true);
  G729Decoder decoder;
  const auto speech = test::vowel(4000);
  ComfortNoiseGenerator noise;
  noise.reset(5);
  noise.set_level(level);
  std::vector<int16_t> quiet(16000);
  noise.render(quiet.data(), quiet.size());
  std::vector<int16_t> decoded;
  int sids = 0;
  auto run = [&](const std::vector<int16_t>& x, bool keep) {
    for (std::size_t at = 0; at + 80 <= x.size(); at += 80) {
      int16_t out[80];
      const G729EncodedFrame f = test::encode_and_decode(encoder, decoder, x.data() + at, out);
      if (!keep) continue;
      sids += f.kind == G729FrameKind::sid;
      if (at >= 8000) decoded.insert(decoded.end(), out, out + 80);  // settled second half
    }
  };
  run(speech, false);
  run(quiet, true);
  return {noise_level_of(decoded.data(), decoded.size()), sids};
}

TEST(ComfortNoiseMapping, CnLevelSurvivesG729bSidAndCng) {
  // RFC 3389 level -> generated noise -> G.729B encoder (SID) -> decoder CNG -> level.
  for (uint8_t level : {45, 55, 65}) {
    const CngResult r = through_g729b(level);
    EXPECT_GE(r.sid_frames, 1) << int{level};
    EXPECT_NEAR(r.decoded_level, level, 4) << int{level};  // SID gain steps are 2-4 dB
  }
}

TEST(ComfortNoiseMapping, QuieterCnGivesQuieterCng) {
  // Levels are -dBov: 15 dB quieter input must decode clearly (> 6 dB) quieter.
  EXPECT_GT(through_g729b(60).decoded_level, through_g729b(45).decoded_level + 6);
}

TEST(ComfortNoiseMapping, Rfc3389PayloadFromBcg729MatchesTheNoise) {
  // bcg729 also exposes the RFC 3389 payload of its last SID: its level byte should agree with
  // the noise the SID describes.
  G729Encoder encoder(true);
  ComfortNoiseGenerator noise;
  noise.reset(11);
  noise.set_level(50);
  const auto speech = test::vowel(4000);
  for (std::size_t at = 0; at + 80 <= speech.size(); at += 80) {
    uint8_t frame[10];
    encoder.encode(speech.data() + at, frame);
  }
  int sids = 0;
  for (int i = 0; i < 200; ++i) {
    int16_t pcm[80];
    uint8_t frame[10];
    noise.render(pcm, 80);
    sids += encoder.encode(pcm, frame).kind == G729FrameKind::sid;
  }
  ASSERT_GE(sids, 1);
  uint8_t cn[11];
  ASSERT_EQ(encoder.last_sid_as_rfc3389(cn), 11u);
  CnPayload parsed;
  ASSERT_EQ(parse_cn_payload(std::span(cn, 11), parsed), CnError::ok);
  EXPECT_NEAR(parsed.level, 50, 6);
}

}  // namespace
}  // namespace trunkgate::media
