#include "media/transcode/rtp_packetizer.h"

#include <algorithm>

namespace trunkgate::media {

bool RtpPacketizer::configure(RepackFormat format, const RtpLegConfig& config) {
  if (!repack_.configure(format, config.ptime_ms)) return false;
  sequencer_.reset(config.first_sequence, config.timestamp_offset);
  ssrc_ = config.ssrc;
  payload_type_ = config.payload_type;
  talkspurt_start_ = true;
  return true;
}

void RtpPacketizer::write_header(TranscodedPacket& out, uint8_t payload_type, uint32_t timestamp,
                                 bool start) {
  const RtpOutputHeader h = sequencer_.next(timestamp, start);
  out.data[0] = 0x80;
  write_rtp_fixed_header(out.data, payload_type, h.marker, h.sequence, h.timestamp, ssrc_);
}

bool RtpPacketizer::stamp_other(uint8_t payload_type, std::span<const uint8_t> payload,
                                uint32_t timestamp, TranscodedPacket& out, bool marker) {
  if (payload.size() > sizeof out.data - kRtpFixedHeaderSize) return false;
  // A CN packet leaves the marker to the next speech; an event's first packet carries its own.
  write_header(out, payload_type, timestamp, marker);
  std::copy(payload.begin(), payload.end(), out.data + kRtpFixedHeaderSize);
  out.length = kRtpFixedHeaderSize + payload.size();
  return true;
}

std::size_t RtpPacketizer::drain(bool flush, std::span<TranscodedPacket> out) {
  std::size_t n = 0;
  RepackedPacket packet;
  while (n < out.size()) {
    uint8_t* payload = out[n].data + kRtpFixedHeaderSize;
    const std::size_t room = sizeof out[n].data - kRtpFixedHeaderSize;
    const bool got = flush ? repack_.flush(payload, room, packet) : repack_.pop(payload, room, packet);
    if (!got) break;
    write_header(out[n], payload_type_, packet.timestamp, talkspurt_start_);
    out[n].length = kRtpFixedHeaderSize + packet.length;
    // After a SID the encoder goes quiet: the next speech packet opens a new talkspurt.
    talkspurt_start_ = packet.ends_with_sid;
    ++n;
  }
  return n;
}

std::size_t RtpPacketizer::add(std::span<const uint8_t> units, uint32_t timestamp,
                               std::span<TranscodedPacket> out) {
  std::size_t n = 0;
  RepackError e = repack_.push(units, timestamp);
  if (e == RepackError::discontinuity || e == RepackError::overflow) {
    // A gap in the input (or a SID already closing the buffer): send what is buffered first.
    n += drain(true, out);
    e = repack_.push(units, timestamp);
  }
  if (e != RepackError::ok) return n;
  return n + drain(false, out.subspan(n));
}

std::size_t RtpPacketizer::end_talkspurt(std::span<TranscodedPacket> out) {
  const std::size_t n = drain(true, out);
  talkspurt_start_ = true;
  return n;
}

}  // namespace trunkgate::media
