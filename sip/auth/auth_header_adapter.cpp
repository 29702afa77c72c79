#include "sip/auth/auth_header_adapter.h"

#include <string>
#include <vector>

#include "sip/message/text.h"

namespace trunkgate::sip {
namespace {

// Calls `build` with the header's params as views into unquoted copies that live for the call.
template <class Build>
auto WithUnquotedParams(const AuthHeader& header, Build build) -> decltype(build({})) {
  if (!iequals(header.scheme, "Digest")) return std::nullopt;  // CUCM writes "DIGEST"
  std::vector<std::string> values;
  values.reserve(header.params.size());
  for (const AuthParam& param : header.params) {
    values.push_back(param.quoted ? unquote(param.value) : std::string(param.value));
  }
  std::vector<AuthParamView> views;
  views.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    views.emplace_back(header.params[i].name, values[i]);
  return build(views);
}

}  // namespace

std::optional<DigestChallenge> ChallengeFromHeader(const AuthHeader& header) {
  return WithUnquotedParams(header, DigestChallenge::FromParams);
}

std::optional<DigestCredentials> CredentialsFromHeader(const AuthHeader& header) {
  return WithUnquotedParams(header, DigestCredentials::FromParams);
}

}  // namespace trunkgate::sip
