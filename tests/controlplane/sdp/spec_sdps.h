// SDP bodies from the seed specifications (line numbers in /work/shared/specs), with the
// transcription artefacts (trailing spaces, leading space before each line, collapsed newlines)
// removed; and the helpers the SDP tests share.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "controlplane/config/trunk.h"
#include "controlplane/sdp/media_negotiation.h"

namespace trunkgate::cp::test {

// Spec 001, 1075-1089: CUCM's delayed-offer placeholder in its 183/200 (sendonly, a=ptime after
// every rtpmap, a=sendonly inside the rtpmap list).
inline constexpr const char* kCucmPlaceholderOffer =
    "v=0\r\n"
    "o=CiscoSystemsCCM-SIP 2000 1 IN IP4 10.10.193.253\r\n"
    "s=SIP Call\r\n"
    "c=IN IP4 10.10.199.238\r\n"
    "t=0 0\r\n"
    "m=audio 4000 RTP/AVP 0 8 18 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=ptime:20\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=ptime:20\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=ptime:20\r\n"
    "a=sendonly\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n";

// Spec 001, 3062-3071: CUCM's SDP in an ACK (one codec + RFC 2833, sendrecv).
inline constexpr const char* kCucmAck =
    "v=0\r\n"
    "o=CiscoSystemsCCM-SIP 2000 1 IN IP4 10.10.199.250\r\n"
    "s=SIP Call\r\n"
    "c=IN IP4 10.10.199.251\r\n"
    "t=0 0\r\n"
    "m=audio 18334 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=ptime:20\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n";

// Spec 001, 3096-3106: CUCM's hold re-INVITE (0.0.0.0 and a=inactive, same port).
inline constexpr const char* kCucmHold =
    "v=0\r\n"
    "o=CiscoSystemsCCM-SIP 2000 2 IN IP4 10.10.199.250\r\n"
    "s=SIP Call\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "t=0 0\r\n"
    "m=audio 18334 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=ptime:20\r\n"
    "a=inactive\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n";

// Spec 001, line 524: lower-case encoding name.
inline constexpr const char* kCucmLowerCase =
    "v=0\r\n"
    "o=CiscoSystemsCCM-SIP 2000 1 IN IP4 10.89.79.203\r\n"
    "s=SIP Call\r\n"
    "c=IN IP4 10.89.79.203\r\n"
    "t=0 0\r\n"
    "m=audio 30844 RTP/AVP 0 101\r\n"
    "a=rtpmap:0 pcmu/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-11\r\n";

// Spec 000, 484-490: 8x8's offer, static types without rtpmap, LF line ends.
inline constexpr const char* k8x8Offer =
    "v=0\n"
    "o=- 1219523691 1219523696 IN IP4 209.247.23.129\n"
    "s=-\n"
    "c=IN IP4 209.247.23.129\n"
    "t=0 0\n"
    "m=audio 60176 RTP/AVP 18 0 101\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n";

// Spec 000, 134-144: the 8x8 example SDP for a voice call.
inline constexpr const char* k8x8Example =
    "v=0\r\n"
    "o=rtsp 1219179360 1219179360 IN IP4 192.84.13.227\r\n"
    "s=-\r\n"
    "c=IN IP4 192.84.13.227\r\n"
    "t=0 0\r\n"
    "m=audio 28000 RTP/AVP 0 18 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n";

// Spec 002, 1808-1828: the gateway's application/gw-sdp in a 200 OK: RTP/SAVP, crypto with
// lifetime and MKI, a=rtcp, CN, proprietary attributes.
inline constexpr const char* kMicrosoftGwSdp =
    "v=0\r\n"
    "o=Gateway 1303417666 1303417345 IN IP4 10.1.2.12\r\n"
    "s=session\r\n"
    "c=IN IP4 10.1.2.12\r\n"
    "t=0 0\r\n"
    "m=audio 6390 RTP/SAVP 0 13 101\r\n"
    "c=IN IP4 10.1.2.12\r\n"
    "a=rtcp:6391\r\n"
    "a=x-bypass\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_80 "
    "inline:bN1zDJ0LC8QYNvMIdohDtGkWD/rCastpGbz5ObNo|2^31|244:1\r\n"
    "a=sendrecv\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=ptime:20\r\n"
    "a=x-mediasettings:signalboostunsupported\r\n";

inline Trunk make_trunk(std::vector<std::string> codecs, SrtpPolicy srtp = SrtpPolicy::kOff,
                        DtmfMode dtmf = DtmfMode::kRfc4733, unsigned telephone_event_pt = 101) {
  Trunk t;
  t.name = "test";
  t.codecs = std::move(codecs);
  t.srtp = srtp;
  t.dtmf = dtmf;
  t.telephone_event_pt = telephone_event_pt;
  return t;
}

// A peer's SDP from 192.0.2.7 with the given m= section(s).
inline std::string peer_sdp(std::string_view media_lines,
                            std::string_view connection = "IN IP4 192.0.2.7") {
  return "v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=-\r\nc=" + std::string(connection) +
         "\r\nt=0 0\r\n" + std::string(media_lines);
}

// read_stream that must succeed (the test fails with the reason otherwise).
inline PeerStream read_ok(std::string_view sdp) {
  std::string error;
  std::optional<PeerStream> s = read_stream(sdp, error);
  EXPECT_TRUE(s) << error << "\n" << sdp;
  return s.value_or(PeerStream{});
}

}  // namespace trunkgate::cp::test
