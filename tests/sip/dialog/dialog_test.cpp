#include "sip/dialog/dialog.h"

#include <gtest/gtest.h>

namespace trunkgate::sip {
namespace {

SipMessage Parse(const std::string& text) {
  return SipMessage::parse(text).value();
}

const std::string kInvite =
    "INVITE sip:+15551234567@sp.example.com;user=phone SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n"
    "Max-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@pbx.example>;tag=ua1\r\n"
    "To: <sip:+15551234567@sp.example.com;user=phone>\r\nCall-ID: dlg-1\r\nCSeq: 10 INVITE\r\n"
    "Contact: <sip:alice@10.0.0.1:5060>\r\n"
    "Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\nContent-Length: 0\r\n\r\n";

std::string Response(int code, const std::string& extra, const std::string& cseq = "10 INVITE") {
  return "SIP/2.0 " + std::to_string(code) +
         " X\r\n"
         "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\n"
         "From: \"Alice\" <sip:alice@pbx.example>;tag=ua1\r\n"
         "To: <sip:+15551234567@sp.example.com;user=phone>;tag=uas7\r\nCall-ID: dlg-1\r\n"
         "CSeq: " +
         cseq + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
}

TEST(Dialog, UacEarlyDialogIsConfirmedByThe2xxWithTargetRefresh) {
  const auto dialog_or = Dialog::CreateAsUac(
      Parse(kInvite),
      Parse(Response(183,
                     "Contact: <sip:gw@192.0.2.1>\r\n"
                     "Record-Route: <sip:p2.example;lr>, <sip:p1.example;lr>\r\n")));
  ASSERT_TRUE(dialog_or);
  Dialog dialog = *dialog_or;
  EXPECT_EQ(dialog.state(), DialogState::kEarly);
  EXPECT_EQ(dialog.local_tag(), "ua1");
  EXPECT_EQ(dialog.remote_tag(), "uas7");
  EXPECT_EQ(dialog.remote_target(), "sip:gw@192.0.2.1");
  // The UAC reverses the Record-Route of the response.
  EXPECT_EQ(dialog.route_set(),
            (std::vector<std::string>{"<sip:p1.example;lr>", "<sip:p2.example;lr>"}));
  dialog.OnResponse(Parse(Response(200, "Contact: <sip:gw@192.0.2.2>\r\n")));
  EXPECT_EQ(dialog.state(), DialogState::kConfirmed);
  EXPECT_EQ(dialog.remote_target(), "sip:gw@192.0.2.2");
}

TEST(Dialog, RequiresATagAndARelevantStatus) {
  EXPECT_FALSE(Dialog::CreateAsUac(Parse(kInvite), Parse(Response(100, ""))));
  EXPECT_FALSE(Dialog::CreateAsUac(Parse(kInvite), Parse(Response(486, ""))));
  std::string no_tag = Response(180, "");
  no_tag.replace(no_tag.find(";tag=uas7"), 9, "");
  EXPECT_FALSE(Dialog::CreateAsUac(Parse(kInvite), Parse(no_tag)));
}

TEST(Dialog, InDialogRequestsUseRouteSetTagsAndIncreasingCSeq) {
  Dialog dialog = *Dialog::CreateAsUac(Parse(kInvite),
                                       Parse(Response(200,
                                                      "Contact: <sip:gw@192.0.2.1>\r\n"
                                                      "Record-Route: <sip:p2.example;lr>\r\n")));
  const SipMessage bye = dialog.MakeRequest("BYE");
  EXPECT_EQ(bye.request_uri_text(), "sip:gw@192.0.2.1");
  EXPECT_EQ(bye.find(HeaderId::kRoute), "<sip:p2.example;lr>");
  EXPECT_EQ(bye.from()->tag(), "ua1");
  EXPECT_EQ(bye.to()->tag(), "uas7");
  EXPECT_EQ(bye.call_id(), "dlg-1");
  EXPECT_EQ(bye.cseq()->number, 11u);
  EXPECT_EQ(dialog.MakeRequest("UPDATE").cseq()->number, 12u);
  const SipMessage ack = dialog.MakeAck(10);
  EXPECT_EQ(ack.cseq()->number, 10u);
  EXPECT_EQ(ack.cseq()->method, "ACK");
  EXPECT_EQ(dialog.local_cseq(), 12u);
}

TEST(Dialog, StrictRouterGetsTheRequestUriAndTheTargetGoesLast) {
  Dialog dialog = *Dialog::CreateAsUac(
      Parse(kInvite), Parse(Response(200,
                                     "Contact: <sip:gw@192.0.2.1>\r\n"
                                     "Record-Route: <sip:old-proxy.example>\r\n")));
  const SipMessage bye = dialog.MakeRequest("BYE");
  EXPECT_EQ(bye.request_uri_text(), "sip:old-proxy.example");
  EXPECT_EQ(bye.find(HeaderId::kRoute), "<sip:gw@192.0.2.1>");
}

TEST(Dialog, UasChecksCSeqOrderAndRefreshesTargetOnReinviteAndUpdate) {
  Dialog dialog = *Dialog::CreateAsUas(Parse(kInvite), "srv1", DialogState::kConfirmed);
  EXPECT_EQ(dialog.remote_target(), "sip:alice@10.0.0.1:5060");
  EXPECT_EQ(dialog.route_set(),
            (std::vector<std::string>{"<sip:p1.example;lr>", "<sip:p2.example;lr>"}));
  const SipMessage bye = dialog.MakeRequest("BYE");
  EXPECT_EQ(bye.from()->tag(), "srv1");
  EXPECT_EQ(bye.to()->tag(), "ua1");
  EXPECT_EQ(bye.request_uri_text(), "sip:alice@10.0.0.1:5060");

  std::string update = kInvite;
  update.replace(update.find("INVITE sip"), 6, "UPDATE");
  update.replace(update.find("10 INVITE"), 9, "11 UPDATE");
  update.replace(update.find("alice@10.0.0.1"), 14, "alice@10.0.0.9");
  EXPECT_TRUE(dialog.OnRemoteRequest(Parse(update)));
  EXPECT_EQ(dialog.remote_target(), "sip:alice@10.0.0.9:5060");
  EXPECT_FALSE(dialog.OnRemoteRequest(Parse(update)));   // CSeq 11 again: out of order
  EXPECT_FALSE(dialog.OnRemoteRequest(Parse(kInvite)));  // CSeq 10: lower
}

}  // namespace
}  // namespace trunkgate::sip
