#include "controlplane/identity/identity_text.h"

#include "sip/message/text.h"

namespace trunkgate::cp {
namespace {

bool is_utf8_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

std::size_t utf8_sequence_length(unsigned char lead) {
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

// Drops a multi-byte character that the byte bound cut in two.
void drop_cut_character(std::string& s) {
  std::size_t lead = s.size();
  while (lead > 0 && s.size() - lead < 4 && is_utf8_continuation(s[lead - 1])) --lead;
  if (lead == 0) return;
  --lead;
  if (utf8_sequence_length(s[lead]) > s.size() - lead) s.erase(lead);
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool is_user_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
         c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' ||
         c == '(' || c == ')';
}

}  // namespace

std::string clean_display_name(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) continue;  // a CR or LF would end the header line
    if (out.size() == kMaxDisplayNameBytes) break;
    out.push_back(c);
  }
  drop_cut_character(out);
  return std::string(trim_spaces(out));
}

std::string quoted_display_name(std::string_view text) {
  const std::string clean = clean_display_name(text);
  std::string out = "\"";
  for (char c : clean) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string escape_uri_user(std::string_view user) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : user) {
    if (is_user_char(c)) {
      out.push_back(c);
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 0x0F]);
  }
  return out;
}

std::optional<std::string> uri_number(const sip::Uri& uri) {
  if (uri.scheme == sip::UriScheme::kTel) return std::string(uri.user);
  if (!uri.is_sip()) return std::nullopt;
  const std::string_view user = sip::trim_lws(uri.user_number());  // CUCM: "sip: 9728135001@"
  if (user.empty()) return std::nullopt;
  auto unescaped = sip::unescape(user);
  if (!unescaped || unescaped->empty()) return std::nullopt;
  return unescaped;
}

std::string normalized_or_raw(std::string_view user, const DialPlan& plan) {
  const NumberResult n = normalize(user, plan);
  if (n.number) return n.number->e164();
  if (user.size() > kMaxRawNumberBytes) return {};
  return std::string(user);
}

std::string number_for_peer(std::string_view stored, const DialPlan& plan) {
  if (!stored.empty() && stored.front() == '+') {
    const NumberResult n = normalize(stored, plan);
    if (n.number) return format(*n.number, plan);
  }
  return std::string(stored);
}

std::string phone_uri(std::string_view user, std::string_view host) {
  std::string uri = "sip:" + escape_uri_user(user) + "@" + std::string(host);
  if (!user.empty() && user.front() == '+') uri += ";user=phone";
  return uri;
}

std::string name_addr_text(std::string_view display, std::string_view uri) {
  std::string out;
  if (!clean_display_name(display).empty()) out = quoted_display_name(display) + " ";
  out += "<" + std::string(uri) + ">";
  return out;
}

}  // namespace trunkgate::cp
