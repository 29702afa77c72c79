// SIP messages for the transaction tests.
#pragma once

#include <string>

namespace trunkgate::sip::testing {

inline std::string RequestText(const std::string& method, const std::string& branch,
                               const std::string& via_extra = "", int cseq = 1) {
  return method +
         " sip:bob@192.0.2.10 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 198.51.100.7:5070" +
         (branch.empty() ? "" : ";branch=" + branch) + via_extra +
         "\r\n"
         "Max-Forwards: 70\r\nFrom: <sip:alice@198.51.100.7>;tag=fa\r\n"
         "To: <sip:bob@192.0.2.10>\r\nCall-ID: call-1@198.51.100.7\r\n"
         "CSeq: " +
         std::to_string(cseq) + " " + method + "\r\nContent-Length: 0\r\n\r\n";
}

inline std::string ResponseText(int code, const std::string& branch, const std::string& method,
                                const std::string& to_tag = "tb") {
  return "SIP/2.0 " + std::to_string(code) +
         " Reason\r\n"
         "Via: SIP/2.0/UDP 198.51.100.7:5070;branch=" +
         branch +
         "\r\n"
         "From: <sip:alice@198.51.100.7>;tag=fa\r\nTo: <sip:bob@192.0.2.10>;tag=" +
         to_tag +
         "\r\n"
         "Call-ID: call-1@198.51.100.7\r\nCSeq: 1 " +
         method + "\r\nContent-Length: 0\r\n\r\n";
}

}  // namespace trunkgate::sip::testing
