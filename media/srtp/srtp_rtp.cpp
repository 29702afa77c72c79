// SRTP protect/unprotect of RTP packets (RFC 3711 sections 3.3 and 4).
#include <cstring>
#include <span>

#include "media/common/byte_order.h"
#include "media/rtp/rtp_header.h"
#include "media/srtp/srtp_stream.h"
#include "media/srtp/srtp_wire.h"

namespace trunkgate::media {

namespace {

// Authenticated portion || ROC must be contiguous for one HMAC job, so the ROC is written where
// the MKI and tag go; the caller guarantees those >= 4 bytes exist (every tag is >= 4 bytes).
CipherMacJob rtp_job(SrtpStream& s, uint8_t* packet, std::size_t header_length,
                     std::size_t auth_end, uint64_t index, uint32_t ssrc, uint32_t roc,
                     uint8_t* iv, uint8_t* tag) {
  store_be32(packet + auth_end, roc);
  return srtp_wire::session_job(s.rtp_keys, ssrc, index, packet, header_length, auth_end,
                                auth_end + 4, iv, tag);
}

}  // namespace

SrtpStatus srtp_protect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                        std::size_t length, std::size_t capacity, std::size_t& out_length) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  RtpHeader h;
  if (parse_rtp_header(std::span<const uint8_t>(packet, length), h) != RtpError::ok)
    return SrtpStatus::bad_header;
  const std::size_t trailer = s.mki_length + s.rtp_tag_length;
  if (!srtp_wire::trailer_fits(length, trailer, capacity)) return SrtpStatus::buffer_too_small;
  if (s.rtp_packets >= s.lifetime) return SrtpStatus::key_lifetime_exhausted;
  if (!s.ssrc_bound || s.ssrc != h.ssrc) {
    s.rollover = RolloverState{};
    s.ssrc = h.ssrc;
    s.ssrc_bound = true;
  }
  // The sender tracks the index the same way a receiver does, so relayed packets that arrive
  // reordered across a wrap still get the right ROC.
  const IndexGuess guess = estimate_index(s.rollover, h.sequence);
  alignas(16) uint8_t iv[16];
  uint8_t tag[kHmacSha1MaxTag];
  const CipherMacJob job =
      rtp_job(s, packet, h.header_length, length, guess.index, h.ssrc, guess.roc, iv, tag);
  if (!engine.run(job, CipherDirection::encrypt_then_mac)) return SrtpStatus::crypto_error;
  advance_rollover(s.rollover, guess, h.sequence);
  srtp_wire::write_mki_and_tag(packet + length, s.mki, s.mki_length, tag, s.rtp_tag_length);
  ++s.rtp_packets;
  out_length = length + trailer;
  return SrtpStatus::ok;
}

SrtpStatus srtp_unprotect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                          std::size_t length, std::size_t& out_length) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  const std::size_t trailer = s.mki_length + s.rtp_tag_length;
  if (length < kRtpFixedHeaderSize + trailer) return SrtpStatus::too_short;
  const std::size_t auth_end = length - trailer;
  RtpHeader h;
  if (parse_rtp_header(std::span<const uint8_t>(packet, auth_end), h) != RtpError::ok)
    return SrtpStatus::bad_header;
  if (!srtp_wire::mki_matches(packet + auth_end, s.mki, s.mki_length))
    return SrtpStatus::mki_mismatch;
  if (s.rtp_packets >= s.lifetime) return SrtpStatus::key_lifetime_exhausted;
  // A new SSRC starts from fresh rollover and replay state, adopted only once it authenticates.
  const bool same_ssrc = s.ssrc_bound && s.ssrc == h.ssrc;
  const RolloverState rollover = same_ssrc ? s.rollover : RolloverState{};
  const IndexGuess guess = estimate_index(rollover, h.sequence);
  if (guess.before_start) return SrtpStatus::too_old;
  if (same_ssrc) {
    const ReplayVerdict verdict = s.rtp_replay.check(guess.index);
    if (verdict == ReplayVerdict::replayed) return SrtpStatus::replayed;
    if (verdict == ReplayVerdict::too_old) return SrtpStatus::too_old;
  }
  uint8_t received_tag[kHmacSha1MaxTag];
  std::memcpy(received_tag, packet + auth_end + s.mki_length, s.rtp_tag_length);
  alignas(16) uint8_t iv[16];
  uint8_t tag[kHmacSha1MaxTag];
  const CipherMacJob job =
      rtp_job(s, packet, h.header_length, auth_end, guess.index, h.ssrc, guess.roc, iv, tag);
  if (!engine.run(job, CipherDirection::mac_then_decrypt)) return SrtpStatus::crypto_error;
  if (!srtp_wire::tags_equal(tag, received_tag, s.rtp_tag_length)) return SrtpStatus::auth_failed;
  if (!same_ssrc) {
    s.ssrc = h.ssrc;
    s.ssrc_bound = true;
    s.rollover = RolloverState{};
    s.rtp_replay.reset(s.rtp_replay.size());
  }
  s.rtp_replay.accept(guess.index);
  advance_rollover(s.rollover, guess, h.sequence);
  ++s.rtp_packets;
  out_length = auth_end;
  return SrtpStatus::ok;
}

}  // namespace trunkgate::media
