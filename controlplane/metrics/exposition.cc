#include "controlplane/metrics/exposition.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace trunkgate::cp {
namespace {

bool name_char(char c, bool first, bool colon_allowed) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (letter || (colon_allowed && c == ':')) return true;
  return !first && c >= '0' && c <= '9';
}

bool valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, colon_allowed)) return false;
  return true;
}

// HELP: backslash and line feed; label values also the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\')
      out.append("\\\\");
    else if (c == '\n')
      out.append("\\n");
    else if (quote && c == '"')
      out.append("\\\"");
    else
      out.push_back(c);
  }
}

}  // namespace

bool ExpositionWriter::valid_metric_name(std::string_view name) {
  return valid_name(name, true);
}

// Names starting with "__" are reserved for Prometheus itself.
bool ExpositionWriter::valid_label_name(std::string_view name) {
  return valid_name(name, false) && name.substr(0, 2) != "__";
}

void ExpositionWriter::family(std::string_view name, MetricType type, std::string_view help) {
  if (!valid_metric_name(name))
    throw std::invalid_argument("metric name '" + std::string(name) + "' is not valid");
  if (!families_.emplace(name).second)
    throw std::invalid_argument("metric family '" + std::string(name) + "' written twice");
  current_ = name;
  out_.append("# HELP ").append(name).append(" ");
  append_escaped(out_, help, false);
  out_.append("\n# TYPE ")
      .append(name)
      .append(type == MetricType::kCounter ? " counter\n" : " gauge\n");
}

void ExpositionWriter::sample_start(MetricLabels labels) {
  if (current_.empty()) throw std::invalid_argument("a sample before any metric family");
  out_.append(current_);
  if (labels.size() == 0) {
    out_.push_back(' ');
    return;
  }
  out_.push_back('{');
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!valid_label_name(name))
      throw std::invalid_argument("label name '" + std::string(name) + "' of " + current_ +
                                  " is not valid");
    if (!first) out_.push_back(',');
    first = false;
    out_.append(name).append("=\"");
    append_escaped(out_, value, true);
    out_.push_back('"');
  }
  out_.append("} ");
}

void ExpositionWriter::sample(MetricLabels labels, uint64_t value) {
  sample_start(labels);
  out_.append(std::to_string(value)).push_back('\n');
}

void ExpositionWriter::sample(MetricLabels labels, double value) {
  sample_start(labels);
  if (std::isnan(value)) {
    out_.append("NaN");
  } else if (std::isinf(value)) {
    out_.append(value > 0 ? "+Inf" : "-Inf");
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof(buf), value);  // shortest exact form
    out_.append(buf, r.ptr);
  }
  out_.push_back('\n');
}

void ExpositionWriter::single(std::string_view name, MetricType type, std::string_view help,
                              uint64_t value) {
  family(name, type, help);
  sample({}, value);
}

}  // namespace trunkgate::cp
