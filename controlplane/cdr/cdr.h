// Call detail records: one JSON object per line per call attempt. Written when the attempt ends,
// straight to the kernel (one write() per record, so a crash of the process loses nothing that
// ended before it), fsync'ed on close; a record that cannot be written (disk full) is kept in a
// bounded queue and retried, and only what overflows that queue is dropped, and counted.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

namespace trunkgate::cp {

struct CdrLeg {
  std::string trunk;
  std::string call_id;
  std::string codec;
  std::string disconnect_cause;  // e.g. "BYE", "CANCEL", "486 Busy Here", "media timeout"
  uint64_t packets_received = 0;
  uint64_t packets_sent = 0;
  uint64_t packets_dropped = 0;
};

struct CdrRecord {
  std::string id;  // the gateway's call id
  std::string calling;
  std::string called;
  int64_t setup_ms = 0;   // Unix time in milliseconds
  int64_t answer_ms = 0;  // 0: never answered
  int64_t end_ms = 0;
  int final_status = 0;   // the SIP status of the attempt (200 for answered calls)
  std::string ended_by;   // "inbound", "outbound", "gateway"
  CdrLeg inbound;
  CdrLeg outbound;
};

std::string to_json(const CdrRecord& r);

class CdrWriter {
 public:
  static constexpr size_t kMaxPending = 100000;

  explicit CdrWriter(const std::string& path);
  ~CdrWriter();  // writes what it can of the pending queue, then fsync
  CdrWriter(const CdrWriter&) = delete;
  CdrWriter& operator=(const CdrWriter&) = delete;

  bool ok() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }
  void write(const CdrRecord& r);
  // Retries pending records; returns how many are still pending.
  size_t flush();

  uint64_t written() const { return written_; }
  uint64_t dropped() const { return dropped_; }
  size_t pending() const { return pending_.size(); }

 private:
  bool write_line(const std::string& line);

  int fd_ = -1;
  std::string error_;
  std::deque<std::string> pending_;
  uint64_t written_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace trunkgate::cp
