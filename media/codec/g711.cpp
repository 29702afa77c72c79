#include "media/codec/g711.h"

#include <array>

namespace trunkgate::media {

namespace {

// µ-law works on magnitude + 132 (the bias 33 in 14-bit units, scaled to 16 bits), so it
// depends only on |sample| >> 2; the table is indexed by the raw sample to skip the abs().
constexpr uint8_t compute_ulaw(int32_t x) {
  const bool negative = x < 0;
  int32_t biased = 132 + (negative ? -x : x);
  if (biased > 0x7fff) biased = 0x7fff;
  int top = 7;
  while ((biased >> (top + 1)) != 0) ++top;
  const int segment = top - 7;
  const int code = (segment << 4) | ((biased >> (segment + 3)) & 0x0f);
  return static_cast<uint8_t>(~code & (negative ? 0x7f : 0xff));
}

constexpr int16_t compute_ulaw_decode(uint8_t code) {
  const int c = ~code & 0xff;
  const int magnitude = ((((c & 0x0f) << 3) + 132) << ((c & 0x70) >> 4)) - 132;
  return static_cast<int16_t>((c & 0x80) != 0 ? -magnitude : magnitude);
}

// A-law: 13-bit magnitude, the first two segments share one step size; even bits inverted.
constexpr uint8_t compute_alaw(int32_t x) {
  const bool negative = x < 0;
  const int32_t magnitude = negative ? -x - 1 : x;
  int top = 7;
  while ((magnitude >> (top + 1)) != 0) ++top;
  const int segment = top - 7;
  const int code = segment >= 8 ? 0x7f
                                : (segment << 4) |
                                      ((magnitude >> (segment != 0 ? segment + 3 : 4)) & 0x0f);
  return static_cast<uint8_t>(code ^ (negative ? 0x55 : 0xd5));
}

constexpr int16_t compute_alaw_decode(uint8_t code) {
  const int c = code ^ 0x55;
  const int segment = (c & 0x70) >> 4;
  int magnitude = (c & 0x0f) << 4;
  magnitude = segment != 0 ? (magnitude + 0x108) << (segment - 1) : magnitude + 8;
  return static_cast<int16_t>((c & 0x80) != 0 ? magnitude : -magnitude);
}

// A-law depends only on sample >> 3 (the one's complement keeps that true for negatives), so
// 8192 entries cover it.
constexpr auto kUlawEncode = [] {
  std::array<uint8_t, 65536> t{};
  for (int32_t x = -32768; x < 32768; ++x) t[static_cast<uint16_t>(x)] = compute_ulaw(x);
  return t;
}();

constexpr auto kAlawEncode = [] {
  std::array<uint8_t, 8192> t{};
  for (int32_t i = 0; i < 8192; ++i) t[static_cast<std::size_t>(i)] = compute_alaw((i - 4096) * 8);
  return t;
}();

constexpr auto kUlawDecode = [] {
  std::array<int16_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = compute_ulaw_decode(static_cast<uint8_t>(c));
  return t;
}();

constexpr auto kAlawDecode = [] {
  std::array<int16_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = compute_alaw_decode(static_cast<uint8_t>(c));
  return t;
}();

// Law conversion re-encodes the decoded value, the same mapping a decode+encode would give.
constexpr auto kUlawToAlaw = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = compute_alaw(compute_ulaw_decode(static_cast<uint8_t>(c)));
  return t;
}();

constexpr auto kAlawToUlaw = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] = compute_ulaw(compute_alaw_decode(static_cast<uint8_t>(c)));
  return t;
}();

}  // namespace

uint8_t ulaw_encode(int16_t sample) { return kUlawEncode[static_cast<uint16_t>(sample)]; }
int16_t ulaw_decode(uint8_t code) { return kUlawDecode[code]; }
uint8_t alaw_encode(int16_t sample) {
  return kAlawEncode[static_cast<std::size_t>((sample >> 3) + 4096)];
}
int16_t alaw_decode(uint8_t code) { return kAlawDecode[code]; }
uint8_t ulaw_to_alaw_code(uint8_t code) { return kUlawToAlaw[code]; }
uint8_t alaw_to_ulaw_code(uint8_t code) { return kAlawToUlaw[code]; }

void g711_encode(G711Law law, std::span<const int16_t> pcm, uint8_t* out) {
  if (law == G711Law::ulaw) {
    for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = ulaw_encode(pcm[i]);
  } else {
    for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = alaw_encode(pcm[i]);
  }
}

void g711_decode(G711Law law, std::span<const uint8_t> codes, int16_t* out) {
  const auto& table = law == G711Law::ulaw ? kUlawDecode : kAlawDecode;
  for (std::size_t i = 0; i < codes.size(); ++i) out[i] = table[codes[i]];
}

void g711_convert(G711Law from, std::span<uint8_t> codes) {
  const auto& table = from == G711Law::ulaw ? kUlawToAlaw : kAlawToUlaw;
  for (auto& c : codes) c = table[c];
}

}  // namespace trunkgate::media
