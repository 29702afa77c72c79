// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): one `# HELP` and one `# TYPE`
// line per metric family, then its samples, each `name{label="value",...} value`.
// HELP text escapes '\' and line feed; label values escape '\', '"' and line feed. Metric and
// label names are checked against the format's grammar: a bad name is a programming error
// (std::invalid_argument), as is a family written twice or a sample outside its family.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace trunkgate::cp {

enum class MetricType { kCounter, kGauge };

using MetricLabels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class ExpositionWriter {
 public:
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // Starts the family `name`: its samples follow, until the next family.
  void family(std::string_view name, MetricType type, std::string_view help);
  // A sample of the current family.
  void sample(MetricLabels labels, uint64_t value);
  void sample(MetricLabels labels, double value);  // NaN, +Inf, -Inf as the format spells them
  // A family with a single sample without labels.
  void single(std::string_view name, MetricType type, std::string_view help, uint64_t value);

  const std::string& text() const { return out_; }

  static bool valid_metric_name(std::string_view name);
  static bool valid_label_name(std::string_view name);

 private:
  void sample_start(MetricLabels labels);

  std::string out_;
  std::string current_;  // the family samples belong to
  std::set<std::string, std::less<>> families_;
};

}  // namespace trunkgate::cp
