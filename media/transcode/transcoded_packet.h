#pragma once
// A complete outgoing RTP packet produced by a transcoding leg, in caller-provided storage.
#include <cstddef>
#include <cstdint>

#include "media/repack/frame_repacketizer.h"
#include "media/rtp/rtp_header.h"

namespace trunkgate::media {

struct TranscodedPacket {
  // Room for 40 ms of G.711 plus a SID; SRTP adds its trailer in the caller's own buffer.
  uint8_t data[kRtpFixedHeaderSize + FrameRepacketizer::kCapacity];
  std::size_t length = 0;
};

struct RtpLegConfig {
  uint8_t payload_type = 0;
  uint32_t ssrc = 0;
  uint16_t first_sequence = 0;   // random per RFC 3550
  uint32_t timestamp_offset = 0; // random per RFC 3550
  unsigned ptime_ms = 20;        // 10, 20, 30 or 40
};

}  // namespace trunkgate::media
