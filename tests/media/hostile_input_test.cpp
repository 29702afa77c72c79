// Random and mutated bytes into every parser and receive path: nothing may be accepted that
// should not be, and parsed offsets must stay inside the input (run under ASan to catch reads).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "media/cn/comfort_noise.h"
#include "media/codec/g729.h"
#include "media/dtmf/telephone_event.h"
#include "media/rtp/rtcp_header.h"
#include "media/rtp/rtp_header.h"
#include "media/srtp/sdes_crypto_attribute.h"
#include "media/srtp/srtp_stream.h"
#include "tests/media/rtp_samples.h"

namespace trunkgate::media {
namespace {

std::vector<uint8_t> random_bytes(std::mt19937& rng, std::size_t max_length) {
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> out(length(rng));
  for (auto& b : out) b = static_cast<uint8_t>(byte(rng));
  if (!out.empty() && (byte(rng) & 1)) out[0] = static_cast<uint8_t>(0x80 | (out[0] & 0x3f));  // V=2 often
  return out;
}

TEST(HostileInput, RtpAndRtcpParsersStayInBounds) {
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    const auto p = random_bytes(rng, 120);
    RtpHeader h;
    if (parse_rtp(p, h) == RtpError::ok) {
      ASSERT_LE(std::size_t{h.header_length} + h.payload_length + h.padding_length, p.size());
    }
    RtcpCompound c;
    parse_rtcp_compound(p, c);
    classify_muxed_packet(p);
  }
}

TEST(HostileInput, SrtpAndSrtcpRejectRandomAndMutatedPackets) {
  AesHmacEngine engine;
  SrtpPolicy policy;
  policy.mki = 3;
  policy.mki_length = 2;
  SrtpStream tx, rx;
  ASSERT_TRUE(srtp_stream_init(engine, policy, tx));
  ASSERT_TRUE(srtp_stream_init(engine, policy, rx));
  std::mt19937 rng(2);
  for (int i = 0; i < 20000; ++i) {
    auto p = random_bytes(rng, 200);
    if (p.size() >= 12 && (i & 1)) {  // give random packets the right MKI half of the time
      p[p.size() - 12] = 0;
      p[p.size() - 11] = 3;
    }
    std::size_t out = 0;
    auto copy = p;
    ASSERT_NE(srtp_unprotect(engine, rx, copy.data(), copy.size(), out), SrtpStatus::ok);
    copy = p;
    ASSERT_NE(srtcp_unprotect(engine, rx, copy.data(), copy.size(), out), SrtpStatus::ok);
  }
  // Genuine packets with one random byte changed are never accepted either.
  std::uniform_int_distribution<int> bit(0, 7);
  for (uint16_t seq = 0; seq < 2000; ++seq) {
    auto p = test::make_rtp(seq, 77, seq % 200, seq % 8);
    const std::size_t length = p.size();
    p.resize(length + kSrtpMaxTrailer);
    std::size_t out = 0;
    ASSERT_EQ(srtp_protect(engine, tx, p.data(), length, p.size(), out), SrtpStatus::ok);
    p.resize(out);
    std::uniform_int_distribution<std::size_t> where(0, p.size() - 1);
    p[where(rng)] ^= static_cast<uint8_t>(1 << bit(rng));
    ASSERT_NE(srtp_unprotect(engine, rx, p.data(), p.size(), out), SrtpStatus::ok) << seq;
  }
}

TEST(HostileInput, TextAndPayloadParsersNeverAcceptGarbageSilently) {
  std::mt19937 rng(3);
  const std::string alphabet = "0123456789 AES_CMHS:|^inle/+=;KDRW\r\n";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int i = 0; i < 20000; ++i) {
    std::string line = "1 AES_CM_128_HMAC_SHA1_80 inline:";
    for (int k = i % 60; k > 0; --k) line += alphabet[pick(rng)];
    SdesCrypto c;
    if (parse_sdes_crypto(line, c) == SdesError::ok) {
      ASSERT_LE(c.policy.mki_length, kSrtpMaxMkiLength);  // only well-formed lines parse
    }
    const auto bytes = random_bytes(rng, 24);
    TelephoneEvent e;
    if (parse_telephone_event(bytes, e) == TelephoneEventError::ok) {
      ASSERT_LE(e.event, kDtmfEventFlash);
    }
    CnPayload cn;
    if (parse_cn_payload(bytes, cn) == CnError::ok) {
      ASSERT_LE(cn.level, 127);
    }
  }
}

TEST(HostileInput, G729DecoderTakesRandomFrames) {
  G729Decoder decoder;
  std::mt19937 rng(4);
  std::vector<int16_t> pcm(8 * 80);
  for (int i = 0; i < 2000; ++i) {
    const auto payload = random_bytes(rng, 70);
    std::size_t samples = 0;
    const G729PayloadError e = decoder.decode_payload(payload, pcm, samples);
    if (e == G729PayloadError::ok) {
      ASSERT_LE(samples, pcm.size());
    }
  }
}

}  // namespace
}  // namespace trunkgate::media
