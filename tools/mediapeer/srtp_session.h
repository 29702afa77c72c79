// One libsrtp2 session (AES_CM_128_HMAC_SHA1_80, RTP only) keyed by an SDES inline key: the
// reference implementation the gateway's SRTP is checked against. Inbound sessions accept any
// SSRC (the gateway's transcoder picks a random one), outbound ones protect whatever we send.
#pragma once

#include <srtp2/srtp.h>

#include <optional>
#include <string>
#include <string_view>

namespace trunkgate::mediapeer {

class SrtpSession {
 public:
  enum class Direction { kInbound, kOutbound };

  // nullopt with `error` when the key is not base64 of a 16-byte key and 14-byte salt.
  static std::optional<SrtpSession> create(std::string_view inline_key_base64, Direction d,
                                           std::string& error);
  SrtpSession(SrtpSession&& other) noexcept;
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;
  SrtpSession& operator=(SrtpSession&& other) noexcept;
  ~SrtpSession();

  // In place; `len` in and out. `buf` must have SRTP_MAX_TRAILER_LEN bytes of room after `len`.
  srtp_err_status_t protect(unsigned char* buf, int& len);
  srtp_err_status_t unprotect(unsigned char* buf, int& len);

 private:
  explicit SrtpSession(srtp_t session) : session_(session) {}
  srtp_t session_ = nullptr;
};

}  // namespace trunkgate::mediapeer
