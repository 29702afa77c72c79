// What the B2BUA tells an observer (the management API's Watch) about calls as they happen.
#pragma once

#include <cstdint>
#include <string>

namespace trunkgate::cp {

struct CallEvent {
  enum class Kind { kSetup, kAnswer, kEnd, kDtmf };
  Kind kind = Kind::kSetup;
  uint64_t call = 0;
  std::string inbound_trunk;
  std::string calling;
  std::string called;  // E.164 or an emergency code
  std::string cause;   // kEnd: why the call ended
  // kDtmf: the digit ('0'-'9', '*', '#', 'A'-'D'), which leg's media carried it, whether it
  // started or ended, and (end only) its duration in RTP timestamp units.
  char digit = 0;
  std::string dtmf_leg;  // "inbound" or "outbound"
  bool dtmf_end = false;
  uint32_t dtmf_duration = 0;
};

inline const char* to_string(CallEvent::Kind kind) {
  switch (kind) {
    case CallEvent::Kind::kSetup:
      return "setup";
    case CallEvent::Kind::kAnswer:
      return "answer";
    case CallEvent::Kind::kEnd:
      return "end";
    case CallEvent::Kind::kDtmf:
      return "dtmf";
  }
  return "?";
}

}  // namespace trunkgate::cp
