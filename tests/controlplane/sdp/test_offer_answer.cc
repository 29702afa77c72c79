// Offers, answers and codec choice: our SDP read back with read_stream, real peers' offers and
// answers from the specs.
#include <gtest/gtest.h>

#include <string>

#include "controlplane/sdp/media_negotiation.h"
#include "controlplane/sdp/payload_formats.h"
#include "tests/controlplane/sdp/spec_sdps.h"

namespace trunkgate::cp {
namespace {

using channel::Codec;
using test::make_trunk;
using test::peer_sdp;
constexpr auto read = test::read_ok;

const LocalMedia kLocal{"203.0.113.10", 20000, 4242, 7};

// Answers `offer_sdp` and reads our answer back.
struct Answered {
  LegMedia leg;
  PeerStream ours;
  std::string text;
};

Answered answer(std::string_view offer_sdp, const Trunk& trunk, std::vector<Codec> preferred,
                MediaDirection direction = MediaDirection::kSendRecv, const LegMedia& other = {}) {
  std::string error;
  Answered a;
  std::optional<std::string> text =
      make_answer(read(offer_sdp), trunk, preferred, kLocal, direction, a.leg, error, other);
  EXPECT_TRUE(text) << error;
  a.text = text.value_or("");
  if (text) a.ours = read(*text);
  return a;
}

TEST(SdpOffer, ExactTextOfAnOffer) {
  OfferMade made;
  const std::string sdp = make_offer({Codec::kPcmu, Codec::kG729}, make_trunk({"PCMU", "G729"}),
                                     kLocal, MediaDirection::kSendRecv, made);
  EXPECT_EQ(sdp,
            "v=0\r\n"
            "o=trunkgate 4242 7 IN IP4 203.0.113.10\r\n"
            "s=trunkgate\r\n"
            "c=IN IP4 203.0.113.10\r\n"
            "t=0 0\r\n"
            "m=audio 20000 RTP/AVP 0 18 101\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:18 G729/8000\r\n"
            "a=fmtp:18 annexb=no\r\n"
            "a=rtpmap:101 telephone-event/8000\r\n"
            "a=fmtp:101 0-16\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n");
  ASSERT_EQ(made.codecs.size(), 2u);
  EXPECT_EQ(made.codecs[1].pt, 18);
  EXPECT_EQ(made.telephone_event_pt, 101);
  EXPECT_FALSE(made.secure);
  EXPECT_TRUE(made.our_keys.empty());
}

TEST(SdpOffer, ReadsBackAsOffered) {
  OfferMade made;
  const LocalMedia v6{"2001:db8::10", 20002, 1, 2};
  const PeerStream s = read(
      make_offer({Codec::kPcma}, make_trunk({"PCMA"}, SrtpPolicy::kOff, DtmfMode::kRfc4733, 96), v6,
                 MediaDirection::kSendOnly, made));
  EXPECT_EQ(s.address, "2001:db8::10");
  EXPECT_EQ(s.port, 20002);
  ASSERT_EQ(s.codecs.size(), 1u);
  EXPECT_EQ(codec_of(s.codecs[0]), Codec::kPcma);
  EXPECT_EQ(s.telephone_event_pt, 96);
  EXPECT_EQ(s.direction, MediaDirection::kSendOnly);
  EXPECT_EQ(s.origin_version, "2");
}

TEST(SdpOffer, InbandTrunkNeverOffersTelephoneEvent) {
  OfferMade made;
  const std::string sdp =
      make_offer({Codec::kPcmu}, make_trunk({"PCMU"}, SrtpPolicy::kOff, DtmfMode::kInband), kLocal,
                 MediaDirection::kSendRecv, made);
  EXPECT_EQ(made.telephone_event_pt, -1);
  EXPECT_EQ(sdp.find("telephone-event"), std::string::npos);
  EXPECT_EQ(read(sdp).telephone_event_pt, -1);
}

TEST(SdpOffer, EmptyCodecListOffersTheTrunksCodecs) {
  OfferMade made;
  make_offer({}, make_trunk({"G729", "PCMA"}), kLocal, MediaDirection::kSendRecv, made);
  ASSERT_EQ(made.codecs.size(), 2u);
  EXPECT_EQ(codec_of(made.codecs[0]), Codec::kG729);
  EXPECT_EQ(codec_of(made.codecs[1]), Codec::kPcma);
}

TEST(SdpOffer, Cn13OnlyBesideG711AndWhenTheOtherLegHasIt) {
  const Trunk trunk = make_trunk({"PCMA", "G729"});
  OfferMade made;
  const std::string sdp = make_offer({Codec::kPcma, Codec::kG729}, trunk, kLocal,
                                     MediaDirection::kSendRecv, made, kStaticCnPt);
  EXPECT_NE(sdp.find("m=audio 20000 RTP/AVP 8 18 101 13\r\n"), std::string::npos) << sdp;
  EXPECT_NE(sdp.find("a=rtpmap:13 CN/8000\r\n"), std::string::npos) << sdp;
  EXPECT_EQ(made.cn_pt, 13);
  EXPECT_EQ(read(sdp).cn_pt, 13);
  EXPECT_EQ(made.codecs.size(), 2u);  // CN is not a codec the answer may pick

  // Not next to G.729 alone; not when the other leg has no CN or CN under another number (a
  // relay could not carry it unchanged, and 13 is what SIPconnect peers look for).
  for (const auto& [codecs, other_cn] : std::vector<std::pair<std::vector<Codec>, int>>{
           {{Codec::kG729}, 13}, {{Codec::kPcma}, -1}, {{Codec::kPcma}, 97}}) {
    const std::string text =
        make_offer(codecs, trunk, kLocal, MediaDirection::kSendRecv, made, other_cn);
    EXPECT_EQ(read(text).cn_pt, -1) << text;
    EXPECT_EQ(text.find("CN/"), std::string::npos) << text;
    EXPECT_EQ(made.cn_pt, -1);
  }
}

TEST(SdpCodecChoice, Bridgeable) {
  EXPECT_TRUE(bridgeable(Codec::kPcmu, Codec::kPcmu));
  EXPECT_TRUE(bridgeable(Codec::kPcma, Codec::kG729));
  EXPECT_TRUE(bridgeable(Codec::kG729, Codec::kPcmu));
  EXPECT_FALSE(bridgeable(Codec::kPcmu, Codec::kPcma));
  EXPECT_FALSE(bridgeable(Codec::kNone, Codec::kNone));
}

TEST(SdpCodecChoice, DelayedOfferUsesTheTrunksOrder) {
  const std::vector<Codec> c = codecs_to_offer(nullptr, nullptr, make_trunk({"G729", "PCMU"}));
  EXPECT_EQ(c, (std::vector<Codec>{Codec::kG729, Codec::kPcmu}));
}

TEST(SdpCodecChoice, RelayFirstThenTranscodable) {
  const PeerStream cucm = read(test::kCucmPlaceholderOffer);  // PCMU PCMA G729
  const Trunk cucm_trunk = make_trunk({"PCMU", "PCMA", "G729"});
  // Relay candidates in the offerer's order, then the callee trunk's own codecs that transcode.
  EXPECT_EQ(codecs_to_offer(&cucm, &cucm_trunk, make_trunk({"G729", "PCMU"})),
            (std::vector<Codec>{Codec::kPcmu, Codec::kG729}));
  // The other leg's trunk filters what it offered: only PCMU may be used there.
  const Trunk pcmu_only = make_trunk({"PCMU"});
  EXPECT_EQ(codecs_to_offer(&cucm, &pcmu_only, make_trunk({"G729", "PCMA"})),
            (std::vector<Codec>{Codec::kG729}));
  EXPECT_EQ(codecs_to_offer(&cucm, nullptr, make_trunk({"PCMA"})),
            (std::vector<Codec>{Codec::kPcma}));
}

TEST(SdpCodecChoice, PcmuToPcmaIsNotBridged) {
  const PeerStream s = read(test::kCucmAck);  // PCMU only
  const Trunk pcmu = make_trunk({"PCMU"});
  EXPECT_TRUE(codecs_to_offer(&s, &pcmu, make_trunk({"PCMA"})).empty());
  std::string error;
  LegMedia leg;
  EXPECT_FALSE(make_answer(s, make_trunk({"PCMA"}), {Codec::kPcma}, kLocal,
                           MediaDirection::kSendRecv, leg, error));
  EXPECT_NE(error.find("offered: PCMU"), std::string::npos) << error;
}

TEST(SdpAnswer, RelayAnswerToCucmPlaceholder) {
  const Answered a = answer(test::kCucmPlaceholderOffer, make_trunk({"PCMU", "PCMA", "G729"}),
                            {Codec::kPcmu, Codec::kG729});
  EXPECT_EQ(a.leg.codec, Codec::kPcmu);
  EXPECT_EQ(a.leg.pt, 0);
  EXPECT_EQ(a.leg.telephone_event_pt, 101);
  EXPECT_EQ(a.leg.remote_address, "10.10.199.238");
  EXPECT_EQ(a.leg.remote_rtp_port, 4000);
  EXPECT_EQ(a.leg.remote_rtcp_port, 4001);
  EXPECT_EQ(a.leg.ptime_ms, 20u);
  EXPECT_EQ(a.leg.direction, MediaDirection::kSendOnly);
  EXPECT_FALSE(a.leg.our_key);
  // Our answer: one codec, the offer's telephone-event number, recvonly to a sendonly offer.
  ASSERT_EQ(a.ours.codecs.size(), 1u);
  EXPECT_EQ(codec_of(a.ours.codecs[0]), Codec::kPcmu);
  EXPECT_EQ(a.ours.telephone_event_pt, 101);
  EXPECT_EQ(a.ours.direction, MediaDirection::kRecvOnly);
  EXPECT_EQ(a.ours.address, "203.0.113.10");
  EXPECT_EQ(a.ours.port, 20000);
  EXPECT_EQ(a.ours.origin_version, "7");
  EXPECT_NE(a.text.find("m=audio 20000 RTP/AVP 0 101\r\n"), std::string::npos) << a.text;
}

TEST(SdpAnswer, PreferredOrderWinsOverTheOffersOrder) {
  const Answered a =
      answer(test::k8x8Example, make_trunk({"PCMU", "G729"}), {Codec::kG729, Codec::kPcmu});
  EXPECT_EQ(a.leg.codec, Codec::kG729);
  EXPECT_EQ(a.leg.pt, 18);
  ASSERT_EQ(a.ours.codecs.size(), 1u);
  EXPECT_EQ(a.ours.codecs[0].fmtp, "annexb=no");
}

TEST(SdpAnswer, TrunkMustAllowThePreferredCodec) {
  const Answered a = answer(test::k8x8Example, make_trunk({"PCMU"}), {Codec::kG729, Codec::kPcmu});
  EXPECT_EQ(a.leg.codec, Codec::kPcmu);
}

TEST(SdpAnswer, AnswerKeepsTheOffersDynamicNumbers) {
  const Answered a = answer(peer_sdp("m=audio 5000 RTP/AVP 97 96\r\na=rtpmap:97 "
                                     "G729/8000\r\na=rtpmap:96 telephone-event/8000\r\n"
                                     "a=ptime:30\r\n"),
                            make_trunk({"G729"}), {Codec::kG729});
  EXPECT_EQ(a.leg.pt, 97);
  EXPECT_EQ(a.leg.telephone_event_pt, 96);
  EXPECT_EQ(a.leg.ptime_ms, 30u);
  EXPECT_NE(a.text.find("m=audio 20000 RTP/AVP 97 96\r\n"), std::string::npos) << a.text;
  EXPECT_NE(a.text.find("a=ptime:30\r\n"), std::string::npos);
}

TEST(SdpAnswer, UnusablePtimeFallsBackTo20) {
  const Answered a = answer(peer_sdp("m=audio 5000 RTP/AVP 0\r\na=ptime:25\r\n"),
                            make_trunk({"PCMU"}), {Codec::kPcmu});
  EXPECT_EQ(a.leg.ptime_ms, 20u);
  EXPECT_NE(a.text.find("a=ptime:20\r\n"), std::string::npos);
}

TEST(SdpAnswer, InbandTrunkAnswersWithoutTelephoneEvent) {
  const Answered a =
      answer(test::kCucmAck, make_trunk({"PCMU"}, SrtpPolicy::kOff, DtmfMode::kInband), {});
  EXPECT_EQ(a.leg.telephone_event_pt, -1);
  EXPECT_EQ(a.ours.telephone_event_pt, -1);
  EXPECT_EQ(a.text.find("telephone-event"), std::string::npos);
}

// The other leg's negotiated media, for the CN decision.
LegMedia other_leg(Codec codec, int cn_pt) {
  LegMedia m;
  m.codec = codec;
  m.pt = codec == Codec::kG729 ? 18 : 8;
  m.cn_pt = cn_pt;
  return m;
}

constexpr const char* kPcmaWithCn =
    "m=audio 5000 RTP/AVP 8 13 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n";

TEST(SdpAnswer, CnWhenTheOtherLegIsTranscodedFromG729) {
  const Trunk trunk = make_trunk({"PCMA"});
  const Answered a = answer(peer_sdp(kPcmaWithCn), trunk, {Codec::kG729, Codec::kPcma},
                            MediaDirection::kSendRecv, other_leg(Codec::kG729, -1));
  EXPECT_EQ(a.leg.codec, Codec::kPcma);
  EXPECT_EQ(a.leg.cn_pt, 13);
  EXPECT_EQ(a.ours.cn_pt, 13);
  EXPECT_NE(a.text.find("m=audio 20000 RTP/AVP 8 101 13\r\n"), std::string::npos) << a.text;
  // A dynamic CN is answered with the offer's number.
  const Answered d = answer(peer_sdp("m=audio 5000 RTP/AVP 8 98\r\na=rtpmap:98 CN/8000\r\n"), trunk,
                            {Codec::kPcma}, MediaDirection::kSendRecv, other_leg(Codec::kG729, -1));
  EXPECT_EQ(d.leg.cn_pt, 98);
  EXPECT_NE(d.text.find("a=rtpmap:98 CN/8000\r\n"), std::string::npos) << d.text;
}

TEST(SdpAnswer, CnOnARelayOnlyWhenTheOtherLegHasTheSameNumber) {
  const Trunk trunk = make_trunk({"PCMA"});
  const std::string offer = peer_sdp(kPcmaWithCn);
  EXPECT_EQ(
      answer(offer, trunk, {Codec::kPcma}, MediaDirection::kSendRecv, other_leg(Codec::kPcma, 13))
          .leg.cn_pt,
      13);
  for (const LegMedia& other :
       {other_leg(Codec::kPcma, -1), other_leg(Codec::kPcma, 97), LegMedia{} /* not known */}) {
    const Answered a = answer(offer, trunk, {Codec::kPcma}, MediaDirection::kSendRecv, other);
    EXPECT_EQ(a.leg.cn_pt, -1);
    EXPECT_EQ(a.ours.cn_pt, -1) << a.text;
    EXPECT_EQ(a.text.find("CN/"), std::string::npos) << a.text;
  }
}

TEST(SdpAnswer, NoCnNextToG729OrWithoutTheOffersCn) {
  // A G.729 answer: CN means nothing there, even if both legs listed it.
  const Answered g729 =
      answer(peer_sdp("m=audio 5000 RTP/AVP 18 13\r\n"), make_trunk({"G729"}), {Codec::kG729},
             MediaDirection::kSendRecv, other_leg(Codec::kPcma, 13));
  EXPECT_EQ(g729.leg.cn_pt, -1);
  EXPECT_EQ(g729.text.find("CN/"), std::string::npos) << g729.text;
  // The offer has no CN: none in the answer, even where the call could carry it.
  const Answered plain =
      answer(peer_sdp("m=audio 5000 RTP/AVP 8\r\n"), make_trunk({"PCMA"}), {Codec::kPcma},
             MediaDirection::kSendRecv, other_leg(Codec::kG729, -1));
  EXPECT_EQ(plain.leg.cn_pt, -1);
  EXPECT_EQ(plain.text.find("CN/"), std::string::npos) << plain.text;
}

TEST(SdpAnswer, ExtraStreamsAreRefusedWithPortZeroInOrder) {
  const Answered a = answer(
      peer_sdp("m=video 6000 RTP/AVP 31\r\nm=audio 5000 RTP/AVP 0\r\nm=image 7000 udptl t38\r\n"),
      make_trunk({"PCMU"}), {Codec::kPcmu});
  EXPECT_EQ(a.ours.media_count, 3u);
  EXPECT_EQ(a.ours.audio_index, 1u);
  const std::size_t video = a.text.find("m=video 0 RTP/AVP 31\r\n");
  const std::size_t audio = a.text.find("m=audio 20000 RTP/AVP 0\r\n");
  const std::size_t image = a.text.find("m=image 0 udptl t38\r\n");
  ASSERT_NE(video, std::string::npos) << a.text;
  ASSERT_NE(audio, std::string::npos) << a.text;
  ASSERT_NE(image, std::string::npos) << a.text;
  EXPECT_LT(video, audio);
  EXPECT_LT(audio, image);
}

TEST(SdpAnswer, RefusedAudioStreamIsNotAnswered) {
  std::string error;
  LegMedia leg;
  const PeerStream s = read(peer_sdp("m=audio 0 RTP/AVP 0\r\n"));
  EXPECT_FALSE(
      make_answer(s, make_trunk({"PCMU"}), {}, kLocal, MediaDirection::kSendRecv, leg, error));
  EXPECT_NE(error.find("disabled"), std::string::npos);
}

TEST(SdpHold, CucmHoldOfferIsAnsweredInactive) {
  const Answered a = answer(test::kCucmHold, make_trunk({"PCMU"}), {Codec::kPcmu});
  EXPECT_EQ(a.leg.remote_address, "0.0.0.0");
  EXPECT_EQ(a.leg.direction, MediaDirection::kInactive);
  EXPECT_EQ(a.ours.direction, MediaDirection::kInactive);
  EXPECT_EQ(a.ours.address, "203.0.113.10");  // we never answer with 0.0.0.0 ourselves
}

TEST(SdpHold, AnswerDirectionFollowsOfferAndOtherLeg) {
  struct Case {
    MediaDirection offered, wanted, answered;
  };
  using D = MediaDirection;
  const Case cases[] = {
      {D::kSendRecv, D::kSendRecv, D::kSendRecv}, {D::kSendRecv, D::kSendOnly, D::kSendOnly},
      {D::kSendRecv, D::kInactive, D::kInactive}, {D::kSendOnly, D::kSendRecv, D::kRecvOnly},
      {D::kSendOnly, D::kSendOnly, D::kInactive}, {D::kRecvOnly, D::kSendRecv, D::kSendOnly},
      {D::kRecvOnly, D::kRecvOnly, D::kInactive}, {D::kInactive, D::kSendRecv, D::kInactive},
  };
  const char* names[] = {"sendrecv", "sendonly", "recvonly", "inactive"};
  for (const Case& c : cases) {
    const std::string offer =
        std::string(test::kCucmAck) + "a=" + names[static_cast<int>(c.offered)] + "\r\n";
    const Answered a = answer(offer, make_trunk({"PCMU"}), {Codec::kPcmu}, c.wanted);
    EXPECT_EQ(a.leg.direction, c.offered);
    EXPECT_EQ(a.ours.direction, c.answered)
        << names[static_cast<int>(c.offered)] << " / " << names[static_cast<int>(c.wanted)];
  }
}

TEST(SdpReadAnswer, PeerAnswerToOurOffer) {
  OfferMade made;
  const Trunk trunk = make_trunk({"PCMU", "PCMA", "G729"});
  make_offer({Codec::kPcmu, Codec::kPcma, Codec::kG729}, trunk, kLocal, MediaDirection::kSendRecv,
             made);
  LegMedia leg;
  std::string error;
  ASSERT_TRUE(read_answer(read(test::kCucmAck), made, trunk, leg, error)) << error;
  EXPECT_EQ(leg.codec, Codec::kPcmu);
  EXPECT_EQ(leg.pt, 0);
  EXPECT_EQ(leg.telephone_event_pt, 101);
  EXPECT_EQ(leg.remote_address, "10.10.199.251");
  EXPECT_EQ(leg.remote_rtp_port, 18334);
  EXPECT_EQ(leg.remote_rtcp_port, 18335);
  EXPECT_EQ(leg.direction, MediaDirection::kSendRecv);
}

TEST(SdpReadAnswer, AnswerersOrderAndItsTelephoneEventNumber) {
  OfferMade made;
  const Trunk trunk = make_trunk({"PCMU", "G729"});
  make_offer({Codec::kPcmu, Codec::kG729}, trunk, kLocal, MediaDirection::kSendRecv, made);
  LegMedia leg;
  std::string error;
  const std::string answer_sdp =
      "v=0\r\no=- 5 5 IN IP4 198.51.100.9\r\ns=-\r\nc=IN IP4 198.51.100.9\r\nt=0 0\r\n"
      "m=audio 30000 RTP/AVP 18 0 96\r\na=rtpmap:96 telephone-event/8000\r\n";
  ASSERT_TRUE(read_answer(read(answer_sdp), made, trunk, leg, error)) << error;
  EXPECT_EQ(leg.codec, Codec::kG729);
  EXPECT_EQ(leg.telephone_event_pt, 96);
}

TEST(SdpReadAnswer, Refusals) {
  OfferMade made;
  const Trunk trunk = make_trunk({"G729"});
  make_offer({Codec::kG729}, trunk, kLocal, MediaDirection::kSendRecv, made);
  LegMedia leg;
  std::string error;
  EXPECT_FALSE(read_answer(read(test::kCucmAck), made, trunk, leg, error));  // PCMU only
  EXPECT_NE(error.find("none of the offered"), std::string::npos) << error;
  const PeerStream refused = read(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=-\r\nt=0 0\r\n"
      "m=audio 0 RTP/AVP 18\r\n");
  EXPECT_FALSE(read_answer(refused, made, trunk, leg, error));
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
}

TEST(SdpReadAnswer, NoTelephoneEventWhenWeDidNotOfferIt) {
  OfferMade made;
  const Trunk trunk = make_trunk({"PCMU"}, SrtpPolicy::kOff, DtmfMode::kInband);
  make_offer({Codec::kPcmu}, trunk, kLocal, MediaDirection::kSendRecv, made);
  LegMedia leg;
  std::string error;
  ASSERT_TRUE(read_answer(read(test::kCucmAck), made, trunk, leg, error)) << error;
  EXPECT_EQ(leg.telephone_event_pt, -1);
}

TEST(SdpReadAnswer, CnOnlyWhenOfferedAndNextToG711) {
  const Trunk trunk = make_trunk({"PCMA", "G729"});
  const std::string pcma_cn = peer_sdp("m=audio 30000 RTP/AVP 8 13\r\n");
  const std::string g729_cn = peer_sdp("m=audio 30000 RTP/AVP 18 13\r\n");
  const std::string pcma = peer_sdp("m=audio 30000 RTP/AVP 8\r\n");
  struct Case {
    int other_cn;  // what make_offer is given
    const std::string* answer;
    int cn;  // read back
  };
  for (const Case& c : {Case{13, &pcma_cn, 13}, Case{13, &g729_cn, -1}, Case{13, &pcma, -1},
                        Case{-1, &pcma_cn, -1}}) {
    OfferMade made;
    make_offer({Codec::kPcma, Codec::kG729}, trunk, kLocal, MediaDirection::kSendRecv, made,
               c.other_cn);
    LegMedia leg;
    std::string error;
    ASSERT_TRUE(read_answer(read(*c.answer), made, trunk, leg, error)) << error;
    EXPECT_EQ(leg.cn_pt, c.cn) << *c.answer << " offered CN: " << c.other_cn;
  }
}

}  // namespace
}  // namespace trunkgate::cp
