#include "sip/transport/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace trunkgate::sip {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr MemoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error(what + ": " + TakeOpenSslError());
}

void LoadChain(SSL_CTX* ctx, const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  X509* leaf = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr || SSL_CTX_use_certificate(ctx, leaf) != 1) Fail("certificate");
  X509_free(leaf);
  // The rest of the PEM is the intermediate chain; running out of certificates ends it.
  while (X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) Fail("chain certificate");
  }
  ERR_clear_error();
}

void LoadKey(SSL_CTX* ctx, const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr || SSL_CTX_use_PrivateKey(ctx, key) != 1) Fail("private key");
  EVP_PKEY_free(key);
  if (SSL_CTX_check_private_key(ctx) != 1) Fail("private key does not match certificate");
}

void LoadTrust(SSL_CTX* ctx, const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int loaded = 0;
  while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, ca);
    X509_free(ca);
    ++loaded;
  }
  ERR_clear_error();
  if (loaded == 0) throw std::runtime_error("no trusted CA certificate in the configuration");
}

}  // namespace

std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown TLS error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

TlsContext::TlsContext(const TlsConfig& config)
    : ctx_(SSL_CTX_new(TLS_method())),
      require_client_certificate_(config.require_client_certificate) {
  SSL_CTX* ctx = ctx_.get();
  if (ctx == nullptr) Fail("SSL_CTX_new");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(ctx, kSipconnectCipherList) != 1) Fail("cipher list");
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  // Writes come from a buffer that moves as it is consumed, and may complete partially.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!config.certificate_chain_pem.empty()) {
    LoadChain(ctx, config.certificate_chain_pem);
    LoadKey(ctx, config.private_key_pem);
  }
  LoadTrust(ctx, config.trusted_ca_pem);
}

}  // namespace trunkgate::sip
