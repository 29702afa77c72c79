#pragma once
// SDP Security Descriptions (RFC 4568) a=crypto attribute for the AES_CM_128_HMAC_SHA1 suites
// and AEAD_AES_128_GCM (RFC 7714 section 12, 28-byte key||salt):
// parse "1 AES_CM_128_HMAC_SHA1_80 inline:<base64 key||salt>|2^31|1:1" (lifetime and MKI as
// Microsoft Mediation Server sends them, spec 002) into an SrtpPolicy, and format one back.
// Setup-time code (control plane), bounded and allocation-free all the same.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "media/srtp/srtp_policy.h"

namespace trunkgate::media {

enum class SdesError : uint8_t {
  ok,
  bad_tag,                    // tag missing, not decimal, or above 999999999
  unknown_suite,
  missing_inline,             // key-params does not start with "inline:"
  bad_base64,
  bad_key_length,             // key||salt is not 30 bytes (28 for AEAD_AES_128_GCM)
  bad_lifetime,               // neither decimal nor 2^n, zero, or above 2^48
  bad_mki,                    // MKI value:length malformed, or value does not fit length
  mki_too_long,               // MKI length above 4 bytes
  unsupported_session_param,  // KDR other than 0, UNENCRYPTED_*, UNAUTHENTICATED_*, unknown
  bad_window,                 // WSH below 64
};

const char* to_string(SdesError e);

struct SdesCrypto {
  uint32_t tag = 0;
  SrtpPolicy policy;
};

// Accepts the attribute value, with or without the leading "a=crypto:". Of several key-params
// (';'-separated) the first is used: the gateway runs one master key per direction at a time.
SdesError parse_sdes_crypto(std::string_view attribute, SdesCrypto& out);

// Writes "<tag> <suite> inline:<key||salt>[|2^n][|mki:len]" (no "a=crypto:", no CRLF) into out.
// Returns the length written, 0 if out is too small. A lifetime that is not a power of two is
// written in decimal.
std::size_t format_sdes_crypto(const SdesCrypto& crypto, bool with_lifetime, char* out,
                               std::size_t capacity);

}  // namespace trunkgate::media
