#pragma once
// What the control plane hands the data plane to set up one SRTP direction: suite, master key
// and salt, optional MKI, key lifetime, replay window size (RFC 3711, RFC 4568 key-params).
#include <cstddef>
#include <cstdint>

namespace trunkgate::media {

enum class SrtpSuite : uint8_t { aes_cm_128_hmac_sha1_80, aes_cm_128_hmac_sha1_32, aead_aes_128_gcm };

constexpr std::size_t kSrtpMasterKeyLength = 16;
constexpr std::size_t kSrtpMasterSaltLength = 14;
constexpr std::size_t kAeadMasterSaltLength = 12;  // RFC 7714: 96 bits; bytes 12-13 unused
constexpr std::size_t kSrtpMaxMkiLength = 4;
constexpr std::size_t kAeadTagLength = 16;
constexpr std::size_t kSrtpMaxTrailer = kSrtpMaxMkiLength + kAeadTagLength;  // MKI + longest tag

constexpr bool is_aead(SrtpSuite suite) { return suite == SrtpSuite::aead_aes_128_gcm; }

// RTP authentication tag length of the suite.
constexpr std::size_t srtp_tag_length(SrtpSuite suite) {
  return is_aead(suite) ? kAeadTagLength : suite == SrtpSuite::aes_cm_128_hmac_sha1_80 ? 10 : 4;
}

// SRTCP tag length: both HMAC suites use 80 bits for SRTCP (RFC 4568 section 6.2).
constexpr std::size_t srtcp_tag_length(SrtpSuite suite) {
  return is_aead(suite) ? kAeadTagLength : 10;
}

struct SrtpPolicy {
  SrtpSuite suite = SrtpSuite::aes_cm_128_hmac_sha1_80;
  uint8_t master_key[kSrtpMasterKeyLength] = {};
  uint8_t master_salt[kSrtpMasterSaltLength] = {};  // AEAD: the first 12 bytes
  uint32_t mki = 0;
  uint8_t mki_length = 0;  // 0: no MKI field on the wire
  // Packets allowed under this master key (RFC 4568 lifetime); capped at 2^48 (SRTP) and
  // 2^31 (SRTCP) by the protocol itself.
  uint64_t lifetime = uint64_t{1} << 48;
  uint16_t replay_window = 128;  // 64 or 128
};

}  // namespace trunkgate::media
