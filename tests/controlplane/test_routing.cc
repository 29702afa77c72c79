#include <gtest/gtest.h>

#include "controlplane/routing/number.h"
#include "controlplane/routing/route_table.h"

using namespace trunkgate::cp;

namespace {

std::string norm(const std::string& text, const DialPlan& plan = {}) {
  const NumberResult r = normalize(text, plan);
  return r.number ? r.number->e164() : std::string("error: ") + to_string(r.error);
}

TEST(Number, SpecExamplesNormalizeToE164) {
  // spec 000: "+19665551234", "19665551234" and the To display "19665551234" are one number.
  EXPECT_EQ(norm("+19665551234"), "+19665551234");
  EXPECT_EQ(norm("19665551234"), "+19665551234");
  EXPECT_EQ(norm("9665551234"), "+19665551234");  // a PBX dialing 10 digits
  EXPECT_EQ(norm("+1-966-555-1234"), "+19665551234");  // RFC 3966 visual separators
  EXPECT_EQ(norm("(966) 555.1234"), "+19665551234");
  EXPECT_EQ(norm("011442071234567"), "+442071234567");
}

TEST(Number, EmergencyCodesAreTheirOwnClass) {
  const NumberResult plain = normalize("911", {});
  ASSERT_TRUE(plain.number);
  EXPECT_EQ(plain.number->cls, NumberClass::kEmergency);
  EXPECT_EQ(plain.number->e164(), "911");
  const NumberResult plus = normalize("+1911", {});  // spec 000 e911: "911" or "+1911"
  ASSERT_TRUE(plus.number);
  EXPECT_EQ(plus.number->cls, NumberClass::kEmergency);
  EXPECT_EQ(plus.number->digits, "911");
}

TEST(Number, RejectsWhatIsNotACompleteNumber) {
  EXPECT_EQ(norm(""), "error: empty number");
  EXPECT_EQ(norm("5551234"), "error: not a complete number under the trunk's dial plan");
  EXPECT_EQ(norm("alice"), "error: not a telephone number (bad character)");
  EXPECT_EQ(norm("+1234567890123456"), "error: more than 15 digits");
  EXPECT_EQ(norm("+12"), "error: too few digits");
  EXPECT_EQ(norm("1+9665551234"), "error: not a telephone number (bad character)");
  EXPECT_EQ(norm(std::string(10000, '9')), "error: more than 15 digits");
}

TEST(Number, FormatsPerTrunk) {
  const Number n = *normalize("9665551234", {}).number;
  DialPlan plan;
  EXPECT_EQ(format(n, plan), "+19665551234");
  plan.format = DialPlan::Format::kE164;
  EXPECT_EQ(format(n, plan), "19665551234");
  plan.format = DialPlan::Format::kNational;
  EXPECT_EQ(format(n, plan), "9665551234");
  EXPECT_EQ(format(*normalize("+442071234567", {}).number, plan), "011442071234567");
  EXPECT_EQ(format(*normalize("+1911", {}).number, plan), "911");
}

TEST(RouteTable, LongestPrefixWinsAndEmergencyIsSeparate) {
  std::string err;
  auto t = RouteTable::build({{"default", "", false, {"carrier-a", "carrier-b"}},
                              {"nanp", "1", false, {"carrier-a"}},
                              {"966", "1966", false, {"carrier-b"}},
                              {"e911", "911", true, {"e911-trunk"}}},
                             err);
  ASSERT_TRUE(t) << err;
  EXPECT_EQ(t->match(*normalize("9665551234", {}).number)->name, "966");
  EXPECT_EQ(t->match(*normalize("4665551234", {}).number)->name, "nanp");
  EXPECT_EQ(t->match(*normalize("+442071234567", {}).number)->name, "default");
  EXPECT_EQ(t->match(*normalize("911", {}).number)->name, "e911");
  // An E.164 number that begins with 911 is not an emergency call.
  EXPECT_EQ(t->match(*normalize("+9115551234", {}).number)->name, "default");
}

TEST(RouteTable, NoMatchAndBadTables) {
  std::string err;
  auto t = RouteTable::build({{"uk", "44", false, {"x"}}}, err);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->match(*normalize("911", {}).number), nullptr);
  EXPECT_FALSE(RouteTable::build({{"a", "1", false, {}}}, err));
  EXPECT_EQ(err, "route 'a': no trunks");
  EXPECT_FALSE(RouteTable::build({{"a", "+1", false, {"x"}}}, err));
  EXPECT_NE(err.find("digits only"), std::string::npos);
  EXPECT_FALSE(RouteTable::build({{"a", "1", false, {"x"}}, {"b", "1", false, {"y"}}}, err));
  EXPECT_EQ(err, "route 'b': another route has prefix '1'");
}

}  // namespace
