// trunkgate-sipcheck FILE...: parses each file as one SIP message plus its SDP or multipart body
// and prints one canonical summary line per file, or the precise reason it was rejected. Exits 1 if
// any file was rejected, 2 on a usage or I/O error.
//
// Line ends: a file that contains no CR byte at all is taken as transcribed text (spec examples,
// messages copied from logs) and every LF is turned into CRLF before parsing, body included, so its
// Content-Length must count the CRLF form. A file with any CR is parsed byte for byte, exactly as
// it would arrive on the wire.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sip/message/message.h"
#include "sip/sdp/message_sdp.h"

namespace {

using trunkgate::sip::HeaderId;
using trunkgate::sip::ParseFailure;
using trunkgate::sip::SipMessage;

std::string with_crlf_if_lf_only(std::string text) {
  if (text.find('\r') != std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string start_line(const SipMessage& msg) {
  if (msg.is_request())
    return std::string(msg.method_text()) + " " + std::string(msg.request_uri_text());
  return std::to_string(msg.status_code()) + " " + std::string(msg.reason_phrase());
}

std::string body_summary(const SipMessage& msg, std::size_t sdp_count) {
  if (msg.body().empty()) return "none";
  const auto type = msg.content_type();
  std::string out = type ? std::string(type->type) + "/" + std::string(type->subtype) : "unknown";
  out +=
      " (" + std::to_string(msg.body().size()) + " bytes, " + std::to_string(sdp_count) + " sdp)";
  return out;
}

// Returns true if the file parsed; prints its line either way.
bool check_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cout << path << ": REJECTED cannot read file\n";
    return false;
  }
  std::stringstream content;
  content << in.rdbuf();
  const auto msg = SipMessage::parse(with_crlf_if_lf_only(content.str()));
  if (!msg) {
    std::cout << path << ": REJECTED " << to_string(msg.failure()) << "\n";
    return false;
  }
  const auto sdps = trunkgate::sip::sdp::sdp_parts(*msg);
  if (!sdps) {
    std::cout << path << ": REJECTED body: " << to_string(sdps.failure()) << "\n";
    return false;
  }
  const auto cseq = msg->cseq();
  std::cout << path << ": OK " << start_line(*msg) << " | Call-ID " << msg->call_id() << " | CSeq "
            << cseq->number << " " << cseq->method << " | " << msg->header_count()
            << " headers | body " << body_summary(*msg, sdps->size()) << "\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: trunkgate-sipcheck FILE...\n";
    return 2;
  }
  bool all_ok = true;
  for (int i = 1; i < argc; ++i) all_ok = check_file(argv[i]) && all_ok;
  return all_ok ? 0 : 1;
}
