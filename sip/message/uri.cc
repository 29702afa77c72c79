#include "sip/message/uri.h"

#include <bit>
#include <cstring>

#include "sip/message/text.h"

namespace trunkgate::sip {

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
  return is_alpha(c) || (c >= '0' && c <= '9');
}

// RFC 3966 phonedigit-hex and visual separators, plus '*' and '#'.
bool is_phone_char(char c) {
  return is_alnum(c) || c == '+' || c == '-' || c == '.' || c == '(' || c == ')' || c == '*' ||
         c == '#';
}

bool is_valid_ipv6_reference(std::string_view h) {
  if (h.size() < 4 || h.front() != '[' || h.back() != ']') return false;
  const std::string_view inner = h.substr(1, h.size() - 2);
  std::size_t colons = 0;
  for (char c : inner) {
    if (c == ':') {
      ++colons;
    } else if (!has_class(c, kHexChar) && c != '.') {
      return false;
    }
  }
  return colons >= 2 && colons <= 7;
}

bool is_valid_hostname(std::string_view h) {
  if (h.empty() || h.size() > 255 || !all_in_class(h, kHostChar)) return false;
  return h.front() != '.' && h.front() != '-';
}

Result<std::uint16_t> parse_port(std::string_view text) {
  const auto v = parse_decimal(text, 65535);
  if (!v) return fail(ParseError::kBadPort, text);
  return static_cast<std::uint16_t>(*v);
}

// hostport [;params] [?headers] for sip/sips, after the optional userinfo.
// The parts are written into `uri` in place: a Uri is a dozen views, and copying it through each
// step showed up in the parse profile.
Result<bool> parse_sip_rest(Uri& uri, std::string_view rest, const ParseLimits& limits) {
  std::size_t host_end = 0;
  bool host_ok = false;
  if (!rest.empty() && rest.front() == '[') {
    host_end = rest.find(']');
    if (host_end == std::string_view::npos) return fail(ParseError::kBadHost, rest);
    ++host_end;
    host_ok = is_valid_ipv6_reference(rest.substr(0, host_end));
  } else {
    // One scan both finds the end of a hostname/IPv4 host and checks its characters; only a host
    // with some other byte before its ':', ';' or '?' goes back to the general check.
    while (host_end < rest.size() && has_class(rest[host_end], kHostChar)) ++host_end;
    const bool plain = host_end == rest.size() || rest[host_end] == ':' || rest[host_end] == ';' ||
                       rest[host_end] == '?';
    if (!plain) {
      host_end = find_any(rest, ":;?", host_end);
      if (host_end == std::string_view::npos) host_end = rest.size();
    }
    host_ok = plain ? host_end != 0 && host_end <= 255 && rest[0] != '.' && rest[0] != '-'
                    : is_valid_hostname(rest.substr(0, host_end));
  }
  uri.host = rest.substr(0, host_end);
  if (!host_ok) return fail(ParseError::kBadHost, uri.host);
  rest.remove_prefix(host_end);
  if (!rest.empty() && rest.front() == ':') {
    std::size_t port_end = find_any(rest, ";?");
    if (port_end == std::string_view::npos) port_end = rest.size();
    const auto port = parse_port(rest.substr(1, port_end - 1));
    if (!port) return port.failure();
    uri.port = *port;
    uri.has_port = true;
    rest.remove_prefix(port_end);
  }
  const std::size_t question = find_any(rest, "?");  // short: a loop beats memchr's setup
  auto params = validate_params(rest.substr(0, question), limits, /*in_uri=*/true);
  if (!params) return params.failure();
  uri.params = *params;
  if (question != std::string_view::npos) {
    uri.headers = rest.substr(question + 1);
    if (!all_in_class_escaped(uri.headers, kHeaderChar)) {
      return fail(ParseError::kBadUri, uri.headers);
    }
  }
  return true;
}

