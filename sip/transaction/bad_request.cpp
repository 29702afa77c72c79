#include "sip/transaction/bad_request.h"

#include <array>
#include <random>
#include <vector>

#include "sip/message/header_id.h"
#include "sip/message/text.h"

namespace trunkgate::sip {
namespace {

constexpr std::size_t kMaxScan = 8192;       // the headers a 400 needs come early
constexpr std::size_t kMaxLineLength = 1024;  // per copied header line
constexpr std::size_t kMaxVias = 16;

// A header line we copy may hold printable ASCII, UTF-8 and tabs only: no CR, LF or other
// control bytes that could split the response.
bool safe_to_copy(std::string_view line) {
  if (line.size() > kMaxLineLength) return false;
  for (unsigned char c : line)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  return true;
}

// Logical header lines (folding joined with a space), up to the blank line or the scan bound.
std::vector<std::string> header_lines(std::string_view bytes, std::string_view& start_line) {
  bytes = bytes.substr(0, kMaxScan);
  std::vector<std::string> lines;
  std::size_t pos = 0;
  bool first = true;
  while (pos < bytes.size()) {
    std::size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) break;
    std::string_view line = bytes.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    if (line.empty()) break;
    if (first) {
      start_line = line;
      first = false;
    } else if ((line[0] == ' ' || line[0] == '\t') && !lines.empty()) {
      lines.back() += ' ';
      lines.back() += trim_lws(line);
    } else {
      lines.emplace_back(line);
    }
  }
  return lines;
}

bool is_request_line(std::string_view line, bool& is_ack) {
  const std::size_t sp1 = line.find(' ');
  if (sp1 == 0 || sp1 == std::string_view::npos) return false;
  is_ack = line.substr(0, sp1) == "ACK";
  return is_token(line.substr(0, sp1)) && line.size() > 8 &&
         line.substr(line.size() - 8) == " SIP/2.0";
}

std::string random_tag() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag;
  for (uint64_t v = rng(), i = 0; i < 16; ++i, v >>= 4) tag += kHex[v & 15];
  return tag;
}

}  // namespace

std::optional<std::string> MakeBadRequestResponse(std::string_view bytes,
                                                  const ParseFailure& failure,
                                                  std::string_view agent_host) {
  std::string_view start_line;
  const std::vector<std::string> lines = header_lines(bytes, start_line);
  bool is_ack = false;
  if (!is_request_line(start_line, is_ack) || is_ack) return std::nullopt;

  std::vector<std::string> vias;
  std::array<std::string, 4> single;  // From, To, Call-ID, CSeq
  for (const std::string& line : lines) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const HeaderId id = header_id(trim_lws(std::string_view(line).substr(0, colon)));
    const std::string_view value = trim_lws(std::string_view(line).substr(colon + 1));
    if (!safe_to_copy(value)) continue;
    const std::string copied = std::string(canonical_name(id)) + ": " + std::string(value);
    switch (id) {
      case HeaderId::kVia:
        if (vias.size() < kMaxVias) vias.push_back(copied);
        break;
      case HeaderId::kFrom: single[0] = copied; break;
      case HeaderId::kTo: single[1] = copied; break;
      case HeaderId::kCallId: single[2] = copied; break;
      case HeaderId::kCSeq: single[3] = copied; break;
      default: break;
    }
  }
  if (vias.empty()) return std::nullopt;
  for (const std::string& s : single)
    if (s.empty()) return std::nullopt;
  // RFC 3261 8.2.6.2: the response's To carries a tag the request's did not.
  if (single[1].find(";tag=") == std::string::npos) single[1] += ";tag=" + random_tag();

  std::string out = "SIP/2.0 400 " + bad_request_reason_phrase(failure) + "\r\n";
  for (const std::string& v : vias) out += v + "\r\n";
  for (const std::string& s : single) out += s + "\r\n";
  out += "Warning: " + bad_request_warning(failure, agent_host) + "\r\n";
  out += "Content-Length: 0\r\n\r\n";
  return out;
}

}  // namespace trunkgate::sip
