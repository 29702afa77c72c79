// Reads a file of the test corpus (tests/sip/corpus) as bytes.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace trunkgate::sip::test {

inline std::string corpus_path(const std::string& relative) {
  return std::string(SIP_CORPUS_DIR) + "/" + relative;
}

inline std::string read_corpus(const std::string& relative) {
  std::ifstream in(corpus_path(relative), std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace trunkgate::sip::test
