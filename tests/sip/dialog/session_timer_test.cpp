#include "sip/dialog/session_timer.h"

#include <gtest/gtest.h>

#include "tests/sip/transaction/manual_scheduler.h"

namespace trunkgate::sip {
namespace {

SipMessage Invite(const std::string& extra) {
  return SipMessage::parse(
             "INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
             "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\n"
             "CSeq: 1 INVITE\r\n" +
             extra + "Content-Length: 0\r\n\r\n")
      .value();
}

TEST(SessionTimer, UasRejectsAnIntervalBelowItsMinimumWith422) {
  const auto decision = DecideAsUas(Invite("Supported: timer\r\nSession-Expires: 60\r\n"),
                                    SessionTimerConfig{1800, 90});
  EXPECT_EQ(decision.reject_with_min_se, 90u);
  EXPECT_FALSE(decision.agreement);
}

TEST(SessionTimer, UasShortensButNeverBelowEitherMinimum) {
  const auto decision = DecideAsUas(
      Invite("Supported: timer\r\nSession-Expires: 7200;refresher=uas\r\nMin-SE: 600\r\n"),
      SessionTimerConfig{300, 90});
  ASSERT_TRUE(decision.agreement);
  EXPECT_EQ(decision.agreement->interval, 600u);
  EXPECT_EQ(decision.agreement->refresher, Refresher::kUas);
  SipMessage ok = SipMessage::make_response(200, "OK");
  ApplyToResponse(decision, ok);
  EXPECT_EQ(ok.find(HeaderId::kSessionExpires), "600;refresher=uas");
  EXPECT_TRUE(ok.has_option_tag(HeaderId::kRequire, "timer"));
}

TEST(SessionTimer, UasRefreshesItselfWhenTheUacDoesNotSupportTimers) {
  const auto decision = DecideAsUas(Invite(""), SessionTimerConfig{1800, 90});
  ASSERT_TRUE(decision.agreement);
  EXPECT_EQ(decision.agreement->refresher, Refresher::kUas);
  SipMessage ok = SipMessage::make_response(200, "OK");
  ApplyToResponse(decision, ok);
  EXPECT_EQ(ok.find(HeaderId::kSessionExpires), "1800;refresher=uas");
  EXPECT_FALSE(ok.has_option_tag(HeaderId::kRequire, "timer"));
}

TEST(SessionTimer, UacRetriesA422WithTheRaisedMinimum) {
  SipMessage invite = Invite("");
  ApplyToRequest(SessionTimerConfig{120, 90}, invite);
  EXPECT_EQ(invite.session_expires()->seconds, 120u);
  EXPECT_TRUE(invite.has_option_tag(HeaderId::kSupported, "timer"));
  SipMessage too_small = SipMessage::make_response(422, "Session Interval Too Small");
  too_small.add_header(HeaderId::kMinSE, "1000");
  const auto retry = RetryAfter422(SessionTimerConfig{120, 90}, too_small);
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->min_se, 1000u);
  EXPECT_EQ(retry->session_expires, 1000u);
  EXPECT_FALSE(RetryAfter422(SessionTimerConfig{}, SipMessage::make_response(422, "X")));
}

TEST(SessionTimer, UacReadsTheAgreementFromThe2xx) {
  SipMessage ok = SipMessage::make_response(200, "OK");
  EXPECT_FALSE(AgreementFromResponse(ok));
  ok.add_header(HeaderId::kSessionExpires, "1800");
  const auto agreement = AgreementFromResponse(ok);
  ASSERT_TRUE(agreement);
  EXPECT_EQ(agreement->interval, 1800u);
  EXPECT_EQ(agreement->refresher, Refresher::kUac);
}

TEST(SessionTimer, RefresherFiresAtHalfTheOtherSideExpiresBeforeTheEnd) {
  testing::ManualScheduler scheduler;
  int refreshes = 0, expiries = 0;
  SessionTimer timer(
      scheduler, [&] { ++refreshes; }, [&] { ++expiries; });
  timer.Start({1800, Refresher::kUac}, true);
  scheduler.Advance(std::chrono::seconds(899));
  EXPECT_EQ(refreshes, 0);
  scheduler.Advance(std::chrono::seconds(1));
  EXPECT_EQ(refreshes, 1);
  timer.Start({90, Refresher::kUac}, false);  // 90 - min(32, 30) = 60 s
  scheduler.Advance(std::chrono::seconds(59));
  EXPECT_EQ(expiries, 0);
  scheduler.Advance(std::chrono::seconds(1));
  EXPECT_EQ(expiries, 1);
}

}  // namespace
}  // namespace trunkgate::sip
