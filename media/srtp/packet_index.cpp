#include "media/srtp/packet_index.h"

namespace trunkgate::media {

IndexGuess estimate_index(const RolloverState& state, uint16_t seq) {
  IndexGuess guess;
  guess.roc = state.roc;
  if (state.started) {
    const uint16_t s_l = state.highest_seq;
    if (s_l < 32768) {
      if (seq > s_l && seq - s_l > 32768) {
        if (state.roc == 0) {
          guess.before_start = true;
        } else {
          guess.roc = state.roc - 1;
        }
      }
    } else if (seq < s_l - 32768) {
      guess.roc = state.roc + 1;
    }
  }
  guess.index = (uint64_t{guess.roc} << 16) | seq;
  return guess;
}

void advance_rollover(RolloverState& state, const IndexGuess& guess, uint16_t seq) {
  const uint64_t current = (uint64_t{state.roc} << 16) | state.highest_seq;
  if (!state.started || guess.index > current) {
    state.roc = guess.roc;
    state.highest_seq = seq;
    state.started = true;
  }
}

}  // namespace trunkgate::media
