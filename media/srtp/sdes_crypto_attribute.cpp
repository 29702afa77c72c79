#include "media/srtp/sdes_crypto_attribute.h"

#include <cstring>

namespace trunkgate::media {

namespace {

constexpr std::string_view kSuite80 = "AES_CM_128_HMAC_SHA1_80";
constexpr std::string_view kSuite32 = "AES_CM_128_HMAC_SHA1_32";
constexpr std::string_view kSuiteGcm = "AEAD_AES_128_GCM";  // RFC 7714 section 12
constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kKeySaltLength = kSrtpMasterKeyLength + kSrtpMasterSaltLength;

std::size_t key_salt_length(SrtpSuite suite) {
  return kSrtpMasterKeyLength + (is_aead(suite) ? kAeadMasterSaltLength : kSrtpMasterSaltLength);
}

std::string_view suite_name(SrtpSuite suite) {
  return suite == SrtpSuite::aes_cm_128_hmac_sha1_80   ? kSuite80
         : suite == SrtpSuite::aes_cm_128_hmac_sha1_32 ? kSuite32
                                                       : kSuiteGcm;
}
constexpr uint64_t kMaxLifetime = uint64_t{1} << 48;

// Splits off the text before the first delimiter; the rest is returned after it.
std::string_view take_until(std::string_view& text, char delimiter) {
  const std::size_t at = text.find(delimiter);
  const std::string_view head = text.substr(0, at);
  text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
  return head;
}

bool parse_decimal(std::string_view text, uint64_t limit, uint64_t& out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (limit - digit) / 10) return false;
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

// Decodes exactly expected bytes (<= kKeySaltLength); trailing '=' padding is tolerated.
SdesError decode_key_salt(std::string_view text, std::size_t expected, uint8_t* out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::size_t written = 0;
  uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    const std::size_t v = kBase64Alphabet.find(c);
    if (v == std::string_view::npos) return SdesError::bad_base64;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      if (written == expected) return SdesError::bad_key_length;
      out[written++] = static_cast<uint8_t>(bits >> bit_count);
    }
  }
  return written == expected ? SdesError::ok : SdesError::bad_key_length;
}

SdesError parse_lifetime(std::string_view text, uint64_t& out) {
  uint64_t value = 0;
  if (text.starts_with("2^")) {
    if (!parse_decimal(text.substr(2), 48, value)) return SdesError::bad_lifetime;
    out = uint64_t{1} << value;
    return SdesError::ok;
  }
  if (!parse_decimal(text, kMaxLifetime, value) || value == 0) return SdesError::bad_lifetime;
  out = value;
  return SdesError::ok;
}

SdesError parse_mki(std::string_view text, SrtpPolicy& policy) {
  uint64_t value = 0;
  uint64_t length = 0;
  const std::string_view value_text = take_until(text, ':');
  if (!parse_decimal(value_text, UINT64_MAX, value) || !parse_decimal(text, 128, length) ||
      length == 0)
    return SdesError::bad_mki;
  if (length > kSrtpMaxMkiLength) return SdesError::mki_too_long;
  if (length < 8 && value >> (8 * length) != 0) return SdesError::bad_mki;
  policy.mki = static_cast<uint32_t>(value);
  policy.mki_length = static_cast<uint8_t>(length);
  return SdesError::ok;
}

SdesError parse_key_params(std::string_view key_params, SrtpPolicy& policy) {
  key_params = take_until(key_params, ';');
  if (!key_params.starts_with("inline:")) return SdesError::missing_inline;
  key_params.remove_prefix(7);
  uint8_t key_salt[kKeySaltLength] = {};
  const std::size_t expected = key_salt_length(policy.suite);
  const SdesError key_error = decode_key_salt(take_until(key_params, '|'), expected, key_salt);
  if (key_error != SdesError::ok) return key_error;
  std::memcpy(policy.master_key, key_salt, kSrtpMasterKeyLength);
  std::memcpy(policy.master_salt, key_salt + kSrtpMasterKeyLength, expected - kSrtpMasterKeyLength);
  // Both optional fields may appear; the MKI is the one containing ':'.
  for (int field = 0; field < 2 && !key_params.empty(); ++field) {
    const std::string_view item = take_until(key_params, '|');
    const SdesError e = item.find(':') == std::string_view::npos
                            ? parse_lifetime(item, policy.lifetime)
                            : parse_mki(item, policy);
    if (e != SdesError::ok) return e;
  }
  return key_params.empty() ? SdesError::ok : SdesError::bad_mki;
}

SdesError parse_session_param(std::string_view param, SrtpPolicy& policy) {
  uint64_t value = 0;
  if (param.starts_with("KDR=")) {
    return parse_decimal(param.substr(4), 24, value) && value == 0
               ? SdesError::ok
               : SdesError::unsupported_session_param;
  }
  if (param.starts_with("WSH=")) {
    if (!parse_decimal(param.substr(4), UINT32_MAX, value) || value < 64)
      return SdesError::bad_window;
    policy.replay_window = value >= 128 ? 128 : 64;
    return SdesError::ok;
  }
  return SdesError::unsupported_session_param;
}

