// SDP (RFC 4566 / RFC 8866) session description: a model the B2BUA rewrites and serializes.
// Every field is a view into the parsed text (valid while that text lives); lines the model does
// not interpret are kept in order (session `other_lines`, media `attributes` for unknown a= lines),
// so serialize() reproduces what it does not understand. Tolerant of the malformed attributes real
// peers send (DIGEST-001 section 7, DIGEST-002 section 5): unknown or misspelt attributes are
// simply unknown attributes; only the structure (v= first, field syntax of o= c= m=) is checked.
// To rewrite a description (the B2BUA's addresses, ports, o= version), assign the fields views of
// strings that outlive the serialize_sdp() call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/message/result.h"

namespace trunkgate::sip::sdp {

struct Origin {
  std::string_view username;
  std::string_view session_id;
  std::string_view session_version;  // kept as text: 64-bit values occur
  std::string_view net_type;         // "IN"
  std::string_view addr_type;        // "IP4" / "IP6"
  std::string_view address;
};

struct Connection {
  std::string_view net_type;
  std::string_view addr_type;
  std::string_view address;  // may carry /ttl/count for multicast, kept as written
};

struct Attribute {
  std::string_view name;   // "rtpmap", "sendrecv", "x-bypassid" ...
  std::string_view value;  // after ':'; empty for property attributes
  bool has_value = false;
};

enum class Direction : std::uint8_t { kSendRecv, kSendOnly, kRecvOnly, kInactive };

struct RtpMap {
  int payload_type = -1;
  std::string_view encoding;  // "PCMU", "telephone-event"
  std::uint32_t clock_rate = 0;
  std::string_view channels;  // empty if absent
};

struct Crypto {  // RFC 4568 a=crypto:<tag> <suite> <key-params> [session-params]
  std::uint32_t tag = 0;
  std::string_view suite;
  std::string_view key_params;      // "inline:...|2^31|1:1"
  std::string_view session_params;  // rest of the line, may be empty
};

struct Media {
  std::string_view media;  // "audio", "video", "image"
  std::uint16_t port = 0;
  std::string_view port_count;  // "/2" part without the slash, empty if absent
  std::string_view protocol;    // "RTP/AVP", "RTP/SAVP", "udptl"
  std::vector<std::string_view> formats;
  std::optional<Connection> connection;
  std::vector<std::string_view> bandwidths;   // "b=" values, as written
  std::vector<Attribute> attributes;          // in order, all a= lines of this media
  std::vector<std::string_view> other_lines;  // i= k= lines, kept verbatim ("k=base64:...")

  std::optional<std::string_view> attribute(std::string_view name) const;  // first, by name
  std::vector<RtpMap> rtpmaps() const;  // well-formed rtpmap lines only
  std::optional<std::string_view> fmtp(int payload_type) const;
  std::optional<std::uint32_t> ptime() const;
  std::optional<Direction> direction() const;      // nullopt: none given (session level applies)
  std::vector<Crypto> cryptos() const;             // well-formed crypto lines only
  std::optional<std::uint16_t> rtcp_port() const;  // a=rtcp:<port>
  bool rtcp_mux() const { return attribute("rtcp-mux").has_value(); }
};

struct SessionDescription {
  std::string_view version;  // "0"
  Origin origin;
  std::string_view session_name;
  std::optional<Connection> connection;  // session level
  std::vector<std::string_view> bandwidths;
  std::vector<std::string_view> times;        // t= values
  std::vector<Attribute> attributes;          // session-level a=
  std::vector<std::string_view> other_lines;  // i= u= e= p= z= k= r= lines, verbatim with "x="
  std::vector<Media> media;

  // Connection for a media section: its own c= or the session c= (RFC 8866 5.7).
  const Connection* connection_for(const Media& m) const;
  Direction direction_for(const Media& m) const;  // media, then session, default sendrecv
};

// Accepts CRLF or bare LF line ends (RFC 8866 5 allows parsers to accept LF).
Result<SessionDescription> parse_sdp(std::string_view text,
                                     const ParseLimits& limits = kDefaultLimits);

// Canonical text with CRLF line ends, in RFC 8866 order: v o s (other session lines) c b t a, then
// each m= with its c b, other lines, a lines.
std::string serialize_sdp(const SessionDescription& sdp);

}  // namespace trunkgate::sip::sdp
