// G.711 tables against spandsp's reference functions over every input.
#include <gtest/gtest.h>
#include <spandsp.h>

#include <vector>

#include "media/codec/g711.h"

namespace trunkgate::media {
namespace {

TEST(G711, UlawEncodeMatchesSpandspForAll65536Inputs) {
  int mismatches = 0;
  for (int x = -32768; x < 32768; ++x)
    mismatches += ulaw_encode(static_cast<int16_t>(x)) != linear_to_ulaw(x) ? 1 : 0;
  EXPECT_EQ(mismatches, 0);
}

TEST(G711, AlawEncodeMatchesSpandspForAll65536Inputs) {
  int mismatches = 0;
  for (int x = -32768; x < 32768; ++x)
    mismatches += alaw_encode(static_cast<int16_t>(x)) != linear_to_alaw(x) ? 1 : 0;
  EXPECT_EQ(mismatches, 0);
}

TEST(G711, DecodeMatchesSpandspForAll256Codes) {
  for (int c = 0; c < 256; ++c) {
    EXPECT_EQ(ulaw_decode(static_cast<uint8_t>(c)), ulaw_to_linear(static_cast<uint8_t>(c))) << c;
    EXPECT_EQ(alaw_decode(static_cast<uint8_t>(c)), alaw_to_linear(static_cast<uint8_t>(c))) << c;
  }
}

TEST(G711, KnownItuValues) {
  EXPECT_EQ(ulaw_encode(0), 0xff);
  EXPECT_EQ(alaw_encode(0), 0xd5);
  EXPECT_EQ(ulaw_decode(0x80), 32124);   // largest µ-law magnitude
  EXPECT_EQ(ulaw_decode(0x00), -32124);
  EXPECT_EQ(alaw_decode(0xaa), 32256);   // largest A-law magnitude
  EXPECT_EQ(alaw_decode(0x2a), -32256);
  EXPECT_EQ(g711_silence(G711Law::ulaw), ulaw_encode(0));
  EXPECT_EQ(g711_silence(G711Law::alaw), alaw_encode(0));
}

TEST(G711, EncodeOfDecodeIsIdentityAndLawConversionIsDecodeEncode) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<uint8_t>(c);
    if (c != 0x7f) {  // 0x7f and 0xff both decode to 0, which encodes as 0xff
      EXPECT_EQ(ulaw_encode(ulaw_decode(code)), code) << c;
    }
    EXPECT_EQ(alaw_encode(alaw_decode(code)), code) << c;
    EXPECT_EQ(ulaw_to_alaw_code(code), alaw_encode(ulaw_decode(code)));
    EXPECT_EQ(alaw_to_ulaw_code(code), ulaw_encode(alaw_decode(code)));
  }
}

TEST(G711, BufferFunctionsUseTheTables) {
  std::vector<int16_t> pcm = {0, 1000, -1000, 32767, -32768};
  std::vector<uint8_t> codes(pcm.size());
  std::vector<int16_t> back(pcm.size());
  g711_encode(G711Law::alaw, pcm, codes.data());
  g711_decode(G711Law::alaw, codes, back.data());
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    EXPECT_EQ(codes[i], alaw_encode(pcm[i]));
    EXPECT_EQ(back[i], alaw_decode(codes[i]));
  }
  g711_convert(G711Law::alaw, codes);
  for (std::size_t i = 0; i < pcm.size(); ++i) EXPECT_EQ(codes[i], alaw_to_ulaw_code(alaw_encode(pcm[i])));
}

}  // namespace
}  // namespace trunkgate::media
