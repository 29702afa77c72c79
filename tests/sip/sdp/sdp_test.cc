// SDP model: parse, typed attribute views, tolerance of peer oddities, serialize round trip, and
// the SDP parts of multipart bodies.
#include <gtest/gtest.h>

#include "sip/message/message.h"
#include "sip/message/multipart.h"
#include "sip/sdp/message_sdp.h"
#include "sip/sdp/session_description.h"

namespace trunkgate::sip::sdp {
namespace {

constexpr std::string_view kOffer =
    "v=0\r\n"
    "o=CiscoSystemsCCM-SIP 2000 1 IN IP4 10.10.193.253\r\n"
    "s=SIP Call\r\n"
    "c=IN IP4 10.10.199.238\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/SAVP 0 18 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=ptime:20\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=fmtp:18 annexb=no\r\n"
    "a=sendonly\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
    "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^31|1:1\r\n"
    "a=rtcp:4001\r\n"
    "a=rtcp-mux\r\n"
    "a=x-unknown:kept\r\n"
    "m=video 0 RTP/AVP 31\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=inactive\r\n";

TEST(Sdp, ParsesOriginConnectionMediaAndAttributes) {
  const auto sdp = parse_sdp(kOffer);
  ASSERT_TRUE(sdp.ok()) << to_string(sdp.failure());
  EXPECT_EQ(sdp->origin.username, "CiscoSystemsCCM-SIP");
  EXPECT_EQ(sdp->origin.session_version, "1");
  ASSERT_EQ(sdp->media.size(), 2u);
  const Media& audio = sdp->media[0];
  EXPECT_EQ(audio.port, 4000);
  EXPECT_EQ(audio.protocol, "RTP/SAVP");
  EXPECT_EQ(audio.formats.size(), 3u);
  EXPECT_EQ(audio.rtpmaps().size(), 3u);
  EXPECT_EQ(audio.rtpmaps()[2].encoding, "telephone-event");
  EXPECT_EQ(audio.fmtp(18).value(), "annexb=no");
  EXPECT_EQ(audio.ptime().value(), 20u);
  EXPECT_EQ(audio.direction().value(), Direction::kSendOnly);
  ASSERT_EQ(audio.cryptos().size(), 1u);
  EXPECT_EQ(audio.cryptos()[0].suite, "AES_CM_128_HMAC_SHA1_80");
  EXPECT_TRUE(audio.cryptos()[0].key_params.ends_with("|2^31|1:1"));
  EXPECT_EQ(audio.rtcp_port().value(), 4001);
  EXPECT_TRUE(audio.rtcp_mux());
  EXPECT_EQ(audio.attribute("x-unknown").value(), "kept");
  // Connection: session level for audio, media level for video.
  EXPECT_EQ(sdp->connection_for(audio)->address, "10.10.199.238");
  EXPECT_EQ(sdp->connection_for(sdp->media[1])->address, "0.0.0.0");
  EXPECT_EQ(sdp->direction_for(sdp->media[1]), Direction::kInactive);
}

TEST(Sdp, SerializeRoundTrip) {
  const auto sdp = parse_sdp(kOffer);
  ASSERT_TRUE(sdp.ok());
  EXPECT_EQ(serialize_sdp(*sdp), kOffer);
}

TEST(Sdp, ToleratesPeerOdditiesAndLfLineEnds) {
  // DIGEST-001 section 7: "aptime:20" without '=', misspelt attributes, a bad c= address.
  const auto sdp = parse_sdp(
      "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.10.10225\nt=0 0\n"
      "m=audio 5004 RTP/AVP 0\na=recvnly\na=rtptime:0\nk=base64:abc\n");
  ASSERT_TRUE(sdp.ok()) << to_string(sdp.failure());
  EXPECT_FALSE(sdp->media[0].direction().has_value());
  EXPECT_EQ(sdp->media[0].other_lines.size(), 1u);
  EXPECT_EQ(sdp->connection->address, "10.10.10225");
}

TEST(Sdp, RejectsStructuralErrorsAndBoundsCounts) {
  EXPECT_EQ(parse_sdp("o=- 1 1 IN IP4 a\r\nv=0\r\n").error(), ParseError::kBadSdp);
  EXPECT_EQ(parse_sdp("v=0\r\no=- 1\r\n").error(), ParseError::kBadSdp);
  EXPECT_EQ(parse_sdp("v=0\r\nm=audio port RTP/AVP 0\r\n").error(), ParseError::kBadSdp);
  EXPECT_EQ(parse_sdp("v=0\r\nthis is not sdp\r\n").error(), ParseError::kBadSdp);
  ParseLimits limits;
  limits.max_sdp_media = 1;
  EXPECT_EQ(parse_sdp(kOffer, limits).error(), ParseError::kTooManyMedia);
  limits = ParseLimits{};
  limits.max_sdp_lines = 4;
  EXPECT_EQ(parse_sdp(kOffer, limits).error(), ParseError::kTooManySdpLines);
}

TEST(Multipart, MicrosoftAlternativeWithGwSdp) {
  const std::string body =
      "--b1\r\n"
      "Content-Type: application/sdp\r\n"
      "Content-ID: <72e03bb9>\r\n"
      "Content-Disposition: Session;handling=optional;ms-proxy-2007fallback\r\n"
      "\r\n"
      "v=0\r\no=- 1 0 IN IP4 10.1.1.102\r\ns=session\r\nt=0 0\r\nm=audio 56568 RTP/AVP 0\r\n"
      "\r\n--b1\r\n"
      "Content-Type: application/gw-sdp; x-bypassid=9CD08A01\r\n"
      "Content-ID: <466ac626>\r\n"
      "\r\n"
      "v=0\r\no=Gateway 94331345 94331031 IN IP4 10.1.2.12\r\ns=session\r\nt=0 0\r\n"
      "m=audio 6430 RTP/SAVP 0 13 101\r\na=x-bypassid:9CD08A01\r\n"
      "\r\n--b1--\r\n";
  SipMessage msg = SipMessage::make_request("INVITE", "sip:a@b");
  msg.set_body("multipart/alternative; boundary=b1", body);
  const auto parts = sdp_parts(msg);
  ASSERT_TRUE(parts.ok()) << to_string(parts.failure());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].content_id, "<72e03bb9>");
  EXPECT_EQ((*parts)[1].sdp.origin.username, "Gateway");
  EXPECT_EQ((*parts)[1].sdp.media[0].attribute("x-bypassid").value(), "9CD08A01");
}

TEST(Multipart, FramingErrors) {
  EXPECT_EQ(parse_multipart("no delimiter here", "b1").error(), ParseError::kBadMultipart);
  EXPECT_EQ(parse_multipart("--b1\r\nContent-Type: text/plain\r\n\r\nx", "b1").error(),
            ParseError::kBadMultipart);
  ParseLimits limits;
  limits.max_multipart_parts = 1;
  EXPECT_EQ(parse_multipart("--b\r\n\r\na\r\n--b\r\n\r\nb\r\n--b--", "b", limits).error(),
            ParseError::kBadMultipart);
  const auto ok = parse_multipart("preamble\r\n--b\r\n\r\na\r\n--b--\r\nepilogue", "b");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->front().body, "a");
  EXPECT_EQ(ok->front().content_type(), "text/plain");
}

}  // namespace
}  // namespace trunkgate::sip::sdp
