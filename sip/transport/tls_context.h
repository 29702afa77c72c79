// OpenSSL configuration shared by every TLS connection of a transport: the SIPconnect 2.0 (8.x)
// profile of TLS 1.2 with TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 first, the two optional RSA
// suites after it, server-side preference, and TLS 1.3 when both ends have it.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace trunkgate::sip {

struct TlsConfig {
  std::string certificate_chain_pem;  // our certificate, then intermediates; may be empty for a
  std::string private_key_pem;        // client without a certificate (SIPconnect Annex B)
  std::string trusted_ca_pem;         // anchors for verifying the peer
  bool require_client_certificate = false;  // server side: mutual TLS
};

class TlsContext {
 public:
  // Throws std::runtime_error with OpenSSL's reason when the configuration is unusable.
  explicit TlsContext(const TlsConfig& config);

  SSL_CTX* get() const { return ctx_.get(); }
  bool require_client_certificate() const { return require_client_certificate_; }

 private:
  struct Free {
    void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
  };
  std::unique_ptr<SSL_CTX, Free> ctx_;
  bool require_client_certificate_;
};

// The cipher preference order of SIPconnect 2.0 for TLS 1.2.
inline constexpr const char* kSipconnectCipherList =
    "ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256:AES128-SHA";

// The last OpenSSL error as text, and clears the queue.
std::string TakeOpenSslError();

}  // namespace trunkgate::sip
