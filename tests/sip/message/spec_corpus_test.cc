// Every example message extracted from the five specifications (tests/sip/corpus/spec-*/, see the
// README there for the transcription fixes) must parse, SDP and multipart bodies included.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "sip/message/message.h"
#include "sip/sdp/message_sdp.h"
#include "tests/sip/corpus_file.h"

namespace trunkgate::sip {
namespace {

std::map<std::string, std::vector<std::filesystem::path>> spec_files() {
  std::map<std::string, std::vector<std::filesystem::path>> out;
  for (const auto& dir : std::filesystem::directory_iterator(test::corpus_path(""))) {
    const std::string name = dir.path().filename().string();
    if (!dir.is_directory() || !name.starts_with("spec-")) continue;
    for (const auto& file : std::filesystem::directory_iterator(dir.path())) {
      if (file.path().extension() == ".sip") out[name].push_back(file.path());
    }
  }
  return out;
}

TEST(SpecCorpus, EveryExampleMessageParses) {
  const auto files = spec_files();
  std::size_t total = 0;
  for (const auto& [spec, paths] : files) {
    for (const auto& path : paths) {
      const std::string relative = spec + "/" + path.filename().string();
      const auto msg = SipMessage::parse(test::read_corpus(relative));
      ASSERT_TRUE(msg.ok()) << relative << ": " << to_string(msg.failure());
      const auto sdps = sdp::sdp_parts(*msg);
      EXPECT_TRUE(sdps.ok()) << relative << ": " << (sdps ? "" : to_string(sdps.failure()));
      EXPECT_FALSE(msg->call_id().empty()) << relative;
      ++total;
    }
  }
  // The extraction yields messages from the 8x8, CUCM, Microsoft and NEC documents.
  EXPECT_GE(files.size(), 4u);
  EXPECT_GE(total, 300u);
}

}  // namespace
}  // namespace trunkgate::sip
