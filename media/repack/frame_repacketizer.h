#pragma once
// Repacketization between ptimes (10/20/30/40 ms) for codecs made of fixed 10 ms units:
// G.711 (80 bytes per 10 ms) and G.729 (10-byte frames, plus a 2-byte Annex B SID that may end
// a payload and then ends the output packet too). State is a bounded per-flow buffer; timestamps
// stay exact because a gap in the input is never bridged (the caller flushes first).
#include <cstddef>
#include <cstdint>
#include <span>

namespace trunkgate::media {

struct RepackFormat {
  uint16_t unit_bytes;  // bytes per 10 ms
  bool may_end_with_sid;
};
constexpr RepackFormat kG711Repack{80, false};
constexpr RepackFormat kG729Repack{10, true};

enum class RepackError : uint8_t {
  ok,
  bad_length,     // payload is not whole units (plus an optional SID where allowed)
  discontinuity,  // timestamp does not follow the buffered audio: flush() first, then push again
  overflow,       // buffer full: pop() ready packets before pushing more
  not_configured,
};

struct RepackedPacket {
  std::size_t length = 0;
  uint32_t timestamp = 0;  // RTP timestamp (8 kHz) of the first sample in the packet
  bool ends_with_sid = false;
};

class FrameRepacketizer {
 public:
  // 40 ms out + 40 ms in of G.711 fit, with room for a SID.
  static constexpr std::size_t kCapacity = 8 * 80 + 2;
  static constexpr uint32_t kSamplesPerUnit = 80;

  bool configure(RepackFormat format, unsigned out_ptime_ms);
  RepackError push(std::span<const uint8_t> payload, uint32_t timestamp);
  // Writes the next full packet (or the talkspurt's last one, ending with a SID); false if none.
  bool pop(uint8_t* out, std::size_t capacity, RepackedPacket& packet);
  // Writes whatever is buffered as a (short) packet; false if the buffer is empty.
  bool flush(uint8_t* out, std::size_t capacity, RepackedPacket& packet);
  std::size_t buffered_units() const { return units_; }

 private:
  bool emit(std::size_t units, uint8_t* out, std::size_t capacity, RepackedPacket& packet);

  uint8_t buffer_[kCapacity] = {};
  RepackFormat format_{0, false};
  std::size_t units_ = 0;       // whole units buffered
  std::size_t out_units_ = 0;   // units per output packet
  uint32_t first_timestamp_ = 0;
  uint8_t sid_[2] = {};
  bool sid_pending_ = false;
};

}  // namespace trunkgate::media
