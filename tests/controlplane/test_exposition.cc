// The Prometheus text format writer: HELP/TYPE lines, escaping, number forms, and refusal of
// names the format does not allow.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "controlplane/metrics/call_counters.h"
#include "controlplane/metrics/exposition.h"

namespace trunkgate::cp {
namespace {

TEST(Exposition, FamilyHasHelpTypeAndSamples) {
  ExpositionWriter w;
  w.family("tg_calls_total", MetricType::kCounter, "Calls.");
  w.sample({{"trunk", "pbx"}}, uint64_t{3});
  w.sample({{"trunk", "carrier"}, {"code", "486"}}, uint64_t{18446744073709551615u});
  w.single("tg_in_progress", MetricType::kGauge, "Now.", 7);
  EXPECT_EQ(w.text(),
            "# HELP tg_calls_total Calls.\n"
            "# TYPE tg_calls_total counter\n"
            "tg_calls_total{trunk=\"pbx\"} 3\n"
            "tg_calls_total{trunk=\"carrier\",code=\"486\"} 18446744073709551615\n"
            "# HELP tg_in_progress Now.\n"
            "# TYPE tg_in_progress gauge\n"
            "tg_in_progress 7\n");
}

TEST(Exposition, LabelValuesEscapeBackslashQuoteAndLineFeed) {
  ExpositionWriter w;
  w.family("tg_x", MetricType::kGauge, "x");
  w.sample({{"trunk", "a\\b\"c\nd"}}, uint64_t{1});
  EXPECT_NE(w.text().find("tg_x{trunk=\"a\\\\b\\\"c\\nd\"} 1\n"), std::string::npos) << w.text();
}

TEST(Exposition, HelpEscapesBackslashAndLineFeedButNotQuotes) {
  ExpositionWriter w;
  w.family("tg_x", MetricType::kGauge, "one \"two\"\nthree \\ four");
  EXPECT_EQ(w.text().substr(0, w.text().find('\n') + 1),
            "# HELP tg_x one \"two\"\\nthree \\\\ four\n");
}

TEST(Exposition, FloatingValuesInTheFormatsSpelling) {
  ExpositionWriter w;
  w.family("tg_f", MetricType::kGauge, "f");
  w.sample({{"v", "half"}}, 0.5);
  w.sample({{"v", "nan"}}, std::nan(""));
  w.sample({{"v", "inf"}}, std::numeric_limits<double>::infinity());
  w.sample({{"v", "-inf"}}, -std::numeric_limits<double>::infinity());
  w.sample({{"v", "exact"}}, 0.1);
  EXPECT_NE(w.text().find("tg_f{v=\"half\"} 0.5\n"), std::string::npos);
  EXPECT_NE(w.text().find("tg_f{v=\"nan\"} NaN\n"), std::string::npos);
  EXPECT_NE(w.text().find("tg_f{v=\"inf\"} +Inf\n"), std::string::npos);
  EXPECT_NE(w.text().find("tg_f{v=\"-inf\"} -Inf\n"), std::string::npos);
  EXPECT_NE(w.text().find("tg_f{v=\"exact\"} 0.1\n"), std::string::npos);  // shortest exact form
}

TEST(Exposition, NamesFollowTheGrammar) {
  EXPECT_TRUE(ExpositionWriter::valid_metric_name("trunkgate_calls_total"));
  EXPECT_TRUE(ExpositionWriter::valid_metric_name("job:rate5m"));
  EXPECT_TRUE(ExpositionWriter::valid_metric_name("_x9"));
  EXPECT_FALSE(ExpositionWriter::valid_metric_name(""));
  EXPECT_FALSE(ExpositionWriter::valid_metric_name("9calls"));
  EXPECT_FALSE(ExpositionWriter::valid_metric_name("calls-total"));
  EXPECT_FALSE(ExpositionWriter::valid_metric_name("calls total"));
  EXPECT_TRUE(ExpositionWriter::valid_label_name("trunk"));
  EXPECT_FALSE(ExpositionWriter::valid_label_name("a:b"));       // colons only in metric names
  EXPECT_FALSE(ExpositionWriter::valid_label_name("__name__"));  // reserved
  EXPECT_FALSE(ExpositionWriter::valid_label_name("1x"));
}

TEST(Exposition, MisuseIsRefused) {
  ExpositionWriter w;
  EXPECT_THROW(w.sample({}, uint64_t{1}), std::invalid_argument);  // no family yet
  EXPECT_THROW(w.family("bad-name", MetricType::kGauge, "x"), std::invalid_argument);
  w.family("tg_ok", MetricType::kGauge, "x");
  EXPECT_THROW(w.family("tg_ok", MetricType::kGauge, "x"), std::invalid_argument);  // twice
  EXPECT_THROW(w.sample({{"bad-label", "v"}}, uint64_t{1}), std::invalid_argument);
}

TEST(CallCounters, ResultsByTrunkCodeAndStandardReason) {
  CallCounters c;
  c.inbound_attempt("pbx");
  c.inbound_attempt("pbx");
  c.inbound_result("pbx", 200);
  c.inbound_result("pbx", 486);
  c.outbound_attempt("carrier");
  c.outbound_failure("carrier", "timeout");
  const TrunkCallCounters& pbx = c.inbound().at("pbx");
  EXPECT_EQ(pbx.attempts, 2u);
  EXPECT_EQ(pbx.results.at({200, "OK"}), 1u);
  EXPECT_EQ(pbx.results.at({486, "Busy Here"}), 1u);
  EXPECT_EQ(c.outbound().at("carrier").results.at({0, "timeout"}), 1u);
  EXPECT_EQ(standard_reason_phrase(503), "Service Unavailable");
  EXPECT_EQ(standard_reason_phrase(499), "Unknown 4xx");  // never the peer's own phrase
  EXPECT_EQ(standard_reason_phrase(0), "none");
}

}  // namespace
}  // namespace trunkgate::cp
