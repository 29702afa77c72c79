#include "sip/auth/digest_params.h"

#include "sip/message/text.h"

namespace trunkgate::sip {
namespace {

std::optional<std::string_view> Find(std::span<const AuthParamView> params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

// qop in a challenge is a comma-separated list of tokens ("auth,auth-int").
bool QopListOffersAuth(std::string_view list) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view token = list.substr(0, comma);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
      token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (iequals(token, "auth")) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool IsNonceCount(std::string_view nc) {
  if (nc.size() != 8) return false;
  for (char c : nc) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

void AppendQuoted(std::string& out, std::string_view name, std::string_view value) {
  if (out.back() != ' ') out += ", ";
  out += name;
  out += "=\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void AppendToken(std::string& out, std::string_view name, std::string_view value) {
  if (out.back() != ' ') out += ", ";
  out += name;
  out += '=';
  out += value;
}

}  // namespace

std::optional<DigestChallenge> DigestChallenge::FromParams(std::span<const AuthParamView> params) {
  const auto realm = Find(params, "realm");
  const auto nonce = Find(params, "nonce");
  if (!realm || !nonce || nonce->empty()) return std::nullopt;
  const auto algorithm = ParseDigestAlgorithm(Find(params, "algorithm").value_or(""));
  if (!algorithm) return std::nullopt;
  DigestChallenge challenge;
  challenge.realm = *realm;
  challenge.nonce = *nonce;
  challenge.algorithm = *algorithm;
  if (const auto opaque = Find(params, "opaque")) challenge.opaque = std::string(*opaque);
  if (const auto qop = Find(params, "qop")) {
    if (!QopListOffersAuth(*qop)) return std::nullopt;
    challenge.qop_auth = true;
  }
  challenge.stale = iequals(Find(params, "stale").value_or(""), "true");
  return challenge;
}

std::string DigestChallenge::ToHeaderValue() const {
  std::string out = "Digest ";
  AppendQuoted(out, "realm", realm);
  AppendQuoted(out, "nonce", nonce);
  if (opaque) AppendQuoted(out, "opaque", *opaque);
  AppendToken(out, "algorithm", DigestAlgorithmName(algorithm));
  if (qop_auth) AppendQuoted(out, "qop", "auth");
  if (stale) AppendToken(out, "stale", "true");
  return out;
}

std::optional<DigestCredentials> DigestCredentials::FromParams(
    std::span<const AuthParamView> params) {
  const auto username = Find(params, "username");
  const auto realm = Find(params, "realm");
  const auto nonce = Find(params, "nonce");
  const auto uri = Find(params, "uri");
  const auto response = Find(params, "response");
  if (!username || !realm || !nonce || !uri || !response) return std::nullopt;
  const auto algorithm = ParseDigestAlgorithm(Find(params, "algorithm").value_or(""));
  if (!algorithm) return std::nullopt;
  DigestCredentials credentials;
  credentials.username = *username;
  credentials.realm = *realm;
  credentials.nonce = *nonce;
  credentials.uri = *uri;
  credentials.response = *response;
  credentials.algorithm = *algorithm;
  if (const auto opaque = Find(params, "opaque")) credentials.opaque = std::string(*opaque);
  if (const auto qop = Find(params, "qop")) {
    const auto nc = Find(params, "nc");
    const auto cnonce = Find(params, "cnonce");
    if (!iequals(*qop, "auth") || !nc || !IsNonceCount(*nc) || !cnonce) {
      return std::nullopt;
    }
    credentials.qop_auth = true;
    credentials.nc = std::string(*nc);
    credentials.cnonce = std::string(*cnonce);
  }
  return credentials;
}

std::string DigestCredentials::ToHeaderValue() const {
  std::string out = "Digest ";
  AppendQuoted(out, "username", username);
  AppendQuoted(out, "realm", realm);
  AppendQuoted(out, "nonce", nonce);
  AppendQuoted(out, "uri", uri);
  AppendQuoted(out, "response", response);
  AppendToken(out, "algorithm", DigestAlgorithmName(algorithm));
  if (opaque) AppendQuoted(out, "opaque", *opaque);
  if (qop_auth) {
    AppendToken(out, "qop", "auth");
    AppendToken(out, "nc", nc);
    AppendQuoted(out, "cnonce", cnonce);
  }
  return out;
}

}  // namespace trunkgate::sip
