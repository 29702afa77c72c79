// Which SIP domains a certificate speaks for (RFC 5922 section 7.1, SIPconnect 2.0 section 8):
// the hosts of subjectAltName URIs of the sip: scheme and the subjectAltName DNS names; the
// subject common name only when the certificate has neither.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <vector>

namespace trunkgate::sip {

std::vector<std::string> CertificateSipIdentities(X509* certificate);

// Exact, case-insensitive match; RFC 5922 forbids wildcard matching for SIP domains.
bool CertificateMatchesDomain(X509* certificate, std::string_view domain);

}  // namespace trunkgate::sip
