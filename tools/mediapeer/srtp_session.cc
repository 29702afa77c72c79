#include "tools/mediapeer/srtp_session.h"

#include <openssl/evp.h>

#include <cstring>

namespace trunkgate::mediapeer {
namespace {

constexpr int kKeySaltLength = 30;  // AES_CM_128: 16-byte master key + 14-byte master salt

bool ensure_srtp_init() {
  static const bool ok = srtp_init() == srtp_err_status_ok;
  return ok;
}

}  // namespace

std::optional<SrtpSession> SrtpSession::create(std::string_view inline_key_base64, Direction d,
                                               std::string& error) {
  // 30 bytes are 40 base64 characters without padding (RFC 4568 section 6.1).
  unsigned char key[64] = {};
  if (inline_key_base64.size() != 40 ||
      EVP_DecodeBlock(key, reinterpret_cast<const unsigned char*>(inline_key_base64.data()),
                      static_cast<int>(inline_key_base64.size())) != kKeySaltLength) {
    error = "SRTP key '" + std::string(inline_key_base64) +
            "' is not the base64 of a 30-byte key and salt (40 characters)";
    return std::nullopt;
  }
  if (!ensure_srtp_init()) {
    error = "srtp_init failed";
    return std::nullopt;
  }
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
  srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
  policy.ssrc.type = d == Direction::kInbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.key = key;
  policy.window_size = 128;
  srtp_t session = nullptr;
  if (const srtp_err_status_t e = srtp_create(&session, &policy); e != srtp_err_status_ok) {
    error = "srtp_create failed: status " + std::to_string(e);
    return std::nullopt;
  }
  return SrtpSession(session);
}

SrtpSession::SrtpSession(SrtpSession&& other) noexcept : session_(other.session_) {
  other.session_ = nullptr;
}

SrtpSession& SrtpSession::operator=(SrtpSession&& other) noexcept {
  if (this != &other) {
    if (session_ != nullptr) srtp_dealloc(session_);
    session_ = other.session_;
    other.session_ = nullptr;
  }
  return *this;
}

SrtpSession::~SrtpSession() {
  if (session_ != nullptr) srtp_dealloc(session_);
}

srtp_err_status_t SrtpSession::protect(unsigned char* buf, int& len) {
  return srtp_protect(session_, buf, &len);
}

srtp_err_status_t SrtpSession::unprotect(unsigned char* buf, int& len) {
  return srtp_unprotect(session_, buf, &len);
}

}  // namespace trunkgate::mediapeer
