#pragma once
// A libsrtp2 context configured from the same SrtpPolicy as ours: the reference implementation
// the interop tests compare against.
#include <srtp2/srtp.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "media/srtp/srtp_policy.h"

namespace trunkgate::media::test {

class LibsrtpPeer {
 public:
  LibsrtpPeer(const SrtpPolicy& policy, bool inbound) : use_mki_(policy.mki_length > 0) {
    static const bool initialised = srtp_init() == srtp_err_status_ok;
    if (!initialised) throw std::runtime_error("srtp_init");
    std::memcpy(key_salt_, policy.master_key, kSrtpMasterKeyLength);
    std::memcpy(key_salt_ + kSrtpMasterKeyLength, policy.master_salt, kSrtpMasterSaltLength);
    srtp_policy_t p;
    std::memset(&p, 0, sizeof p);
    if (policy.suite == SrtpSuite::aead_aes_128_gcm) {
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);  // reads key || 12-byte salt
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
    } else {
      if (policy.suite == SrtpSuite::aes_cm_128_hmac_sha1_80) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
      } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
      }
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
    }
    p.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    p.window_size = policy.replay_window;
    if (use_mki_) {
      for (uint8_t i = 0; i < policy.mki_length; ++i)
        mki_[i] = static_cast<uint8_t>(policy.mki >> (8 * (policy.mki_length - 1 - i)));
      master_.key = key_salt_;
      master_.mki_id = mki_;
      master_.mki_size = policy.mki_length;
      keys_[0] = &master_;
      p.keys = keys_;
      p.num_master_keys = 1;
    } else {
      p.key = key_salt_;
    }
    if (srtp_create(&session_, &p) != srtp_err_status_ok) throw std::runtime_error("srtp_create");
  }
  ~LibsrtpPeer() { srtp_dealloc(session_); }
  LibsrtpPeer(const LibsrtpPeer&) = delete;
  LibsrtpPeer& operator=(const LibsrtpPeer&) = delete;

  // Each returns libsrtp's status; packet is resized to the output length.
  srtp_err_status_t protect(std::vector<uint8_t>& packet) { return run(packet, &srtp_protect_mki); }
  srtp_err_status_t protect_rtcp(std::vector<uint8_t>& packet) {
    return run(packet, &srtp_protect_rtcp_mki);
  }
  srtp_err_status_t unprotect(std::vector<uint8_t>& packet) {
    return run_in(packet, &srtp_unprotect_mki);
  }
  srtp_err_status_t unprotect_rtcp(std::vector<uint8_t>& packet) {
    return run_in(packet, &srtp_unprotect_rtcp_mki);
  }

 private:
  using ProtectFn = srtp_err_status_t (*)(srtp_t, void*, int*, unsigned int, unsigned int);
  using UnprotectFn = srtp_err_status_t (*)(srtp_t, void*, int*, unsigned int);

  srtp_err_status_t run(std::vector<uint8_t>& packet, ProtectFn fn) {
    int length = static_cast<int>(packet.size());
    packet.resize(packet.size() + SRTP_MAX_TRAILER_LEN);
    const srtp_err_status_t status = fn(session_, packet.data(), &length, use_mki_ ? 1 : 0, 0);
    packet.resize(static_cast<std::size_t>(length));
    return status;
  }
  srtp_err_status_t run_in(std::vector<uint8_t>& packet, UnprotectFn fn) {
    int length = static_cast<int>(packet.size());
    const srtp_err_status_t status = fn(session_, packet.data(), &length, use_mki_ ? 1 : 0);
    packet.resize(static_cast<std::size_t>(length));
    return status;
  }

  srtp_t session_ = nullptr;
  bool use_mki_;
  unsigned char key_salt_[kSrtpMasterKeyLength + kSrtpMasterSaltLength];
  unsigned char mki_[kSrtpMaxMkiLength] = {};
  srtp_master_key_t master_{};
  srtp_master_key_t* keys_[1] = {};
};

}  // namespace trunkgate::media::test
