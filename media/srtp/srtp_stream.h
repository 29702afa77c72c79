#pragma once
// One direction of one SRTP/SRTCP crypto context (RFC 3711 section 3.2): the per-flow state the
// data plane keeps for a leg's send side (protect) or receive side (unprotect). Initialise it at
// flow setup with srtp_stream_init(); the protect/unprotect calls then neither allocate nor make
// system calls, and work in place on the caller's packet buffer.
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/srtp/aes_hmac_engine.h"
#include "media/srtp/packet_index.h"
#include "media/srtp/replay_window.h"
#include "media/srtp/srtp_key_derivation.h"
#include "media/srtp/srtp_policy.h"

namespace trunkgate::media {

enum class SrtpStatus : uint8_t {
  ok,
  bad_header,             // not a parseable RTP / RTCP header
  too_short,              // shorter than header + MKI + tag
  buffer_too_small,       // protect: no room for the MKI and tag
  mki_mismatch,           // MKI on the wire is not this stream's (maybe the next key's)
  auth_failed,            // tag does not verify: tampered or wrong key
  replayed,               // index already accepted
  too_old,                // index left of the replay window
  key_lifetime_exhausted, // the master key has protected its allowed packet count
  crypto_error,           // IPsec-MB rejected the job (a bug, never input-driven)
  unsupported,            // unencrypted SRTCP under AEAD (RFC 7714 section 9.2)
  not_initialised,
};

const char* to_string(SrtpStatus s);

struct SrtpStream {
  SrtpSessionKeys rtp_keys;
  SrtpSessionKeys rtcp_keys;
  ReplayWindow rtp_replay;
  ReplayWindow rtcp_replay;
  RolloverState rollover;
  uint64_t rtp_packets = 0;   // packets processed under this master key
  uint64_t lifetime = 0;
  uint32_t ssrc = 0;          // SSRC the rollover state belongs to
  uint32_t srtcp_index = 0;   // send side: next SRTCP index
  uint32_t rtcp_packets = 0;
  uint32_t mki = 0;
  uint8_t mki_length = 0;
  uint8_t rtp_tag_length = 10;
  uint8_t rtcp_tag_length = 10;
  bool aead = false;  // AEAD_AES_128_GCM (RFC 7714) instead of AES-CM + HMAC-SHA1
  bool ssrc_bound = false;
  bool initialised = false;
};

// Setup time: derives the session keys; false if IPsec-MB fails or the policy is invalid.
bool srtp_stream_init(AesHmacEngine& engine, const SrtpPolicy& policy, SrtpStream& stream);

// Asks for the cache lines an SRTP (RTP) packet of this stream reads: the session keys and the
// stream's state. A caller holding a burst calls it for each packet's stream well before the
// burst's crypto, so the misses of many flows' contexts overlap instead of following each other.
inline void srtp_prefetch(const SrtpStream& s) {
  const auto* keys = reinterpret_cast<const char*>(&s.rtp_keys);
  constexpr std::size_t kLine = 64;
  static_assert(sizeof(AesCmSessionKeys) <= 4 * kLine);
  for (std::size_t line = 0; line < 4; ++line) __builtin_prefetch(keys + line * kLine);
  __builtin_prefetch(s.rtp_keys.salt);
  __builtin_prefetch(&s.rtp_replay);
  __builtin_prefetch(&s.initialised);
  // AES-GCM reads the round keys and the GHASH key powers: the first 8 lines of its key.
  if (s.aead)
    for (std::size_t line = 4; line < 8; ++line) __builtin_prefetch(keys + line * kLine);
}

// RTP. protect: packet[0, length) is plain RTP; capacity must allow length + MKI + tag.
SrtpStatus srtp_protect(AesHmacEngine& engine, SrtpStream& stream, uint8_t* packet,
                        std::size_t length, std::size_t capacity, std::size_t& out_length);
SrtpStatus srtp_unprotect(AesHmacEngine& engine, SrtpStream& stream, uint8_t* packet,
                          std::size_t length, std::size_t& out_length);

// Bursts of RTP packets, each with its own stream (several flows may share a burst): all the
// crypto of up to AesHmacEngine::kMaxBurst packets runs through IPsec-MB's multi-buffer lanes at
// once. Results per item; the same verdicts as the single-packet calls.
struct SrtpBurstItem {
  SrtpStream* stream = nullptr;
  uint8_t* packet = nullptr;
  std::size_t length = 0;
  std::size_t capacity = 0;    // protect only
  std::size_t out_length = 0;  // set when status is ok
  SrtpStatus status = SrtpStatus::ok;
};
void srtp_protect_burst(AesHmacEngine& engine, std::span<SrtpBurstItem> items);
void srtp_unprotect_burst(AesHmacEngine& engine, std::span<SrtpBurstItem> items);

// RTCP (compound packet). protect adds E||index (4 bytes), MKI and the 10-byte tag.
SrtpStatus srtcp_protect(AesHmacEngine& engine, SrtpStream& stream, uint8_t* packet,
                         std::size_t length, std::size_t capacity, std::size_t& out_length);
SrtpStatus srtcp_unprotect(AesHmacEngine& engine, SrtpStream& stream, uint8_t* packet,
                           std::size_t length, std::size_t& out_length);

}  // namespace trunkgate::media
