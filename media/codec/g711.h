#pragma once
// G.711 µ-law and A-law (ITU-T G.711), table-driven: encoding is one table lookup per sample,
// decoding one lookup per byte, and µ-law <-> A-law one lookup per byte without passing
// through linear. The 16-bit -> 14/13-bit reduction follows spandsp, our reference.
#include <cstddef>
#include <cstdint>
#include <span>

namespace trunkgate::media {

enum class G711Law : uint8_t { ulaw, alaw };

uint8_t ulaw_encode(int16_t sample);
int16_t ulaw_decode(uint8_t code);
uint8_t alaw_encode(int16_t sample);
int16_t alaw_decode(uint8_t code);
uint8_t ulaw_to_alaw_code(uint8_t code);
uint8_t alaw_to_ulaw_code(uint8_t code);

// out must hold pcm.size() bytes / samples.
void g711_encode(G711Law law, std::span<const int16_t> pcm, uint8_t* out);
void g711_decode(G711Law law, std::span<const uint8_t> codes, int16_t* out);
// Converts between laws in place (PCMU <-> PCMA legs).
void g711_convert(G711Law from, std::span<uint8_t> codes);

// The code of digital silence, used for fill-in when no audio is available.
constexpr uint8_t g711_silence(G711Law law) { return law == G711Law::ulaw ? 0xff : 0xd5; }

}  // namespace trunkgate::media
