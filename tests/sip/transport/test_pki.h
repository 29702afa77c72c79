// A throw-away certificate authority for TLS tests: RSA keys (the SIPconnect suite is ECDHE_RSA)
// and certificates made in memory with the OpenSSL API.
#pragma once

#include <string>

namespace trunkgate::sip::testing {

struct TestCredential {
  std::string certificate_pem;
  std::string private_key_pem;
};

class TestPki {
 public:
  // Shared by all tests of the process: RSA key generation is the slow part.
  static const TestPki& Instance();

  const std::string& ca_pem() const { return ca_.certificate_pem; }
  // `subject_alt_names` in OpenSSL config syntax ("DNS:a.example,URI:sip:a.example"), or empty
  // for a certificate without the extension.
  TestCredential Issue(const std::string& common_name, const std::string& subject_alt_names) const;

 private:
  TestPki();
  TestCredential ca_;
};

}  // namespace trunkgate::sip::testing
