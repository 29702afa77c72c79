// parse_sdp: line-oriented, one pass. Session lines go to the session until the first m=, then to
// the current media section.
#include "sip/message/text.h"
#include "sip/sdp/fields.h"
#include "sip/sdp/session_description.h"

namespace trunkgate::sip::sdp {

namespace {

Result<Origin> parse_origin(std::string_view v) {
  std::array<std::string_view, 6> f;
  if (split_fields(v, f) != 6) return fail(ParseError::kBadSdp, "o=");
  return Origin{f[0], f[1], f[2], f[3], f[4], f[5]};
}

Result<Connection> parse_connection(std::string_view v) {
  std::array<std::string_view, 3> f;
  if (split_fields(v, f) != 3 || f[2].empty()) return fail(ParseError::kBadSdp, "c=");
  return Connection{f[0], f[1], f[2]};
}

Attribute parse_attribute(std::string_view v) {
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos) return Attribute{v, {}, false};
  return Attribute{v.substr(0, colon), v.substr(colon + 1), true};
}

Result<Media> parse_media_line(std::string_view v) {
  std::array<std::string_view, 4> f;
  if (split_fields(v, f) < 3) return fail(ParseError::kBadSdp, "m=");
  Media m;
  m.media = f[0];
  const std::size_t slash = f[1].find('/');
  const auto port = parse_decimal(f[1].substr(0, slash), 65535);
  if (!port || m.media.empty()) return fail(ParseError::kBadSdp, "m=");
  m.port = static_cast<std::uint16_t>(*port);
  if (slash != std::string_view::npos) m.port_count = f[1].substr(slash + 1);
  m.protocol = f[2];
  std::string_view formats = f[3];
  while (!formats.empty()) {
    const std::size_t sp = formats.find(' ');
    if (sp != 0) m.formats.push_back(formats.substr(0, sp));
    if (sp == std::string_view::npos) break;
    formats.remove_prefix(sp + 1);
  }
  return m;
}

class SdpParser {
 public:
  explicit SdpParser(const ParseLimits& limits) : limits_(limits) {}

  Result<SessionDescription> run(std::string_view text) {
    std::size_t lines = 0;
    while (!text.empty()) {
      std::size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;  // blank lines (a trailing CRLF CRLF) carry nothing
      if (++lines > limits_.max_sdp_lines) return fail(ParseError::kTooManySdpLines);
      if (line.size() < 2 || line[1] != '=') return fail(ParseError::kBadSdp, line.substr(0, 16));
      if (lines == 1 && line[0] != 'v') return fail(ParseError::kBadSdp, "v= must come first");
      if (auto r = take(line[0], line.substr(2), line); !r) return r.failure();
    }
    if (lines == 0) return fail(ParseError::kBadSdp, "empty");
    return std::move(sdp_);
  }

 private:
  Result<bool> take(char type, std::string_view value, std::string_view line) {
    Media* media = sdp_.media.empty() ? nullptr : &sdp_.media.back();
    switch (type) {
      case 'v':
        sdp_.version = value;
        return true;
      case 'o':
        return assign(parse_origin(value), sdp_.origin);
      case 's':
        sdp_.session_name = value;
        return true;
      case 't':
        sdp_.times.push_back(value);
        return true;
      case 'c': {
        auto c = parse_connection(value);
        if (!c) return c.failure();
        (media ? media->connection : sdp_.connection) = *c;
        return true;
      }
      case 'b':
        (media ? media->bandwidths : sdp_.bandwidths).push_back(value);
        return true;
      case 'a':
        (media ? media->attributes : sdp_.attributes).push_back(parse_attribute(value));
        return true;
      case 'm': {
        if (sdp_.media.size() == limits_.max_sdp_media) return fail(ParseError::kTooManyMedia);
        auto m = parse_media_line(value);
        if (!m) return m.failure();
        sdp_.media.push_back(std::move(m).value());
        return true;
      }
      default:  // i u e p z k r and unknown types: kept verbatim in order
        (media ? media->other_lines : sdp_.other_lines).push_back(line);
        return true;
    }
  }

  template <class T>
  static Result<bool> assign(Result<T> r, T& out) {
    if (!r) return r.failure();
    out = *r;
    return true;
  }

  const ParseLimits& limits_;
  SessionDescription sdp_;
};

}  // namespace

Result<SessionDescription> parse_sdp(std::string_view text, const ParseLimits& limits) {
  return SdpParser(limits).run(text);
}

}  // namespace trunkgate::sip::sdp
