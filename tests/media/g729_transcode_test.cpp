// A known signal through G.711 -> G.729 -> G.711, judged by normalised cross-correlation with
// the original; the same measure is shown to fail for broken paths. Plus VAD/DTX/CNG and PLC.
#include <gtest/gtest.h>

#include <vector>

#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "tests/media/g729_frame_loop.h"
#include "tests/media/test_signals.h"

namespace trunkgate::media {
namespace {

using test::best_correlation;
using test::rms;

constexpr std::size_t kSkip = 1600;   // 200 ms of codec warm-up
constexpr std::size_t kMaxLag = 160;  // bcg729's delay is well under 20 ms

// PCMU leg in -> G.729 leg -> PCMU leg out, 20 ms packets of two G.729 frames.
std::vector<int16_t> g711_g729_g711(const std::vector<int16_t>& input, bool vad) {
  G729Encoder encoder(vad);
  G729Decoder decoder;
  EXPECT_TRUE(encoder.valid() && decoder.valid());
  std::vector<int16_t> output(input.size(), 0);
  for (std::size_t at = 0; at + 160 <= input.size(); at += 160) {
    uint8_t pcmu[160];
    int16_t linear[160];
    g711_encode(G711Law::ulaw, std::span(input).subspan(at, 160), pcmu);
    g711_decode(G711Law::ulaw, pcmu, linear);
    uint8_t payload[20];
    std::size_t payload_length = 0;
    for (int f = 0; f < 2; ++f) {
      const G729EncodedFrame frame = encoder.encode(linear + 80 * f, payload + payload_length);
      payload_length += frame.length;
    }
    int16_t decoded[160];
    std::size_t samples = 0;
    if (payload_length == 0) {  // DTX: the receiver conceals / generates comfort noise
      decoder.conceal(decoded);
      decoder.conceal(decoded + 80);
      samples = 160;
    } else {
      EXPECT_EQ(decoder.decode_payload(std::span(payload, payload_length), decoded, samples),
                G729PayloadError::ok);
    }
    g711_encode(G711Law::ulaw, std::span(decoded, samples), pcmu);
    g711_decode(G711Law::ulaw, std::span(pcmu, samples), output.data() + at);
  }
  return output;
}

// Floors: measured through this path, the 1 kHz tone scores 0.96 and the vowel 0.92 (the
// values are recorded as test properties); frame-shuffled codec output scores 0.05, silence 0
// (no correlation defined: -1), noise and a shifted tone near 0. 0.8 / 0.6 leave room for codec
// variation yet sit far above every broken path.
constexpr double kToneFloor = 0.8;
constexpr double kVowelFloor = 0.6;

TEST(G729Transcode, ToneSurvivesG711ToG729ToG711) {
  const auto input = test::tone(1000, 8000, 16000);
  const double score = best_correlation(input, g711_g729_g711(input, false), kSkip, kMaxLag);
  RecordProperty("tone_correlation", std::to_string(score));
  EXPECT_GT(score, kToneFloor);
}

TEST(G729Transcode, VowelSurvivesG711ToG729ToG711) {
  const auto input = test::vowel(16000);
  const double score = best_correlation(input, g711_g729_g711(input, false), kSkip, kMaxLag);
  RecordProperty("vowel_correlation", std::to_string(score));
  EXPECT_GT(score, kVowelFloor);
}

TEST(G729Transcode, VowelWithVadStillSurvives) {
  const auto input = test::vowel(16000);
  EXPECT_GT(best_correlation(input, g711_g729_g711(input, true), kSkip, kMaxLag), kVowelFloor);
}

std::vector<int16_t> white_noise(std::size_t samples) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> d(-8000, 8000);
  std::vector<int16_t> out(samples);
  for (auto& s : out) s = static_cast<int16_t>(d(rng));
  return out;
}

TEST(G729Transcode, MeasureRejectsBrokenTonePaths) {
  const auto input = test::tone(1000, 8000, 16000);
  const std::vector<int16_t> silence(input.size(), 0);
  EXPECT_LT(best_correlation(input, silence, kSkip, kMaxLag), kToneFloor);
  // A path that resamples wrongly moves the tone: 1 kHz heard as 1.37 kHz.
  EXPECT_LT(best_correlation(input, test::tone(1370, 8000, input.size()), kSkip, kMaxLag),
            kToneFloor);
  EXPECT_LT(best_correlation(input, white_noise(input.size()), kSkip, kMaxLag), kToneFloor);
}

TEST(G729Transcode, MeasureRejectsBrokenVowelPaths) {
  const auto input = test::vowel(16000);
  const std::vector<int16_t> silence(input.size(), 0);
  EXPECT_LT(best_correlation(input, silence, kSkip, kMaxLag), kVowelFloor);
  // Frames out of order (a broken repacketizer): right spectrum, wrong timing.
  const auto shuffled = test::shuffle_frames(g711_g729_g711(input, false));
  const double shuffled_score = best_correlation(input, shuffled, kSkip, kMaxLag);
  RecordProperty("shuffled_vowel_correlation", std::to_string(shuffled_score));
  EXPECT_LT(shuffled_score, kVowelFloor);
  EXPECT_LT(best_correlation(input, white_noise(input.size()), kSkip, kMaxLag), kVowelFloor);
}

TEST(G729Codec, PayloadLengthsAreValidated) {
  G729Decoder decoder;
  std::vector<int16_t> pcm(320);
  std::size_t samples = 0;
  const std::vector<uint8_t> three(3), twenty_two(22), forty(40);
  EXPECT_EQ(decoder.decode_payload(three, pcm, samples), G729PayloadError::bad_length);
  EXPECT_EQ(decoder.decode_payload(twenty_two, pcm, samples), G729PayloadError::ok);
  EXPECT_EQ(samples, 240u);  // two speech frames + one SID
  EXPECT_EQ(decoder.decode_payload(forty, std::span(pcm).first(240), samples),
            G729PayloadError::output_too_small);
}

TEST(G729Codec, VadEmitsSidThenStaysSilentAndDecoderMakesComfortNoise) {
  G729Encoder encoder(true);
  G729Decoder decoder;
  // Low-level noise after speech: Annex B should detect silence.
  const auto speech = test::vowel(4000);
  std::vector<int16_t> quiet(8000);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> noise(-40, 40);
  for (auto& s : quiet) s = static_cast<int16_t>(noise(rng));
  int speech_frames = 0, sid_frames = 0, untransmitted = 0;
  double cng_energy = 0;
  auto run = [&](const std::vector<int16_t>& x, bool count) {
    for (std::size_t at = 0; at + 80 <= x.size(); at += 80) {
      int16_t out[80];
      const G729EncodedFrame f = test::encode_and_decode(encoder, decoder, x.data() + at, out);
      if (!count) continue;
      speech_frames += f.kind == G729FrameKind::speech;
      sid_frames += f.kind == G729FrameKind::sid;
      untransmitted += f.kind == G729FrameKind::untransmitted;
      if (f.kind != G729FrameKind::speech) cng_energy += rms(out, 80);
    }
  };
  run(speech, false);
  run(quiet, true);
  EXPECT_GE(sid_frames, 1);
  EXPECT_GT(untransmitted, sid_frames);  // DTX: most silent frames are not sent at all
  EXPECT_LT(speech_frames, 30);          // the first frames may still be classed as speech
  const double mean_cng = cng_energy / (sid_frames + untransmitted);
  EXPECT_GT(mean_cng, 1.0);    // comfort noise, not digital silence
  EXPECT_LT(mean_cng, 400.0);  // and nowhere near speech level
}

TEST(G729Codec, ConcealmentContinuesSpeechAfterALostFrame) {
  G729Encoder encoder(false);
  G729Decoder decoder;
  const auto input = test::vowel(8000);
  int16_t out[80];
  double last_rms = 0;
  for (std::size_t at = 0; at + 80 <= 4000; at += 80) {
    uint8_t frame[10];
    encoder.encode(input.data() + at, frame);
    decoder.decode_frame(std::span(frame, 10), out);
    last_rms = rms(out, 80);
  }
  ASSERT_GT(last_rms, 300.0);
  decoder.conceal(out);
  const double concealed = rms(out, 80);
  EXPECT_GT(concealed, 0.2 * last_rms);  // not a gap of silence
  for (int i = 0; i < 30; ++i) decoder.conceal(out);
  EXPECT_LT(rms(out, 80), concealed);  // and it fades out when loss continues
}

}  // namespace
}  // namespace trunkgate::media
