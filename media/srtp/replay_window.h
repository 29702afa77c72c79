#pragma once
// Sliding replay window over 48-bit SRTP or 31-bit SRTCP indices (RFC 3711 section 3.3.2).
// check() is called before authentication, accept() only after it succeeded, so forged packets
// never move the window.
#include <cstdint>

namespace trunkgate::media {

enum class ReplayVerdict : uint8_t { fresh, replayed, too_old };

class ReplayWindow {
 public:
  // size is 64 or 128 (anything else is clamped into that range at setup).
  void reset(uint16_t size);
  ReplayVerdict check(uint64_t index) const;
  void accept(uint64_t index);
  uint16_t size() const { return size_; }

 private:
  unsigned __int128 seen_ = 0;  // bit k set: index (top_ - k) was accepted
  uint64_t top_ = 0;            // highest accepted index
  uint16_t size_ = 128;
  bool empty_ = true;
};

}  // namespace trunkgate::media
