#pragma once
// One 10 ms frame through a G.729 encoder and decoder as a DTX link would carry it: frames the
// encoder does not transmit are concealed (comfort noise after a SID) by the decoder.
#include <cstdint>
#include <span>

#include "media/codec/g729.h"

namespace trunkgate::media::test {

inline G729EncodedFrame encode_and_decode(G729Encoder& encoder, G729Decoder& decoder,
                                          const int16_t* in, int16_t* out) {
  uint8_t frame[kG729FrameBytes];
  const G729EncodedFrame f = encoder.encode(in, frame);
  if (f.kind == G729FrameKind::untransmitted) {
    decoder.conceal(out);
  } else {
    decoder.decode_frame(std::span(frame, f.length), out);
  }
  return f;
}

}  // namespace trunkgate::media::test
