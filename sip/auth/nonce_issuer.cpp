#include "sip/auth/nonce_issuer.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <stdexcept>

#include "sip/auth/digest_hash.h"

namespace trunkgate::sip {
namespace {

// Layout of a nonce, before hex: 8 bytes issue time (big-endian seconds), 8 random bytes, then
// the first 16 bytes of HMAC-SHA256(key, time || random || salt).
constexpr std::size_t kTimeBytes = 8;
constexpr std::size_t kRandomBytes = 8;
constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kPayloadHex = 2 * (kTimeBytes + kRandomBytes);
constexpr std::size_t kNonceHex = kPayloadHex + 2 * kMacBytes;
constexpr std::size_t kKeyBytes = 32;

std::string EncodeTime(std::chrono::seconds now) {
  std::array<unsigned char, kTimeBytes> bytes{};
  auto value = static_cast<std::uint64_t>(now.count());
  for (std::size_t i = kTimeBytes; i-- > 0; value >>= 8) bytes[i] = value & 0xff;
  return HexEncode(bytes.data(), bytes.size());
}

// Decodes the leading time field; the caller has already authenticated the whole nonce, so the
// digits are known to be ones we wrote.
std::chrono::seconds DecodeTime(std::string_view hex) {
  std::uint64_t value = 0;
  for (char c : hex.substr(0, 2 * kTimeBytes)) {
    value = value * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return std::chrono::seconds(static_cast<std::int64_t>(value));
}

std::string RandomKey() {
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), kKeyBytes) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return key;
}

}  // namespace

NonceIssuer::NonceIssuer(std::string key, std::string salt, std::chrono::seconds lifetime)
    : key_(key.empty() ? RandomKey() : std::move(key)),
      salt_(std::move(salt)),
      lifetime_(lifetime) {}

std::string NonceIssuer::Issue(std::chrono::seconds now) const {
  std::string payload = EncodeTime(now) + RandomHex(kRandomBytes);
  return payload + Mac(payload);
}

NonceStatus NonceIssuer::Check(std::string_view nonce, std::chrono::seconds now) const {
  if (nonce.size() != kNonceHex) return NonceStatus::kForged;
  const std::string_view payload = nonce.substr(0, kPayloadHex);
  if (!ConstantTimeEquals(Mac(payload), nonce.substr(kPayloadHex))) return NonceStatus::kForged;
  const std::chrono::seconds issued = DecodeTime(payload);
  // A nonce from the future was not issued by a clock we trust.
  if (issued > now) return NonceStatus::kForged;
  return now - issued > lifetime_ ? NonceStatus::kExpired : NonceStatus::kValid;
}

std::string NonceIssuer::Mac(std::string_view payload) const {
  const std::string message = std::string(payload) + salt_;
  unsigned char mac[EVP_MAX_MD_SIZE];
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_.data(), key_.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
                sizeof mac, &size) == nullptr) {
    throw std::runtime_error("HMAC failed");
  }
  return HexEncode(mac, kMacBytes);
}

}  // namespace trunkgate::sip
