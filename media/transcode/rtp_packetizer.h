#pragma once
// The outgoing half shared by both transcoding directions: repacketizes encoded 10 ms units to
// the leg's ptime and writes each finished packet with its RTP header (sequence, timestamp,
// marker on the first packet of a talkspurt).
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/repack/frame_repacketizer.h"
#include "media/repack/rtp_sequencer.h"
#include "media/transcode/transcoded_packet.h"

namespace trunkgate::media {

class RtpPacketizer {
 public:
  bool configure(RepackFormat format, const RtpLegConfig& config);
  // Adds encoded units starting at timestamp (input clock); finished packets go to out.
  // Returns the number written, never more than out.size() (extra packets wait in the buffer).
  std::size_t add(std::span<const uint8_t> units, uint32_t timestamp,
                  std::span<TranscodedPacket> out);
  // Ends the talkspurt (DTX or loss): what is buffered goes out as a short packet.
  std::size_t end_talkspurt(std::span<TranscodedPacket> out);
  // A packet of another payload type in the same sequence space and on the same clock (an RFC
  // 3389 CN packet, an RFC 4733 event with `marker` on its first packet); false if payload does
  // not fit.
  bool stamp_other(uint8_t payload_type, std::span<const uint8_t> payload, uint32_t timestamp,
                   TranscodedPacket& out, bool marker = false);

 private:
  std::size_t drain(bool flush, std::span<TranscodedPacket> out);
  void write_header(TranscodedPacket& out, uint8_t payload_type, uint32_t timestamp, bool start);

  FrameRepacketizer repack_;
  RtpSequencer sequencer_;
  uint32_t ssrc_ = 0;
  uint8_t payload_type_ = 0;
  bool talkspurt_start_ = true;
};

}  // namespace trunkgate::media
