#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "controlplane/cdr/cdr.h"

using namespace trunkgate::cp;

namespace {

CdrRecord sample(int i) {
  CdrRecord r;
  r.id = "call-" + std::to_string(i);
  r.calling = "+14665554321";
  r.called = "+19665551234";
  r.setup_ms = 1700000000000;
  r.answer_ms = 1700000001000;
  r.end_ms = 1700000061000;
  r.final_status = 200;
  r.ended_by = "inbound";
  r.inbound = {"cucm", "a@b", "PCMU", "BYE", 3000, 2999, 1};
  r.outbound = {"8x8", "c@d", "G729", "BYE", 2999, 3000, 0};
  return r;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

TEST(Cdr, JsonLineHasEveryFieldAndEscapesHostileText) {
  CdrRecord r = sample(1);
  r.calling = "\"Mallory\"\\\n\x01";
  const std::string j = to_json(r);
  EXPECT_EQ(j.find('\n'), std::string::npos);
  EXPECT_NE(j.find(R"("calling":"\"Mallory\"\\\u000a\u0001")"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("inbound":{"trunk":"cucm","call_id":"a@b","codec":"PCMU","disconnect_cause":"BYE","packets_received":3000,"packets_sent":2999,"packets_dropped":1})"),
            std::string::npos)
      << j;
  EXPECT_EQ(j.front(), '{');
  EXPECT_EQ(j.back(), '}');
  EXPECT_NE(j.find(R"("final_status":200,)"), std::string::npos);
}

TEST(Cdr, EveryRecordIsOnDiskAfterTheWriterCloses) {
  const std::string path = "/tmp/tg-cdr-" + std::to_string(getpid()) + ".jsonl";
  unlink(path.c_str());
  {
    CdrWriter w(path);
    ASSERT_TRUE(w.ok()) << w.error();
    for (int i = 0; i < 1000; ++i) w.write(sample(i));
    EXPECT_EQ(w.written(), 1000u);
  }
  const auto lines = lines_of(path);
  ASSERT_EQ(lines.size(), 1000u);
  EXPECT_EQ(lines[999], to_json(sample(999)));
  // Appending: a second writer adds, never truncates.
  { CdrWriter(path).write(sample(1000)); }
  EXPECT_EQ(lines_of(path).size(), 1001u);
  unlink(path.c_str());
}

TEST(Cdr, RecordsThatCannotBeWrittenAreKeptNotLost) {
  CdrWriter w("/dev/full");  // every write fails with ENOSPC
  ASSERT_TRUE(w.ok()) << w.error();
  for (int i = 0; i < 5; ++i) w.write(sample(i));
  EXPECT_EQ(w.pending(), 5u);
  EXPECT_EQ(w.written(), 0u);
  EXPECT_EQ(w.dropped(), 0u);
  EXPECT_NE(w.error().find("No space left"), std::string::npos) << w.error();
}

TEST(Cdr, UnopenableFileSaysWhy) {
  CdrWriter w("/nonexistent-dir/cdr.jsonl");
  EXPECT_FALSE(w.ok());
  EXPECT_NE(w.error().find("/nonexistent-dir/cdr.jsonl"), std::string::npos);
}

}  // namespace
