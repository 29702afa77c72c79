// Shared pieces of the identity tests: the three trunk styles of the specs, INVITEs written as in
// the specs (LF line ends turned into CRLF), and the outbound INVITE a B2BUA would build from an
// OutboundIdentity, serialized and parsed back with the real SIP parser.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "controlplane/identity/identity_mapping.h"
#include "sip/message/message.h"

namespace trunkgate::cp::test {

inline Trunk trunk_with(std::string name, IdentityStyle style, DialPlan::Format format) {
  Trunk t;
  t.name = std::move(name);
  t.identity = style;
  t.dial_plan.format = format;
  return t;
}

// Spec 000: RPID, E.164 only ("with or without a pre-pended '+'"; its examples send none).
inline Trunk eight_by_eight() {
  return trunk_with("8x8", IdentityStyle::kRemotePartyId, DialPlan::Format::kE164);
}

// Spec 001: RPID and Diversion; the PBX dials and presents 10-digit national numbers.
inline Trunk cucm() {
  return trunk_with("cucm", IdentityStyle::kRemotePartyId, DialPlan::Format::kNational);
}

// Spec 004: PAI + Privacy, History-Info, sip:+E164@host;user=phone.
inline Trunk sipconnect() {
  return trunk_with("sipconnect", IdentityStyle::kPAssertedIdentity, DialPlan::Format::kE164Plus);
}

inline std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

inline sip::Result<sip::SipMessage> parse_text(std::string_view text) {
  return sip::SipMessage::parse(crlf(text));
}

// An INVITE with the given identity headers (one "Name: value" per line) after a fixed head.
inline std::string invite_text(std::string_view request_uri, std::string_view from,
                               std::string_view extra_headers = {}) {
  return "INVITE " + std::string(request_uri) +
         " SIP/2.0\n"
         "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-test\n"
         "From: " +
         std::string(from) +
         "\n"
         "To: <sip:placeholder@192.0.2.1>\n"
         "Call-ID: identity-test@192.0.2.10\n"
         "CSeq: 1 INVITE\n"
         "Max-Forwards: 70\n" +
         std::string(extra_headers) + "Content-Length: 0\n\n";
}

// read_identity() on an INVITE written as in the specs.
inline IdentityResult read_text(const std::string& text, const Trunk& trunk) {
  auto invite = parse_text(text);
  EXPECT_TRUE(invite.ok()) << text;
  if (!invite) return {};
  return read_identity(*invite, trunk);
}

// The same, for INVITEs that must be accepted.
inline CallIdentity read_ok(const std::string& text, const Trunk& trunk) {
  IdentityResult r = read_text(text, trunk);
  EXPECT_EQ(r.error, IdentityError::kNone) << r.detail;
  return r.identity.value_or(CallIdentity{});
}

// The INVITE toward the other trunk as it goes on the wire, parsed back.
inline sip::Result<sip::SipMessage> outbound_invite(const OutboundIdentity& out) {
  sip::SipMessage m = sip::SipMessage::make_request("INVITE", out.request_uri);
  m.add_header(sip::HeaderId::kVia, "SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-out");
  m.add_header(sip::HeaderId::kFrom, out.from);
  m.add_header(sip::HeaderId::kTo, out.to);
  m.add_header(sip::HeaderId::kCallId, "outbound@198.51.100.1");
  m.add_header(sip::HeaderId::kCSeq, "1 INVITE");
  m.add_header(sip::HeaderId::kMaxForwards, "70");
  for (const auto& [name, value] : out.headers) m.add_header(name, value);
  return sip::SipMessage::parse(m.serialize());
}

// "number/reason " per redirection, for one readable comparison.
inline std::string describe(const std::vector<Redirection>& redirections) {
  std::string out;
  for (const Redirection& r : redirections) out += r.number + "/" + r.reason + " ";
  return out;
}

}  // namespace trunkgate::cp::test
