// SRTCP protect/unprotect (RFC 3711 section 3.4): the first 8 bytes (header and sender SSRC)
// stay in clear, the rest is encrypted, then E||SRTCP index, MKI and an 80-bit tag follow.
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

// index_end is the offset just past E||index: the end of the authenticated portion.
CipherMacJob rtcp_job(SrtpStream& s, uint8_t* packet, std::size_t index_end, uint32_t ssrc,
                      uint32_t index, uint8_t* iv, uint8_t* tag) {
  return srtp_wire::session_job(s.rtcp_keys, ssrc, index, packet, kRtcpHeaderSize,
                                index_end - kIndexWord, index_end, iv, tag);
}

}  // namespace

SrtpStatus srtcp_protect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                         std::size_t length, std::size_t capacity, std::size_t& out_length) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  RtcpCompound c;
  if (parse_rtcp_first_header(std::span<const uint8_t>(packet, length), c) != RtcpError::ok)
    return SrtpStatus::bad_header;
  const std::size_t trailer = kIndexWord + s.mki_length + kSrtcpTagLength;
  if (!srtp_wire::trailer_fits(length, trailer, capacity)) return SrtpStatus::buffer_too_small;
  if (s.srtcp_index > kMaxSrtcpIndex || s.rtcp_packets >= s.lifetime)
    return SrtpStatus::key_lifetime_exhausted;
  const uint32_t index = s.srtcp_index;
  store_be32(packet + length, kEncryptedFlag | index);
  alignas(16) uint8_t iv[16];
  uint8_t tag[kHmacSha1MaxTag];
  const CipherMacJob job = rtcp_job(s, packet, length + kIndexWord, c.sender_ssrc, index, iv, tag);
  if (!engine.run(job, CipherDirection::encrypt_then_mac)) return SrtpStatus::crypto_error;
  srtp_wire::write_mki_and_tag(packet + length + kIndexWord, s.mki, s.mki_length, tag,
                               kSrtcpTagLength);
  ++s.srtcp_index;
  ++s.rtcp_packets;
  out_length = length + trailer;
  return SrtpStatus::ok;
}

SrtpStatus srtcp_unprotect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                           std::size_t length, std::size_t& out_length) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  const std::size_t trailer = kIndexWord + s.mki_length + kSrtcpTagLength;
  if (length < kRtcpHeaderSize + trailer) return SrtpStatus::too_short;
  const std::size_t index_end = length - s.mki_length - kSrtcpTagLength;
  RtcpCompound c;
  if (parse_rtcp_first_header(std::span<const uint8_t>(packet, index_end - kIndexWord), c) !=
      RtcpError::ok)
    return SrtpStatus::bad_header;
  if (!srtp_wire::mki_matches(packet + index_end, s.mki, s.mki_length))
    return SrtpStatus::mki_mismatch;
  if (s.rtcp_packets >= s.lifetime) return SrtpStatus::key_lifetime_exhausted;
  const uint32_t word = load_be32(packet + index_end - kIndexWord);
  const uint32_t index = word & kMaxSrtcpIndex;
  const ReplayVerdict verdict = s.rtcp_replay.check(index);
  if (verdict == ReplayVerdict::replayed) return SrtpStatus::replayed;
  if (verdict == ReplayVerdict::too_old) return SrtpStatus::too_old;
  alignas(16) uint8_t iv[16];
  uint8_t tag[kHmacSha1MaxTag];
  CipherMacJob job = rtcp_job(s, packet, index_end, c.sender_ssrc, index, iv, tag);
  if ((word & kEncryptedFlag) == 0) job.cipher_key = nullptr;  // sender chose not to encrypt
  if (!engine.run(job, CipherDirection::mac_then_decrypt)) return SrtpStatus::crypto_error;
  if (!srtp_wire::tags_equal(tag, packet + index_end + s.mki_length, kSrtcpTagLength))
    return SrtpStatus::auth_failed;
  s.rtcp_replay.accept(index);
  ++s.rtcp_packets;
  out_length = index_end - kIndexWord;
  return SrtpStatus::ok;
}

}  // namespace trunkgate::media
