#include "media/repack/frame_repacketizer.h"

#include <cstring>

namespace trunkgate::media {

namespace {
constexpr std::size_t kSidBytes = 2;
}

bool FrameRepacketizer::configure(RepackFormat format, unsigned out_ptime_ms) {
  if (format.unit_bytes == 0 || out_ptime_ms == 0 || out_ptime_ms % 10 != 0 || out_ptime_ms > 40)
    return false;
  *this = FrameRepacketizer{};
  format_ = format;
  out_units_ = out_ptime_ms / 10;
  return true;
}

RepackError FrameRepacketizer::push(std::span<const uint8_t> payload, uint32_t timestamp) {
  if (out_units_ == 0) return RepackError::not_configured;
  const std::size_t units = payload.size() / format_.unit_bytes;
  const std::size_t rest = payload.size() % format_.unit_bytes;
  const bool has_sid = format_.may_end_with_sid && rest == kSidBytes;
  if (rest != 0 && !has_sid) return RepackError::bad_length;
  const bool empty = units_ == 0 && !sid_pending_;
  // A SID closes the talkspurt: anything after it starts a new packet, so flush first.
  const auto expected = static_cast<uint32_t>(first_timestamp_ + units_ * kSamplesPerUnit);
  if (!empty && (sid_pending_ || timestamp != expected))
    return RepackError::discontinuity;
  if ((units_ + units) * format_.unit_bytes > kCapacity - kSidBytes) return RepackError::overflow;
  if (empty) first_timestamp_ = timestamp;
  std::memcpy(buffer_ + units_ * format_.unit_bytes, payload.data(), units * format_.unit_bytes);
  units_ += units;
  if (has_sid) {
    std::memcpy(sid_, payload.data() + units * format_.unit_bytes, kSidBytes);
    sid_pending_ = true;
  }
  return RepackError::ok;
}

bool FrameRepacketizer::pop(uint8_t* out, std::size_t capacity, RepackedPacket& packet) {
  if (out_units_ == 0) return false;
  if (units_ >= out_units_) return emit(out_units_, out, capacity, packet);
  if (sid_pending_) return emit(units_, out, capacity, packet);
  return false;
}

bool FrameRepacketizer::flush(uint8_t* out, std::size_t capacity, RepackedPacket& packet) {
  if (units_ == 0 && !sid_pending_) return false;
  return emit(units_ < out_units_ ? units_ : out_units_, out, capacity, packet);
}

bool FrameRepacketizer::emit(std::size_t units, uint8_t* out, std::size_t capacity,
                             RepackedPacket& packet) {
  const bool with_sid = sid_pending_ && units == units_;
  const std::size_t bytes = units * format_.unit_bytes;
  const std::size_t length = bytes + (with_sid ? kSidBytes : 0);
  if (length > capacity) return false;
  std::memcpy(out, buffer_, bytes);
  if (with_sid) std::memcpy(out + bytes, sid_, kSidBytes);
  packet.length = length;
  packet.timestamp = first_timestamp_;
  packet.ends_with_sid = with_sid;
  std::memmove(buffer_, buffer_ + bytes, (units_ - units) * format_.unit_bytes);
  units_ -= units;
  first_timestamp_ += static_cast<uint32_t>(units * kSamplesPerUnit);
  if (with_sid) sid_pending_ = false;
  return true;
}

}  // namespace trunkgate::media
