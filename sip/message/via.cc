#include "sip/message/via.h"

#include "sip/message/text.h"
#include "sip/message/uri.h"

namespace trunkgate::sip {

namespace {

// Reads a token at s[pos] after optional LWS; advances pos past it.
std::string_view read_token(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && is_lws(s[pos])) ++pos;
  const std::size_t start = pos;
  while (pos < s.size() && is_token_char(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

// Expects `c` after optional LWS.
bool expect(std::string_view s, std::size_t& pos, char c) {
  while (pos < s.size() && is_lws(s[pos])) ++pos;
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

bool Via::is_rfc3261_branch() const {
  return branch().starts_with("z9hG4bK");
}

Result<Via> parse_via(std::string_view value, const ParseLimits& limits) {
  Via via;
  std::size_t pos = 0;
  via.protocol_name = read_token(value, pos);
  if (via.protocol_name.empty() || !expect(value, pos, '/'))
    return fail(ParseError::kBadHeaderValue, "Via");
  via.version = read_token(value, pos);
  if (via.version.empty() || !expect(value, pos, '/'))
    return fail(ParseError::kBadHeaderValue, "Via");
  via.transport = read_token(value, pos);
  if (via.transport.empty()) return fail(ParseError::kBadHeaderValue, "Via");
  // sent-by: host [ ":" port ], LWS allowed before it and around ':'.
  while (pos < value.size() && is_lws(value[pos])) ++pos;
  std::size_t host_end = pos;
  if (host_end < value.size() && value[host_end] == '[') {
    host_end = value.find(']', host_end);
    if (host_end == std::string_view::npos) return fail(ParseError::kBadHost, "Via");
    ++host_end;
  } else {
    while (host_end < value.size() && value[host_end] != ':' && value[host_end] != ';' &&
           !is_lws(value[host_end])) {
      ++host_end;
    }
  }
  via.host = value.substr(pos, host_end - pos);
  if (!is_valid_host(via.host)) return fail(ParseError::kBadHost, via.host);
  pos = host_end;
  std::size_t port_pos = pos;
  if (expect(value, port_pos, ':')) {
    while (port_pos < value.size() && is_lws(value[port_pos])) ++port_pos;
    std::size_t port_end = port_pos;
    while (port_end < value.size() && value[port_end] >= '0' && value[port_end] <= '9') ++port_end;
    const auto port = parse_decimal(value.substr(port_pos, port_end - port_pos), 65535);
    if (!port) return fail(ParseError::kBadPort, "Via");
    via.port = static_cast<std::uint16_t>(*port);
    via.has_port = true;
    pos = port_end;
  }
  auto params = validate_params(value.substr(pos), limits, /*in_uri=*/false);
  if (!params) return params.failure();
  via.params = *params;
  return via;
}

Result<std::vector<Via>> parse_via_list(std::string_view value, const ParseLimits& limits) {
  return parse_each<Via>(value, limits,
                         [](std::string_view e, const ParseLimits& l) { return parse_via(e, l); });
}

}  // namespace trunkgate::sip
