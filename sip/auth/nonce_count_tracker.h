// Replay protection for digest credentials: remembers the highest nonce-count seen for each
// nonce this server issued. Memory is bounded: beyond `capacity` nonces the oldest is forgotten,
// and a forgotten nonce is then treated as stale, so the client fetches a new one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace trunkgate::sip {

enum class NonceUse { kFresh, kReplayed, kUnknown };

class NonceCountTracker {
 public:
  explicit NonceCountTracker(std::size_t capacity) : capacity_(capacity) {}

  void Remember(std::string nonce);
  // Records a use with `nc` if it is higher than any before for this nonce.
  NonceUse Use(std::string_view nonce, std::uint32_t nc);
  // For credentials without qop (no nc): the nonce may be used once.
  NonceUse UseOnce(std::string_view nonce);

  std::size_t size() const { return last_nc_.size(); }

 private:
  std::size_t capacity_;
  std::unordered_map<std::string, std::uint32_t> last_nc_;
  std::deque<std::string> order_;  // oldest first, for eviction
};

}  // namespace trunkgate::sip