Result<bool> parse_sip_uri(Uri& uri, std::string_view rest, const ParseLimits& limits) {
  // user may contain '?' and ';' (RFC 4475 intmeth, semiuri) but never an unescaped '@', and the
  // hostport/params/headers that follow contain no '@' either: the first '@' ends the userinfo.
  // One scan instead of three memchr calls: the '@', and the first ':' (password) and ';' (user
  // parameters) before it.
  constexpr std::size_t npos = std::string_view::npos;
  // Usual form first: a plain user (user characters, valid escapes, no password) ending at the
  // '@', found and checked in one scan. Anything else, including no user at all, takes the
  // general path below, which reaches the same result for this form.
  const std::size_t user_end = scan_class(rest, 0, kUserChar, /*escaped=*/true);
  if (user_end != 0 && user_end < rest.size() && rest[user_end] == '@') {
    uri.user = rest.substr(0, user_end);
    const bool user_has_params = find_any(uri.user, ";") != npos;  // short: no memchr
    if (user_has_params && uri.user_params().count() > limits.max_params) {
      return fail(ParseError::kTooManyParams);
    }
    return parse_sip_rest(uri, rest.substr(user_end + 1), limits);
  }
  std::size_t at = 0;
  std::size_t colon = npos;
  std::size_t semi = npos;
  for (; at < rest.size() && rest[at] != '@'; ++at) {
    if (rest[at] == ':' && colon == npos) colon = at;
    if (rest[at] == ';' && semi == npos) semi = at;
  }
  if (at == rest.size()) at = npos;
  // CUCM prints "<sip: @10.89.79.203>" (DIGEST-001 [563]): a blank user is taken as no user.
  if (at != npos && trim_lws(rest.substr(0, at)).empty()) {
    return parse_sip_rest(uri, rest.substr(at + 1), limits);
  }
  if (at != npos) {
    const std::string_view userinfo = rest.substr(0, at);
    uri.user = userinfo.substr(0, colon);
    if (colon != std::string_view::npos) uri.password = userinfo.substr(colon + 1);
    if (uri.user.empty() || !all_in_class_escaped(uri.user, kUserChar) ||
        !all_in_class_escaped(uri.password, kPasswordChar)) {
      // Rare: a second look only to tell a bad character (first) from a bad escape.
      if (uri.user.empty() || !all_in_class(uri.user, kUserChar) ||
          !all_in_class(uri.password, kPasswordChar)) {
        return fail(ParseError::kBadUri, uri.text);
      }
      return fail(ParseError::kBadEscape, uri.user);
    }
    const bool user_has_params = semi < colon;  // both npos-or-before-'@'; npos is the largest
    if (user_has_params && uri.user_params().count() > limits.max_params) {
      return fail(ParseError::kTooManyParams);
    }
    rest.remove_prefix(at + 1);
  }
  return parse_sip_rest(uri, rest, limits);
}

// RFC 3966: telephone-subscriber *( ";" par ). Visual separators and hex digits are allowed.
Result<bool> parse_tel_uri(Uri& uri, std::string_view rest, const ParseLimits& limits) {
  const std::size_t semi = rest.find(';');
  uri.user = rest.substr(0, semi);
  if (uri.user.empty()) return fail(ParseError::kBadUri, uri.text);
  for (char c : uri.user) {
    if (!is_phone_char(c)) return fail(ParseError::kBadUri, uri.text);
  }
  if (semi != std::string_view::npos) {
    auto params = validate_params(rest.substr(semi), limits, /*in_uri=*/true);
    if (!params) return params.failure();
    uri.params = *params;
  }
  return true;
}

}  // namespace

bool is_valid_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') return is_valid_ipv6_reference(host);
  return is_valid_hostname(host);
}

bool Uri::is_phone() const {
  if (scheme == UriScheme::kTel) return true;
  const auto user_param = params.get("user");
  return user_param && iequals(*user_param, "phone");
}

std::string_view Uri::user_number() const {
  return user.substr(0, user.find(';'));
}

Params Uri::user_params() const {
  const std::size_t semi = user.find(';');
  return semi == std::string_view::npos ? Params{} : Params(user.substr(semi));
}

std::string_view Uri::phone_context() const {
  const Params source = scheme == UriScheme::kTel ? params : user_params();
  return source.get("phone-context").value_or(std::string_view{});
}

Result<Uri> parse_uri(std::string_view text, const ParseLimits& limits) {
  Uri uri;
  if (auto r = parse_uri_into(uri, text, limits); !r) return r.failure();
  return uri;
}

Result<bool> parse_uri_into(Uri& uri, std::string_view text, const ParseLimits& limits) {
  uri.text = text;
  // Nearly every URI a trunk sees is "sip:": one 4-byte compare, case folded, skips the scheme
  // scan and name comparisons below (which would reach the same result).
  if (text.size() >= 4) {
    std::uint32_t head;
    std::memcpy(&head, text.data(), 4);
    std::uint32_t sip;
    std::memcpy(&sip, "sip:", 4);
    static_assert(std::endian::native == std::endian::little);
    if ((head | 0x00202020U) == sip) {  // 0x20 on the three letters (little-endian), not on ':'
      uri.scheme_name = text.substr(0, 3);
      uri.scheme = UriScheme::kSip;
      return parse_sip_uri(uri, text.substr(4), limits);
    }
  }
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':' (one scan, no memchr).
  std::size_t colon = 0;
  while (colon < text.size() && (is_alnum(text[colon]) || text[colon] == '+' ||
                                 text[colon] == '-' || text[colon] == '.')) {
    ++colon;
  }
  if (colon == 0 || colon == text.size() || text[colon] != ':' || !is_alpha(text[0])) {
    return fail(ParseError::kBadUri, text);
  }
  uri.scheme_name = text.substr(0, colon);
  const std::string_view rest = text.substr(colon + 1);
  if (iequals(uri.scheme_name, "sip") || iequals(uri.scheme_name, "sips")) {
    uri.scheme = uri.scheme_name.size() == 3 ? UriScheme::kSip : UriScheme::kSips;
    return parse_sip_uri(uri, rest, limits);
  }
  if (iequals(uri.scheme_name, "tel")) {
    uri.scheme = UriScheme::kTel;
    return parse_tel_uri(uri, rest, limits);
  }
  // absoluteURI of another scheme: opaque, but never empty and never with LWS or controls.
  for (char c : rest) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '<' || c == '>' || c == '"') {
      return fail(ParseError::kBadUri, text);
    }
  }
  if (rest.empty()) return fail(ParseError::kBadUri, text);
  uri.opaque = rest;
  return true;
}

}  // namespace trunkgate::sip
