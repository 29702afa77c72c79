// Known-answer tests from the RFC examples.
#include "sip/auth/digest_response.h"

#include <gtest/gtest.h>

namespace trunkgate::sip {
namespace {

// RFC 2617 section 3.5.
TEST(DigestResponse, Rfc2617Section35) {
  const std::string ha1 =
      DigestHa1(DigestAlgorithm::kMd5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  EXPECT_EQ(DigestResponse({DigestAlgorithm::kMd5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET",
                            "/dir/index.html", true, "00000001", "0a4f113b"}),
            "6629fae49393a05397450978507c4ef1");
}

// RFC 7616 section 3.9.1 (password "Circle of Life" with a lower-case o, erratum 4495).
DigestResponseInput Rfc7616Input(DigestAlgorithm algorithm, const std::string& ha1) {
  return {algorithm,
          ha1,
          "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
          "GET",
          "/dir/index.html",
          true,
          "00000001",
          "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"};
}

TEST(DigestResponse, Rfc7616Section391Md5) {
  const std::string ha1 =
      DigestHa1(DigestAlgorithm::kMd5, "Mufasa", "http-auth@example.org", "Circle of Life");
  EXPECT_EQ(DigestResponse(Rfc7616Input(DigestAlgorithm::kMd5, ha1)),
            "8ca523f5e9506fed4657c9700eebdbec");
}

TEST(DigestResponse, Rfc7616Section391Sha256) {
  const std::string ha1 =
      DigestHa1(DigestAlgorithm::kSha256, "Mufasa", "http-auth@example.org", "Circle of Life");
  EXPECT_EQ(DigestResponse(Rfc7616Input(DigestAlgorithm::kSha256, ha1)),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST(DigestResponse, WithoutQopIgnoresNcAndCnonce) {
  const std::string ha1 = DigestHa1(DigestAlgorithm::kMd5, "u", "r", "p");
  DigestResponseInput a{
      DigestAlgorithm::kMd5, ha1, "n", "INVITE", "sip:x@y", false, "00000001", "a"};
  DigestResponseInput b = a;
  b.nc = "00000002";
  b.cnonce = "b";
  EXPECT_EQ(DigestResponse(a), DigestResponse(b));
  a.qop_auth = true;
  EXPECT_NE(DigestResponse(a), DigestResponse(b));
}

}  // namespace
}  // namespace trunkgate::sip
