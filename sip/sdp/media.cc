// Typed views of media-level attributes: rtpmap, fmtp, ptime, direction, crypto, rtcp.
#include "sip/message/text.h"
#include "sip/sdp/fields.h"
#include "sip/sdp/session_description.h"

namespace trunkgate::sip::sdp {

namespace {

std::optional<Direction> direction_of(const std::vector<Attribute>& attributes) {
  for (const Attribute& a : attributes) {
    if (a.name == "sendrecv") return Direction::kSendRecv;
    if (a.name == "sendonly") return Direction::kSendOnly;
    if (a.name == "recvonly") return Direction::kRecvOnly;
    if (a.name == "inactive") return Direction::kInactive;
  }
  return std::nullopt;
}

// "<payload type> <rest>" as used by rtpmap and fmtp.
std::optional<std::pair<int, std::string_view>> payload_and_rest(std::string_view v) {
  const std::size_t sp = v.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  const auto pt = parse_decimal(v.substr(0, sp), 127);
  if (!pt) return std::nullopt;
  return std::pair{static_cast<int>(*pt), trim_lws(v.substr(sp + 1))};
}

}  // namespace

std::optional<std::string_view> Media::attribute(std::string_view name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) return a.value;
  }
  return std::nullopt;
}

std::vector<RtpMap> Media::rtpmaps() const {
  std::vector<RtpMap> out;
  for (const Attribute& a : attributes) {
    if (a.name != "rtpmap") continue;
    const auto parts = payload_and_rest(a.value);
    if (!parts) continue;
    const std::string_view rest = parts->second;
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) continue;
    const std::size_t slash2 = rest.find('/', slash + 1);
    const auto rate = parse_decimal(rest.substr(slash + 1, slash2 - slash - 1), 0xffffffffULL);
    if (!rate) continue;
    RtpMap map{parts->first, rest.substr(0, slash), static_cast<std::uint32_t>(*rate), {}};
    if (slash2 != std::string_view::npos) map.channels = rest.substr(slash2 + 1);
    out.push_back(map);
  }
  return out;
}

std::optional<std::string_view> Media::fmtp(int payload_type) const {
  for (const Attribute& a : attributes) {
    if (a.name != "fmtp") continue;
    const auto parts = payload_and_rest(a.value);
    if (parts && parts->first == payload_type) return parts->second;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> Media::ptime() const {
  const auto text = attribute("ptime");
  if (!text) return std::nullopt;
  const auto v = parse_decimal(trim_lws(*text), 10000);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::optional<Direction> Media::direction() const {
  return direction_of(attributes);
}

std::vector<Crypto> Media::cryptos() const {
  std::vector<Crypto> out;
  for (const Attribute& a : attributes) {
    if (a.name != "crypto") continue;
    std::array<std::string_view, 4> f;
    const std::size_t n = split_fields(a.value, f);
    const auto tag = parse_decimal(f[0], 999999999);
    if (n < 3 || !tag) continue;
    out.push_back(Crypto{static_cast<std::uint32_t>(*tag), f[1], f[2], f[3]});
  }
  return out;
}

std::optional<std::uint16_t> Media::rtcp_port() const {
  const auto text = attribute("rtcp");
  if (!text) return std::nullopt;
  const auto v = parse_decimal(text->substr(0, text->find(' ')), 65535);
  if (!v) return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}

const Connection* SessionDescription::connection_for(const Media& m) const {
  if (m.connection) return &*m.connection;
  return connection ? &*connection : nullptr;
}

Direction SessionDescription::direction_for(const Media& m) const {
  if (const auto d = m.direction()) return *d;
  return direction_of(attributes).value_or(Direction::kSendRecv);
}

}  // namespace trunkgate::sip::sdp
