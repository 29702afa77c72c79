#include "sip/sdp/session_description.h"

namespace trunkgate::sip::sdp {

namespace {

void line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out.append(value);
  out += "\r\n";
}

void connection_line(std::string& out, const Connection& c) {
  out.append("c=").append(c.net_type).append(" ").append(c.addr_type).append(" ");
  out.append(c.address).append("\r\n");
}

void attribute_lines(std::string& out, const std::vector<Attribute>& attributes) {
  for (const Attribute& a : attributes) {
    out.append("a=").append(a.name);
    if (a.has_value) out.append(":").append(a.value);
    out += "\r\n";
  }
}

// Verbatim lines whose type is (or is not, with `matching` false) one of `types`.
void verbatim_lines(std::string& out, const std::vector<std::string_view>& lines,
                    std::string_view types, bool matching) {
  for (std::string_view l : lines) {
    if ((types.find(l.front()) != std::string_view::npos) == matching) out.append(l).append("\r\n");
  }
}

void media_section(std::string& out, const Media& m) {
  out.append("m=").append(m.media).append(" ").append(std::to_string(m.port));
  if (!m.port_count.empty()) out.append("/").append(m.port_count);
  out.append(" ").append(m.protocol);
  for (std::string_view f : m.formats) out.append(" ").append(f);
  out += "\r\n";
  verbatim_lines(out, m.other_lines, "i", true);
  if (m.connection) connection_line(out, *m.connection);
  for (std::string_view b : m.bandwidths) line(out, 'b', b);
  verbatim_lines(out, m.other_lines, "i", false);
  attribute_lines(out, m.attributes);
}

}  // namespace

std::string serialize_sdp(const SessionDescription& sdp) {
  std::string out;
  out.reserve(512);
  line(out, 'v', sdp.version);
  const Origin& o = sdp.origin;
  out.append("o=").append(o.username).append(" ").append(o.session_id).append(" ");
  out.append(o.session_version).append(" ").append(o.net_type).append(" ");
  out.append(o.addr_type).append(" ").append(o.address).append("\r\n");
  line(out, 's', sdp.session_name);
  verbatim_lines(out, sdp.other_lines, "iuep", true);  // RFC 8866 order: i u e p before c
  if (sdp.connection) connection_line(out, *sdp.connection);
  for (std::string_view b : sdp.bandwidths) line(out, 'b', b);
  for (std::string_view t : sdp.times) line(out, 't', t);
  verbatim_lines(out, sdp.other_lines, "iuep", false);  // r z k and unknown types after t
  attribute_lines(out, sdp.attributes);
  for (const Media& m : sdp.media) media_section(out, m);
  return out;
}

}  // namespace trunkgate::sip::sdp
