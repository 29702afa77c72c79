// SRTCP protect/unprotect (RFC 3711 section 3.4; RFC 7714 section 9 for AEAD): the first 8
// bytes (header and sender SSRC) stay in clear, the rest is encrypted. AES-CM + HMAC:
// ... | E||index | MKI | tag, the tag covering everything before MKI. AES-GCM: ... | tag |
// E||index | MKI, with header and E||index as additional authenticated data.
#include <cstring>
#include <span>

#include "media/common/byte_order.h"
#include "media/rtp/rtcp_header.h"
#include "media/srtp/srtp_stream.h"
#include "media/srtp/srtp_wire.h"

namespace trunkgate::media {

namespace {

constexpr uint32_t kEncryptedFlag = 0x80000000u;
constexpr uint32_t kMaxSrtcpIndex = 0x7fffffffu;
constexpr std::size_t kIndexWord = 4;

// Where things sit in a protected SRTCP packet of the given total length.
struct SrtcpLayout {
  std::size_t cipher_end;  // end of the encrypted part
  std::size_t tag_at;
  std::size_t index_at;    // E||index word
  std::size_t mki_at;
};

SrtcpLayout layout_of(const SrtpStream& s, std::size_t length) {
  SrtcpLayout l;
  if (s.aead) {
    l.mki_at = length - s.mki_length;
    l.index_at = l.mki_at - kIndexWord;
    l.tag_at = l.index_at - s.rtcp_tag_length;
    l.cipher_end = l.tag_at;
  } else {
    l.tag_at = length - s.rtcp_tag_length;
    l.mki_at = l.tag_at - s.mki_length;
    l.index_at = l.mki_at - kIndexWord;
    l.cipher_end = l.index_at;
  }
  return l;
}

struct SrtcpWork {
  alignas(16) uint8_t iv[16];
  uint8_t tag[kMaxTagOutput];
  uint8_t aad[kRtcpHeaderSize + kIndexWord];  // AEAD: header || E||index, made contiguous
  CipherMacJob job;
};

// The job for a packet whose E||index word is already in place at l.index_at.
void build_job(SrtpStream& s, uint8_t* packet, const SrtcpLayout& l, uint32_t ssrc,
               uint32_t index, SrtcpWork& w) {
  if (s.aead) {
    std::memcpy(w.aad, packet, kRtcpHeaderSize);
    std::memcpy(w.aad + kRtcpHeaderSize, packet + l.index_at, kIndexWord);
    w.job = srtp_wire::aead_job(s.rtcp_keys, ssrc, index, packet, kRtcpHeaderSize, l.cipher_end,
                                w.aad, sizeof w.aad, w.iv, w.tag);
  } else {
    w.job = srtp_wire::session_job(s.rtcp_keys, ssrc, index, packet, kRtcpHeaderSize,
                                   l.cipher_end, l.index_at + kIndexWord, w.iv, w.tag);
  }
}

}  // namespace

SrtpStatus srtcp_protect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                         std::size_t length, std::size_t capacity, std::size_t& out_length) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  RtcpCompound c;
  if (parse_rtcp_first_header(std::span<const uint8_t>(packet, length), c) != RtcpError::ok)
    return SrtpStatus::bad_header;
  const std::size_t trailer = kIndexWord + s.mki_length + s.rtcp_tag_length;
  if (!srtp_wire::trailer_fits(length, trailer, capacity)) return SrtpStatus::buffer_too_small;
  if (s.srtcp_index > kMaxSrtcpIndex || s.rtcp_packets >= s.lifetime)
    return SrtpStatus::key_lifetime_exhausted;
  const uint32_t index = s.srtcp_index;
  const SrtcpLayout l = layout_of(s, length + trailer);
  store_be32(packet + l.index_at, kEncryptedFlag | index);
  SrtcpWork w;
  build_job(s, packet, l, c.sender_ssrc, index, w);
  if (!engine.run(w.job, CipherDirection::encrypt_then_mac)) return SrtpStatus::crypto_error;
  std::memcpy(packet + l.tag_at, w.tag, s.rtcp_tag_length);
  srtp_wire::write_mki(packet + l.mki_at, s.mki, s.mki_length);
  ++s.srtcp_index;
  ++s.rtcp_packets;
  out_length = length + trailer;
  return SrtpStatus::ok;
}

SrtpStatus srtcp_unprotect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                           std::size_t length, std::size_t& out_length) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  const std::size_t trailer = kIndexWord + s.mki_length + s.rtcp_tag_length;
  if (length < kRtcpHeaderSize + trailer) return SrtpStatus::too_short;
  const SrtcpLayout l = layout_of(s, length);
  RtcpCompound c;
  if (parse_rtcp_first_header(std::span<const uint8_t>(packet, l.cipher_end), c) != RtcpError::ok)
    return SrtpStatus::bad_header;
  if (!srtp_wire::mki_matches(packet + l.mki_at, s.mki, s.mki_length))
    return SrtpStatus::mki_mismatch;
  if (s.rtcp_packets >= s.lifetime) return SrtpStatus::key_lifetime_exhausted;
  const uint32_t word = load_be32(packet + l.index_at);
  const uint32_t index = word & kMaxSrtcpIndex;
  const ReplayVerdict verdict = s.rtcp_replay.check(index);
  if (verdict == ReplayVerdict::replayed) return SrtpStatus::replayed;
  if (verdict == ReplayVerdict::too_old) return SrtpStatus::too_old;
  // RFC 7714 section 9.2's unencrypted-SRTCP variant (E = 0) is not supported.
  if ((word & kEncryptedFlag) == 0 && s.aead) return SrtpStatus::unsupported;
  SrtcpWork w;
  build_job(s, packet, l, c.sender_ssrc, index, w);
  if ((word & kEncryptedFlag) == 0) w.job.cipher_key = nullptr;  // sender chose not to encrypt
  if (!engine.run(w.job, CipherDirection::mac_then_decrypt)) return SrtpStatus::crypto_error;
  if (!srtp_wire::tags_equal(w.tag, packet + l.tag_at, s.rtcp_tag_length))
    return SrtpStatus::auth_failed;
  s.rtcp_replay.accept(index);
  ++s.rtcp_packets;
  out_length = l.cipher_end;
  return SrtpStatus::ok;
}

}  // namespace trunkgate::media
