#include "media/srtp/replay_window.h"

namespace trunkgate::media {

void ReplayWindow::reset(uint16_t size) {
  size_ = size <= 64 ? 64 : 128;
  seen_ = 0;
  top_ = 0;
  empty_ = true;
}

ReplayVerdict ReplayWindow::check(uint64_t index) const {
  if (empty_ || index > top_) return ReplayVerdict::fresh;
  const uint64_t age = top_ - index;
  if (age >= size_) return ReplayVerdict::too_old;
  return ((seen_ >> age) & 1) != 0 ? ReplayVerdict::replayed : ReplayVerdict::fresh;
}

void ReplayWindow::accept(uint64_t index) {
  if (empty_) {
    empty_ = false;
    top_ = index;
    seen_ = 1;
  } else if (index > top_) {
    const uint64_t shift = index - top_;
    seen_ = shift >= 128 ? 0 : seen_ << shift;
    seen_ |= 1;
    top_ = index;
  } else {
    seen_ |= static_cast<unsigned __int128>(1) << (top_ - index);
  }
  if (size_ == 64) seen_ &= ~uint64_t{0};
}

}  // namespace trunkgate::media
