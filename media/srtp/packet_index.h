#pragma once
// SRTP packet index estimation from the 16-bit sequence number and the rollover counter
// (RFC 3711 section 3.3.1 and appendix A).
#include <cstdint>

namespace trunkgate::media {

struct RolloverState {
  uint32_t roc = 0;           // rollover counter
  uint16_t highest_seq = 0;   // s_l: highest sequence number seen under roc
  bool started = false;       // false until the first packet initialises highest_seq
};

struct IndexGuess {
  uint64_t index = 0;  // 48-bit packet index: roc * 65536 + seq
  uint32_t roc = 0;
  bool before_start = false;  // the guess would need roc - 1 while roc is 0
};

IndexGuess estimate_index(const RolloverState& state, uint16_t seq);

// Moves s_l / roc forward when the (authenticated) packet is newer than anything seen.
void advance_rollover(RolloverState& state, const IndexGuess& guess, uint16_t seq);

}  // namespace trunkgate::media
