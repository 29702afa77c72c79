// trunkgatectl's output: aligned tables for people, JSON (one document per answer, one line per
// streamed event) for scripts.
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <vector>

namespace trunkgate::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns padded to their widest cell, two spaces apart.
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// The message as JSON with the .proto's field names and every field, default values included.
std::string to_json(const google::protobuf::Message& message, bool pretty);

// "name: value" lines, one per pair, names aligned.
std::string key_values(const std::vector<std::pair<std::string, std::string>>& pairs);

std::string yes_no(bool b);
std::string join(const google::protobuf::RepeatedPtrField<std::string>& items, const char* sep);

}  // namespace trunkgate::ctl
