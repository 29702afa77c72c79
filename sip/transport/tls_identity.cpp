#include "sip/transport/tls_identity.h"

#include <openssl/x509v3.h>

#include <cstring>
#include <optional>

#include "sip/message/text.h"

namespace trunkgate::sip {
namespace {

// ASN.1 strings may hold embedded NULs, a classic way to smuggle "good.com\0.evil.com".
std::optional<std::string> CleanString(const ASN1_STRING* value) {
  const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(value));
  const auto size = static_cast<std::size_t>(ASN1_STRING_length(value));
  if (data == nullptr || std::memchr(data, '\0', size) != nullptr) return std::nullopt;
  return std::string(data, size);
}

// "sip:example.com" -> "example.com"; other schemes and user parts are not domain identities.
std::optional<std::string> SipUriHost(const std::string& uri) {
  if (uri.size() <= 4 || !iequals(std::string_view(uri).substr(0, 4), "sip:")) {
    return std::nullopt;
  }
  const std::string host = uri.substr(4);
  if (host.find_first_of("@;?") != std::string::npos) return std::nullopt;
  return host;
}

std::optional<std::string> CommonName(X509* certificate) {
  X509_NAME* subject = X509_get_subject_name(certificate);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return std::nullopt;
  return CleanString(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
}

}  // namespace

std::vector<std::string> CertificateSipIdentities(X509* certificate) {
  std::vector<std::string> identities;
  bool has_san = false;
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      has_san = true;
      if (auto dns = CleanString(name->d.dNSName)) identities.push_back(std::move(*dns));
    } else if (name->type == GEN_URI) {
      has_san = true;
      const auto uri = CleanString(name->d.uniformResourceIdentifier);
      if (auto host = uri ? SipUriHost(*uri) : std::nullopt) identities.push_back(std::move(*host));
    }
  }
  GENERAL_NAMES_free(names);
  if (!has_san) {
    if (auto cn = CommonName(certificate)) identities.push_back(std::move(*cn));
  }
  return identities;
}

bool CertificateMatchesDomain(X509* certificate, std::string_view domain) {
  for (const std::string& identity : CertificateSipIdentities(certificate)) {
    if (iequals(identity, domain)) return true;
  }
  return false;
}

}  // namespace trunkgate::sip
