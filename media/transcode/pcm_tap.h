#pragma once
// The audio of a transcoding leg between decoding and encoding, 10 ms (80 samples) at a time:
// where a flow's interworking stages (DTMF tones written or muted) see and change it.
#include <cstddef>
#include <cstdint>

namespace trunkgate::media {

class PcmTap {
 public:
  // pcm: `samples` linear samples starting at `timestamp` (the input leg's RTP clock); may be
  // overwritten.
  virtual void on_pcm(int16_t* pcm, std::size_t samples, uint32_t timestamp) = 0;

 protected:
  ~PcmTap() = default;
};

}  // namespace trunkgate::media
