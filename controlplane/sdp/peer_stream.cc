// read_stream: the first audio stream of a peer's SDP, with every field checked before the B2BUA
// or the data plane relies on it (the SDP body is network input).
#include <string>

#include "controlplane/sdp/media_negotiation.h"
#include "controlplane/sdp/payload_formats.h"
#include "controlplane/sdp/sdes.h"
#include "dataplane/channel/client.h"
#include "sip/message/text.h"
#include "sip/sdp/session_description.h"

namespace trunkgate::cp {
namespace {

namespace sdp = sip::sdp;

// Bounds on what one audio line may carry; Microsoft's client offers 15 formats (spec 002,
// DIGEST-002 section 2), so these leave ample room for real peers.
constexpr std::size_t kMaxFormats = 64;
constexpr std::size_t kMaxKeys = 16;

MediaDirection to_direction(sdp::Direction d) {
  switch (d) {
    case sdp::Direction::kSendOnly:
      return MediaDirection::kSendOnly;
    case sdp::Direction::kRecvOnly:
      return MediaDirection::kRecvOnly;
    case sdp::Direction::kInactive:
      return MediaDirection::kInactive;
    case sdp::Direction::kSendRecv:
      break;
  }
  return MediaDirection::kSendRecv;
}

bool fail(std::string& error, std::string text) {
  error = "SDP: " + std::move(text);
  return false;
}

// A unicast IP literal of the family c= names. The data plane sends to addresses only, and a
// multicast c= (with /ttl) is no trunk's media.
bool read_address(const sdp::Connection& c, PeerStream& out, std::string& error) {
  channel::IpAddr ip;
  if (!channel::parse_address(std::string(c.address), ip))
    return fail(error,
                "c= address '" + std::string(c.address.substr(0, 64)) + "' is not an IP address");
  const bool v4 = ip.family == channel::Family::kIPv4;
  if (c.addr_type != (v4 ? "IP4" : "IP6"))
    return fail(error, "c= address type '" + std::string(c.addr_type.substr(0, 8)) +
                           "' does not match the address");
  if (v4 ? (ip.bytes[0] & 0xf0) == 0xe0 : ip.bytes[0] == 0xff)
    return fail(error, "c= address is multicast");
  out.address = std::string(c.address);
  return true;
}

bool read_transport(std::string_view protocol, PeerStream& out, std::string& error) {
  // Not the feedback profiles (AVPF, SAVPF): an answer must keep the offer's profile (RFC 3264
  // section 6) and the gateway does not take part in RTCP feedback.
  if (protocol == "RTP/AVP") {
    out.secure = false;
  } else if (protocol == "RTP/SAVP") {
    out.secure = true;
  } else {
    return fail(error, "m=audio transport '" + std::string(protocol.substr(0, 32)) +
                           "' is neither RTP/AVP nor RTP/SAVP");
  }
  return true;
}

// The peer's format for payload type `pt`: its rtpmap, else the static assignment; nullopt for a
// dynamic type without rtpmap (nothing says what it is).
std::optional<PayloadFormat> format_for(const sdp::Media& m, const std::vector<sdp::RtpMap>& maps,
                                        int pt) {
  std::optional<PayloadFormat> format;
  for (const sdp::RtpMap& map : maps) {
    if (map.payload_type == pt) {
      format = PayloadFormat{pt, std::string(map.encoding), map.clock_rate, {}};
      break;
    }
  }
  if (!format) format = static_format(pt);
  if (format) format->fmtp = std::string(m.fmtp(pt).value_or(""));
  return format;
}

bool read_formats(const sdp::Media& m, PeerStream& out, std::string& error) {
  if (m.formats.size() > kMaxFormats) return fail(error, "m=audio lists too many formats");
  const std::vector<sdp::RtpMap> maps = m.rtpmaps();
  for (std::string_view text : m.formats) {
    const auto pt = sip::parse_decimal(text, 127);
    if (!pt)
      return fail(error, "m=audio format '" + std::string(text.substr(0, 16)) +
                             "' is not a payload type (0-127)");
    const std::optional<PayloadFormat> format = format_for(m, maps, static_cast<int>(*pt));
    if (!format) continue;
    // The first at 8000 Hz of each (one number per kind is all the data plane takes); CN at
    // another rate goes with a wideband codec the gateway does not run.
    if (is_telephone_event(*format) || is_comfort_noise(*format)) {
      int& kind_pt = is_telephone_event(*format) ? out.telephone_event_pt : out.cn_pt;
      if (kind_pt < 0 && format->clock_rate == 8000) kind_pt = format->pt;
      continue;
    }
    out.codecs.push_back(*format);
  }
  return true;
}

// Crypto attributes the data plane can run; others (unknown suites, session parameters) are
// skipped as RFC 4568 section 7.1.1 asks of an answerer.
void read_keys(const sdp::Media& m, PeerStream& out) {
  for (const sdp::Attribute& a : m.attributes) {
    if (a.name != "crypto" || out.keys.size() == kMaxKeys) continue;
    std::string ignored;
    if (std::optional<SdesKey> key = parse_crypto(a.value, ignored)) out.keys.push_back(*key);
  }
}

bool read_ports(const sdp::Media& m, PeerStream& out, std::string& error) {
  out.port = m.port;
  if (m.port == 0) return true;
  if (m.port == 65535) return fail(error, "m=audio port 65535 leaves no RTCP port");
  out.rtcp_port = m.rtcp_port().value_or(static_cast<uint16_t>(m.port + 1));
  if (out.rtcp_port == 0) return fail(error, "a=rtcp port 0");
  return true;
}

std::string refused_line(const sdp::Media& m) {
  const std::string_view format = m.formats.empty() ? std::string_view("0") : m.formats.front();
  return std::string(m.media) + " 0 " + std::string(m.protocol) + " " + std::string(format);
}

bool read_audio(const sdp::SessionDescription& d, const sdp::Media& m, PeerStream& out,
                std::string& error) {
  if (!read_transport(m.protocol, out, error) || !read_ports(m, out, error)) return false;
  const sdp::Connection* c = d.connection_for(m);
  if (c == nullptr && m.port != 0) return fail(error, "no c= line for the audio stream");
  if (c != nullptr && !read_address(*c, out, error)) return false;
  if (!read_formats(m, out, error)) return false;
  read_keys(m, out);
  const std::optional<uint32_t> ptime = m.ptime();
  out.ptime_ms = ptime.value_or(0);
  out.direction = to_direction(d.direction_for(m));
  return true;
}

}  // namespace

std::optional<PeerStream> read_stream(std::string_view sdp_body, std::string& error) {
  const sip::Result<sdp::SessionDescription> parsed = sdp::parse_sdp(sdp_body);
  if (!parsed) {
    fail(error, sip::to_string(parsed.failure()));
    return std::nullopt;
  }
  const sdp::SessionDescription& d = *parsed;
  PeerStream out;
  out.media_count = static_cast<unsigned>(d.media.size());
  out.origin_version = std::string(d.origin.session_version);
  bool found = false;
  for (std::size_t i = 0; i < d.media.size(); ++i) {
    const sdp::Media& m = d.media[i];
    if (found || m.media != "audio") {
      out.refused_media.push_back(refused_line(m));
      continue;
    }
    found = true;
    out.audio_index = static_cast<unsigned>(i);
    if (!read_audio(d, m, out, error)) return std::nullopt;
  }
  if (!found) {
    fail(error, "no m=audio stream");
    return std::nullopt;
  }
  return out;
}

}  // namespace trunkgate::cp
