#pragma once
// G.729 Annex A with Annex B (VAD/DTX, SID frames, comfort noise) over bcg729, one encoder and
// one decoder per flow direction. bcg729 allocates its channel contexts itself, so these objects
// are created at flow setup; encode/decode/conceal then neither allocate nor make system calls.
#include <cstddef>
#include <cstdint>
#include <span>

struct bcg729EncoderChannelContextStruct_struct;
struct bcg729DecoderChannelContextStruct_struct;

namespace trunkgate::media {

constexpr std::size_t kG729FrameSamples = 80;  // 10 ms at 8 kHz
constexpr std::size_t kG729FrameBytes = 10;
constexpr std::size_t kG729SidBytes = 2;

enum class G729FrameKind : uint8_t {
  speech,         // 10-byte frame
  sid,            // 2-byte Annex B silence descriptor
  untransmitted,  // DTX: nothing to send for this 10 ms
};

struct G729EncodedFrame {
  G729FrameKind kind = G729FrameKind::untransmitted;
  uint8_t length = 0;  // bytes written: 10, 2 or 0
};

class G729Encoder {
 public:
  explicit G729Encoder(bool vad_dtx);
  ~G729Encoder();
  G729Encoder(const G729Encoder&) = delete;
  G729Encoder& operator=(const G729Encoder&) = delete;

  bool valid() const { return ctx_ != nullptr; }
  // pcm: 80 samples; out: room for 10 bytes.
  G729EncodedFrame encode(const int16_t* pcm, uint8_t* out);
  // The RFC 3389 comfort-noise payload matching the last SID (bcg729 computes it), for a CN leg.
  // out needs 11 bytes; returns the payload length.
  std::size_t last_sid_as_rfc3389(uint8_t* out);

 private:
  bcg729EncoderChannelContextStruct_struct* ctx_ = nullptr;
};

enum class G729PayloadError : uint8_t {
  ok,
  bad_length,       // not 10*k or 10*k + 2 bytes
  output_too_small, // the frames do not fit the caller's PCM buffer
};

class G729Decoder {
 public:
  G729Decoder();
  ~G729Decoder();
  G729Decoder(const G729Decoder&) = delete;
  G729Decoder& operator=(const G729Decoder&) = delete;

  bool valid() const { return ctx_ != nullptr; }
  // One 10-byte speech frame or 2-byte SID -> 80 samples.
  void decode_frame(std::span<const uint8_t> frame, int16_t* pcm);
  // A lost frame: concealment after speech, comfort noise after a SID (G.729B DTX period).
  void conceal(int16_t* pcm);
  // An RFC 3389 CN payload from a G.711 leg, rendered as G.729B comfort noise.
  void decode_rfc3389(std::span<const uint8_t> cn_payload, int16_t* pcm);
  // Whole RTP payload (N speech frames, optionally one trailing SID); writes frames * 80 samples.
  G729PayloadError decode_payload(std::span<const uint8_t> payload, std::span<int16_t> pcm,
                                  std::size_t& samples);

 private:
  bcg729DecoderChannelContextStruct_struct* ctx_ = nullptr;
};

}  // namespace trunkgate::media