std::size_t encode_base64(const uint8_t* in, std::size_t length, char* out) {
  std::size_t o = 0;
  for (std::size_t i = 0; i < length; i += 3) {
    const uint32_t b0 = in[i];
    const uint32_t b1 = i + 1 < length ? in[i + 1] : 0;
    const uint32_t b2 = i + 2 < length ? in[i + 2] : 0;
    const uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
    out[o++] = kBase64Alphabet[(triple >> 18) & 63];
    out[o++] = kBase64Alphabet[(triple >> 12) & 63];
    out[o++] = i + 1 < length ? kBase64Alphabet[(triple >> 6) & 63] : '=';
    out[o++] = i + 2 < length ? kBase64Alphabet[triple & 63] : '=';
  }
  return o;
}

std::size_t append(char* out, std::size_t at, std::size_t capacity, std::string_view text) {
  if (at + text.size() > capacity) return capacity + 1;  // marks overflow for the caller
  std::memcpy(out + at, text.data(), text.size());
  return at + text.size();
}

std::string_view decimal(uint64_t value, char (&buffer)[24]) {
  std::size_t at = sizeof buffer;
  do {
    buffer[--at] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  return {buffer + at, sizeof buffer - at};
}

}  // namespace

const char* to_string(SdesError e) {
  switch (e) {
    case SdesError::ok: return "ok";
    case SdesError::bad_tag: return "crypto: bad tag";
    case SdesError::unknown_suite: return "crypto: unsupported crypto-suite";
    case SdesError::missing_inline: return "crypto: key-params without inline:";
    case SdesError::bad_base64: return "crypto: key||salt is not base64";
    case SdesError::bad_key_length: return "crypto: key||salt has the wrong length";
    case SdesError::bad_lifetime: return "crypto: bad lifetime";
    case SdesError::bad_mki: return "crypto: bad MKI";
    case SdesError::mki_too_long: return "crypto: MKI longer than 4 bytes";
    case SdesError::unsupported_session_param: return "crypto: unsupported session parameter";
    case SdesError::bad_window: return "crypto: WSH below 64";
  }
  return "crypto: unknown";
}

SdesError parse_sdes_crypto(std::string_view text, SdesCrypto& out) {
  out = SdesCrypto{};
  if (text.starts_with("a=crypto:")) text.remove_prefix(9);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.remove_suffix(1);
  uint64_t tag = 0;
  if (!parse_decimal(take_until(text, ' '), 999999999, tag)) return SdesError::bad_tag;
  out.tag = static_cast<uint32_t>(tag);
  const std::string_view suite = take_until(text, ' ');
  if (suite == kSuite80) {
    out.policy.suite = SrtpSuite::aes_cm_128_hmac_sha1_80;
  } else if (suite == kSuite32) {
    out.policy.suite = SrtpSuite::aes_cm_128_hmac_sha1_32;
  } else if (suite == kSuiteGcm) {
    out.policy.suite = SrtpSuite::aead_aes_128_gcm;
  } else {
    return SdesError::unknown_suite;
  }
  const SdesError key_error = parse_key_params(take_until(text, ' '), out.policy);
  if (key_error != SdesError::ok) return key_error;
  while (!text.empty()) {
    const std::string_view param = take_until(text, ' ');
    if (param.empty()) continue;  // tolerate doubled spaces
    const SdesError e = parse_session_param(param, out.policy);
    if (e != SdesError::ok) return e;
  }
  return SdesError::ok;
}

std::size_t format_sdes_crypto(const SdesCrypto& crypto, bool with_lifetime, char* out,
                               std::size_t capacity) {
  char number[24];
  uint8_t key_salt[kKeySaltLength];
  const std::size_t key_salt_bytes = key_salt_length(crypto.policy.suite);
  std::memcpy(key_salt, crypto.policy.master_key, kSrtpMasterKeyLength);
  std::memcpy(key_salt + kSrtpMasterKeyLength, crypto.policy.master_salt,
              key_salt_bytes - kSrtpMasterKeyLength);
  char encoded[40];
  const std::size_t encoded_length = encode_base64(key_salt, key_salt_bytes, encoded);
  std::size_t at = append(out, 0, capacity, decimal(crypto.tag, number));
  at = append(out, at, capacity, " ");
  at = append(out, at, capacity, suite_name(crypto.policy.suite));
  at = append(out, at, capacity, " inline:");
  at = append(out, at, capacity, {encoded, encoded_length});
  const uint64_t lifetime = crypto.policy.lifetime;
  if (with_lifetime) {
    at = append(out, at, capacity, "|");
    if ((lifetime & (lifetime - 1)) == 0) {
      at = append(out, at, capacity, "2^");
      at = append(out, at, capacity, decimal(static_cast<uint64_t>(__builtin_ctzll(lifetime)), number));
    } else {
      at = append(out, at, capacity, decimal(lifetime, number));
    }
  }
  if (crypto.policy.mki_length > 0) {
    at = append(out, at, capacity, "|");
    at = append(out, at, capacity, decimal(crypto.policy.mki, number));
    at = append(out, at, capacity, ":");
    at = append(out, at, capacity, decimal(crypto.policy.mki_length, number));
  }
  return at > capacity ? 0 : at;
}

}  // namespace trunkgate::media
