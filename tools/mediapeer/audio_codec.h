// The codecs the media peer sends and decodes, by their static RTP payload types (RFC 3551):
// PCMU 0, PCMA 8, G.729 18 (10-byte frames of 10 ms, 2-byte SID frames of Annex B).
#pragma once

extern "C" {  // bcg729's headers have no C++ guards
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace trunkgate::mediapeer {

enum class Codec { kPcmu = 0, kPcma = 8, kG729 = 18 };

std::optional<Codec> codec_from_name(std::string_view name);  // "pcma", "pcmu", "g729"

// A sine tone at `tone_hz`, encoded `ptime_ms` at a time.
class ToneEncoder {
 public:
  ToneEncoder(Codec codec, unsigned tone_hz, unsigned ptime_ms);
  ToneEncoder(const ToneEncoder&) = delete;
  ToneEncoder& operator=(const ToneEncoder&) = delete;
  ~ToneEncoder();

  // The next packet's payload; `out` holds at least ptime_ms * 8 bytes.
  std::size_t next(uint8_t* out);
  // A G.729 Annex B SID frame (2 bytes) into `out`, as bcg729 with VAD sends it when the tone
  // stops (silence follows): the start of a DTX period. 0 if the encoder made none.
  static std::size_t g729_sid(uint8_t* out);
  uint32_t samples_per_packet() const { return ptime_ms_ * 8; }

 private:
  Codec codec_;
  unsigned tone_hz_, ptime_ms_;
  uint64_t sample_index_ = 0;
  bcg729EncoderChannelContextStruct* g729_ = nullptr;
};

// Decodes received payloads to 16-bit linear; unknown payload types decode to nothing.
class PayloadDecoder {
 public:
  PayloadDecoder();
  PayloadDecoder(const PayloadDecoder&) = delete;
  PayloadDecoder& operator=(const PayloadDecoder&) = delete;
  ~PayloadDecoder();

  void decode(int pt, const uint8_t* payload, std::size_t size, std::vector<int16_t>& out);

 private:
  bcg729DecoderChannelContextStruct* g729_ = nullptr;
};

}  // namespace trunkgate::mediapeer
