// Hash primitives for HTTP/SIP digest authentication (RFC 7616 section 3.4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trunkgate::sip {

enum class DigestAlgorithm { kMd5, kSha256 };

// Maps the `algorithm` parameter (case-insensitive). An absent parameter means MD5 (RFC 2617);
// unknown names return nullopt so the caller can ignore that challenge as RFC 7616 requires.
std::optional<DigestAlgorithm> ParseDigestAlgorithm(std::string_view name);
std::string_view DigestAlgorithmName(DigestAlgorithm algorithm);

// Lower-case hex of the hash of `data`, as H() in RFC 7616.
std::string DigestHex(DigestAlgorithm algorithm, std::string_view data);

// Lower-case hex of `size` bytes.
std::string HexEncode(const unsigned char* bytes, std::size_t size);

// Lower-case hex of `size` cryptographically random bytes (cnonce, nonce salt).
std::string RandomHex(std::size_t size);

// Comparison whose duration does not depend on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace trunkgate::sip
