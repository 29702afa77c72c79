#include "controlplane/metrics/call_counters.h"

namespace trunkgate::cp {

TrunkCallCounters& CallCounters::at(ByTrunk& map, std::string_view trunk) {
  auto it = map.find(trunk);
  if (it == map.end()) it = map.emplace(std::string(trunk), TrunkCallCounters{}).first;
  return it->second;
}

void CallCounters::inbound_result(std::string_view trunk, int status) {
  ++at(inbound_, trunk).results[{status, std::string(standard_reason_phrase(status))}];
}

void CallCounters::outbound_response(std::string_view trunk, int status) {
  ++at(outbound_, trunk).results[{status, std::string(standard_reason_phrase(status))}];
}

void CallCounters::outbound_failure(std::string_view trunk, std::string_view failure) {
  ++at(outbound_, trunk).results[{0, std::string(failure)}];
}

std::string_view standard_reason_phrase(int status) {
  static constexpr std::pair<int, std::string_view> kPhrases[] = {
      {100, "Trying"},
      {180, "Ringing"},
      {181, "Call Is Being Forwarded"},
      {182, "Queued"},
      {183, "Session Progress"},
      {199, "Early Dialog Terminated"},
      {200, "OK"},
      {202, "Accepted"},
      {204, "No Notification"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Moved Temporarily"},
      {305, "Use Proxy"},
      {380, "Alternative Service"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"},
      {408, "Request Timeout"},
      {410, "Gone"},
      {412, "Conditional Request Failed"},
      {413, "Request Entity Too Large"},
      {414, "Request-URI Too Long"},
      {415, "Unsupported Media Type"},
      {416, "Unsupported URI Scheme"},
      {417, "Unknown Resource-Priority"},
      {420, "Bad Extension"},
      {421, "Extension Required"},
      {422, "Session Interval Too Small"},
      {423, "Interval Too Brief"},
      {428, "Use Identity Header"},
      {429, "Provide Referrer Identity"},
      {433, "Anonymity Disallowed"},
      {436, "Bad Identity Info"},
      {437, "Unsupported Credential"},
      {438, "Invalid Identity Header"},
      {439, "First Hop Lacks Outbound Support"},
      {440, "Max-Breadth Exceeded"},
      {469, "Bad Info Package"},
      {470, "Consent Needed"},
      {480, "Temporarily Unavailable"},
      {481, "Call/Transaction Does Not Exist"},
      {482, "Loop Detected"},
      {483, "Too Many Hops"},
      {484, "Address Incomplete"},
      {485, "Ambiguous"},
      {486, "Busy Here"},
      {487, "Request Terminated"},
      {488, "Not Acceptable Here"},
      {489, "Bad Event"},
      {491, "Request Pending"},
      {493, "Undecipherable"},
      {494, "Security Agreement Required"},
      {500, "Server Internal Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Server Time-out"},
      {505, "Version Not Supported"},
      {513, "Message Too Large"},
      {555, "Push Notification Service Not Supported"},
      {580, "Precondition Failure"},
      {600, "Busy Everywhere"},
      {603, "Decline"},
      {604, "Does Not Exist Anywhere"},
      {606, "Not Acceptable"},
  };
  for (const auto& [code, phrase] : kPhrases)
    if (code == status) return phrase;
  switch (status / 100) {
    case 0:
      return "none";
    case 1:
      return "Unknown 1xx";
    case 2:
      return "Unknown 2xx";
    case 3:
      return "Unknown 3xx";
    case 4:
      return "Unknown 4xx";
    case 5:
      return "Unknown 5xx";
    case 6:
      return "Unknown 6xx";
    default:
      return "Unknown";
  }
}

}  // namespace trunkgate::cp
