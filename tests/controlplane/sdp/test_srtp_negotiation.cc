// SDES keys and the trunk SRTP policies (off / optional / required) in offers and answers.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "controlplane/sdp/media_negotiation.h"
#include "controlplane/sdp/sdes.h"
#include "tests/controlplane/sdp/spec_sdps.h"

namespace trunkgate::cp {
namespace {

using channel::Codec;
using channel::SrtpSuite;
using test::make_trunk;
using test::peer_sdp;
constexpr auto read = test::read_ok;

const LocalMedia kLocal{"203.0.113.10", 20000, 99, 1};

bool same_key(const SdesKey& a, const SdesKey& b) {
  return a.tag == b.tag && a.suite == b.suite && std::memcmp(a.key, b.key, sizeof a.key) == 0 &&
         std::memcmp(a.salt, b.salt, sizeof a.salt) == 0 && a.mki == b.mki &&
         a.mki_length == b.mki_length && a.lifetime == b.lifetime;
}

TEST(SdpSdes, MicrosoftAttributeRoundTrips) {
  const std::string value =
      "2 AES_CM_128_HMAC_SHA1_80 inline:bN1zDJ0LC8QYNvMIdohDtGkWD/rCastpGbz5ObNo|2^31|244:1";
  std::string error;
  const std::optional<SdesKey> key = parse_crypto(value, error);
  ASSERT_TRUE(key) << error;
  EXPECT_EQ(format_crypto(*key), value);
  const channel::SrtpParams p = srtp_params(*key);
  EXPECT_EQ(p.suite, static_cast<uint8_t>(SrtpSuite::kAesCm128HmacSha1_80));
  EXPECT_EQ(p.mki, 244u);
  EXPECT_EQ(p.mki_length, 1);
  EXPECT_EQ(p.lifetime, uint64_t{1} << 31);
  EXPECT_EQ(p.replay_window, 0);  // the data plane's default (128)
  EXPECT_EQ(std::memcmp(p.master_key, key->key, sizeof p.master_key), 0);
  EXPECT_EQ(std::memcmp(p.master_salt, key->salt, sizeof p.master_salt), 0);
}

TEST(SdpSdes, GcmCarriesATwelveByteSalt) {
  // RFC 7714 section 12: key||salt is 16 + 12 bytes (base64 of 28 bytes).
  const std::string value = "1 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==";
  std::string error;
  const std::optional<SdesKey> key = parse_crypto(value, error);
  ASSERT_TRUE(key) << error;
  EXPECT_EQ(key->suite, SrtpSuite::kAeadAes128Gcm);
  EXPECT_EQ(key->key[15], 15);
  EXPECT_EQ(key->salt[0], 16);
  EXPECT_EQ(key->salt[11], 27);
  EXPECT_EQ(key->salt[12], 0);
  EXPECT_EQ(key->salt[13], 0);
  EXPECT_EQ(format_crypto(*key), value);
  const SdesKey fresh = generate_key(SrtpSuite::kAeadAes128Gcm, 3);
  EXPECT_EQ(fresh.salt[12], 0);
  EXPECT_EQ(fresh.salt[13], 0);
  const std::optional<SdesKey> back = parse_crypto(format_crypto(fresh), error);
  ASSERT_TRUE(back) << error;
  EXPECT_TRUE(same_key(*back, fresh));
}

TEST(SdpSdes, MalformedAttributesAreRejectedWithAReason) {
  std::string error;
  EXPECT_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=", error));
  EXPECT_NE(error.find("length"), std::string::npos) << error;
  EXPECT_FALSE(parse_crypto(
      "1 AES_CM_128_HMAC_SHA1_80 inline:bN1zDJ0LC8QYNvMIdohDtGkWD/rCastpGbz5ObNo|2^31|1:5", error));
  EXPECT_NE(error.find("MKI"), std::string::npos) << error;
  EXPECT_FALSE(parse_crypto("x AES_CM_128_HMAC_SHA1_80 inline:AAAA", error));
  EXPECT_FALSE(parse_crypto("", error));
}

TEST(SdpSdes, FreshKeysDiffer) {
  const SdesKey a = generate_key(SrtpSuite::kAesCm128HmacSha1_80, 1);
  const SdesKey b = generate_key(SrtpSuite::kAesCm128HmacSha1_80, 1);
  EXPECT_NE(std::memcmp(a.key, b.key, sizeof a.key), 0);
  EXPECT_NE(std::memcmp(a.salt, b.salt, sizeof a.salt), 0);
  EXPECT_EQ(a.mki_length, 0);
  EXPECT_EQ(a.lifetime, 0u);
}

TEST(SdpSrtp, RequiredTrunkOffersSavpWithFreshKeysWithoutLifetimeOrMki) {
  OfferMade made;
  const std::string sdp = make_offer({Codec::kPcmu}, make_trunk({"PCMU"}, SrtpPolicy::kRequired),
                                     kLocal, MediaDirection::kSendRecv, made);
  EXPECT_TRUE(made.secure);
  ASSERT_EQ(made.our_keys.size(), 2u);
  EXPECT_EQ(made.our_keys[0].suite, SrtpSuite::kAesCm128HmacSha1_80);  // SIPconnect 14.4
  EXPECT_EQ(made.our_keys[0].tag, 1u);
  EXPECT_EQ(made.our_keys[1].suite, SrtpSuite::kAesCm128HmacSha1_32);
  EXPECT_EQ(made.our_keys[1].tag, 2u);
  EXPECT_EQ(sdp.find('|'), std::string::npos) << sdp;  // neither lifetime nor MKI
  const PeerStream s = read(sdp);
  EXPECT_TRUE(s.secure);
  ASSERT_EQ(s.keys.size(), 2u);
  EXPECT_TRUE(same_key(s.keys[0], made.our_keys[0]));
  EXPECT_TRUE(same_key(s.keys[1], made.our_keys[1]));
  OfferMade again;
  make_offer({Codec::kPcmu}, make_trunk({"PCMU"}, SrtpPolicy::kRequired), kLocal,
             MediaDirection::kSendRecv, again);
  EXPECT_FALSE(same_key(again.our_keys[0], made.our_keys[0]));  // new key per offer
}

TEST(SdpSrtp, OptionalAndOffTrunksOfferPlainRtp) {
  for (SrtpPolicy p : {SrtpPolicy::kOptional, SrtpPolicy::kOff}) {
    OfferMade made;
    const std::string sdp = make_offer({Codec::kPcmu}, make_trunk({"PCMU"}, p), kLocal,
                                       MediaDirection::kSendRecv, made);
    EXPECT_FALSE(made.secure);
    EXPECT_NE(sdp.find("RTP/AVP 0"), std::string::npos);
    EXPECT_EQ(sdp.find("crypto"), std::string::npos);
  }
}

TEST(SdpSrtp, OptionalTrunkAnswersMicrosoftSavpWithItsTag) {
  const Trunk trunk = make_trunk({"PCMU"}, SrtpPolicy::kOptional);
  const PeerStream offer = read(test::kMicrosoftGwSdp);
  LegMedia leg;
  std::string error;
  const std::optional<std::string> sdp =
      make_answer(offer, trunk, {Codec::kPcmu}, kLocal, MediaDirection::kSendRecv, leg, error);
  ASSERT_TRUE(sdp) << error;
  ASSERT_TRUE(leg.peer_key);
  ASSERT_TRUE(leg.our_key);
  EXPECT_TRUE(same_key(*leg.peer_key, offer.keys[0]));  // with its MKI 244:1
  EXPECT_EQ(leg.our_key->tag, 2u);
  EXPECT_EQ(leg.our_key->suite, SrtpSuite::kAesCm128HmacSha1_80);
  EXPECT_EQ(leg.our_key->mki_length, 0);
  EXPECT_EQ(leg.remote_rtcp_port, 6391);
  const PeerStream ours = read(*sdp);
  EXPECT_TRUE(ours.secure);
  ASSERT_EQ(ours.keys.size(), 1u);
  EXPECT_TRUE(same_key(ours.keys[0], *leg.our_key));
  EXPECT_NE(sdp->find("m=audio 20000 RTP/SAVP 0 101\r\n"), std::string::npos) << *sdp;
}

TEST(SdpSrtp, PolicyRefusals) {
  LegMedia leg;
  std::string error;
  EXPECT_FALSE(make_answer(read(test::kMicrosoftGwSdp), make_trunk({"PCMU"}, SrtpPolicy::kOff),
                           {Codec::kPcmu}, kLocal, MediaDirection::kSendRecv, leg, error));
  EXPECT_NE(error.find("srtp: off"), std::string::npos) << error;
  EXPECT_FALSE(make_answer(read(test::kCucmAck), make_trunk({"PCMU"}, SrtpPolicy::kRequired),
                           {Codec::kPcmu}, kLocal, MediaDirection::kSendRecv, leg, error));
  EXPECT_NE(error.find("requires SRTP"), std::string::npos) << error;
  const PeerStream no_usable_key =
      read(peer_sdp("m=audio 5000 RTP/SAVP 0\r\na=crypto:1 F8_128_HMAC_SHA1_80 inline:AAAA\r\n"));
  EXPECT_FALSE(make_answer(no_usable_key, make_trunk({"PCMU"}, SrtpPolicy::kRequired),
                           {Codec::kPcmu}, kLocal, MediaDirection::kSendRecv, leg, error));
  EXPECT_NE(error.find("crypto"), std::string::npos) << error;
}

TEST(SdpSrtp, ReadAnswerPairsOurKeyByTag) {
  const Trunk trunk = make_trunk({"PCMU"}, SrtpPolicy::kRequired);
  OfferMade made;
  make_offer({Codec::kPcmu}, trunk, kLocal, MediaDirection::kSendRecv, made);
  const SdesKey theirs = generate_key(SrtpSuite::kAesCm128HmacSha1_32, 2);
  const std::string answer_sdp =
      peer_sdp("m=audio 5000 RTP/SAVP 0\r\na=crypto:" + format_crypto(theirs) + "\r\n");
  LegMedia leg;
  std::string error;
  ASSERT_TRUE(read_answer(read(answer_sdp), made, trunk, leg, error)) << error;
  ASSERT_TRUE(leg.our_key && leg.peer_key);
  EXPECT_TRUE(same_key(*leg.our_key, made.our_keys[1]));
  EXPECT_TRUE(same_key(*leg.peer_key, theirs));

  // A tag we did not offer, or our tag with another suite, does not match.
  for (const SdesKey& wrong : {generate_key(SrtpSuite::kAesCm128HmacSha1_80, 5),
                               generate_key(SrtpSuite::kAesCm128HmacSha1_80, 2)}) {
    const std::string bad =
        peer_sdp("m=audio 5000 RTP/SAVP 0\r\na=crypto:" + format_crypto(wrong) + "\r\n");
    EXPECT_FALSE(read_answer(read(bad), made, trunk, leg, error));
    EXPECT_NE(error.find("crypto"), std::string::npos) << error;
  }
  // A plain answer to our SAVP offer breaks the trunk's policy.
  EXPECT_FALSE(read_answer(read(test::kCucmAck), made, trunk, leg, error));
  EXPECT_NE(error.find("requires SRTP"), std::string::npos) << error;
}

TEST(SdpSrtp, SavpAnswerToOurPlainOfferIsRefused) {
  const Trunk trunk = make_trunk({"PCMU"}, SrtpPolicy::kOptional);
  OfferMade made;
  make_offer({Codec::kPcmu}, trunk, kLocal, MediaDirection::kSendRecv, made);
  LegMedia leg;
  std::string error;
  EXPECT_FALSE(read_answer(read(test::kMicrosoftGwSdp), made, trunk, leg, error));
  EXPECT_NE(error.find("profile"), std::string::npos) << error;
}

}  // namespace
}  // namespace trunkgate::cp
