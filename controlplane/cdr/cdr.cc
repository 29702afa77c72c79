#include "controlplane/cdr/cdr.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trunkgate::cp {
namespace {

void append_string(std::string& out, const std::string& s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void field(std::string& out, const char* name, const std::string& v) {
  out += '"';
  out += name;
  out += "\":";
  append_string(out, v);
  out += ',';
}

void field(std::string& out, const char* name, int64_t v) {
  out += '"';
  out += name;
  out += "\":";
  out += std::to_string(v);
  out += ',';
}

void leg(std::string& out, const char* name, const CdrLeg& l) {
  out += '"';
  out += name;
  out += "\":{";
  field(out, "trunk", l.trunk);
  field(out, "call_id", l.call_id);
  field(out, "codec", l.codec);
  field(out, "disconnect_cause", l.disconnect_cause);
  field(out, "packets_received", static_cast<int64_t>(l.packets_received));
  field(out, "packets_sent", static_cast<int64_t>(l.packets_sent));
  field(out, "packets_dropped", static_cast<int64_t>(l.packets_dropped));
  out.back() = '}';
  out += ',';
}

}  // namespace

std::string to_json(const CdrRecord& r) {
  std::string out = "{";
  field(out, "id", r.id);
  field(out, "calling", r.calling);
  field(out, "called", r.called);
  field(out, "setup_ms", r.setup_ms);
  field(out, "answer_ms", r.answer_ms);
  field(out, "end_ms", r.end_ms);
  field(out, "final_status", r.final_status);
  field(out, "ended_by", r.ended_by);
  leg(out, "inbound", r.inbound);
  leg(out, "outbound", r.outbound);
  out.back() = '}';
  return out;
}

CdrWriter::CdrWriter(const std::string& path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd_ < 0) error_ = "cannot open CDR file " + path + ": " + std::strerror(errno);
}

CdrWriter::~CdrWriter() {
  if (fd_ < 0) return;
  flush();
  ::fsync(fd_);
  ::close(fd_);
}

bool CdrWriter::write_line(const std::string& line) {
  if (fd_ < 0) return false;
  // One write() per record: the line reaches the file whole or (on error) not at all.
  const ssize_t n = ::write(fd_, line.data(), line.size());
  if (n == static_cast<ssize_t>(line.size())) {
    ++written_;
    return true;
  }
  if (n > 0) {  // a short write (rare, e.g. disk filling up): finish it to keep lines whole
    size_t done = static_cast<size_t>(n);
    while (done < line.size()) {
      const ssize_t m = ::write(fd_, line.data() + done, line.size() - done);
      if (m <= 0) break;
      done += static_cast<size_t>(m);
    }
    if (done == line.size()) {
      ++written_;
      return true;
    }
  }
  error_ = std::string("CDR write failed: ") + std::strerror(errno);
  return false;
}

void CdrWriter::write(const CdrRecord& r) {
  std::string line = to_json(r) + "\n";
  if (pending_.empty() && write_line(line)) return;
  if (pending_.size() >= kMaxPending) {
    ++dropped_;
    return;
  }
  pending_.push_back(std::move(line));
  flush();
}

size_t CdrWriter::flush() {
  while (!pending_.empty() && write_line(pending_.front())) pending_.pop_front();
  return pending_.size();
}

}  // namespace trunkgate::cp
