// Google Benchmark: parse and serialize a realistic ~1 KB carrier INVITE with SDP (the shape of the
// 8x8 trunk examples in shared/specs/000). Results and the command go to docs/BENCHMARKS.md.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message/message.h"
#include "sip/sdp/message_sdp.h"

namespace {

constexpr std::string_view kSdp =
    "v=0\r\n"
    "o=- 1700000000 1700000001 IN IP4 198.51.100.20\r\n"
    "s=SIP Call\r\n"
    "c=IN IP4 198.51.100.20\r\n"
    "t=0 0\r\n"
    "m=audio 30000 RTP/AVP 0 18 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=fmtp:18 annexb=no\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

std::string make_invite() {
  std::string msg =
      "INVITE sip:+14085551234@trunk.example.net;user=phone SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-524287-1---77ba8c5f1d6e;rport\r\n"
      "Max-Forwards: 70\r\n"
      "Contact: <sip:+16505550100@198.51.100.20:5060;transport=udp>\r\n"
      "To: <sip:+14085551234@trunk.example.net;user=phone>\r\n"
      "From: \"Alice Example\" <sip:+16505550100@pbx.example.com;user=phone>;tag=9fxced76sl\r\n"
      "Call-ID: 3848276298220188511@198.51.100.20\r\n"
      "CSeq: 101 INVITE\r\n"
      "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, PRACK, UPDATE\r\n"
      "Supported: 100rel, timer, replaces\r\n"
      "Session-Expires: 1800;refresher=uac\r\n"
      "Min-SE: 90\r\n"
      "Remote-Party-ID: \"Alice Example\" <sip:+16505550100@pbx.example.com>;party=calling;"
      "screen=yes;privacy=off\r\n"
      "P-Asserted-Identity: <sip:+16505550100@pbx.example.com;user=phone>\r\n"
      "User-Agent: trunkgate-bench/1.0\r\n"
      "Content-Type: application/sdp\r\n"
      "Content-Length: ";
  msg += std::to_string(kSdp.size());
  msg += "\r\n\r\n";
  msg += kSdp;
  return msg;
}

const std::string& invite() {
  static const std::string text = make_invite();
  return text;
}

void BM_ParseInvite(benchmark::State& state) {
  for (auto _ : state) {
    auto msg = trunkgate::sip::SipMessage::parse(std::string_view(invite()));
    benchmark::DoNotOptimize(msg);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * invite().size()));
}
BENCHMARK(BM_ParseInvite);

// The transport's hand-over: SipMessage::parse(std::string&&) takes the received bytes as an owned
// string, so there is no copy into the message's buffer. The strings are made in untimed batches
// (the pause costs ~1 µs, a few ns per message over a batch); 64 messages stay in L2 as a just
// received datagram would. Freeing the buffer when the message dies is timed, as in BM_ParseInvite.
void BM_ParseInviteOwned(benchmark::State& state) {
  constexpr std::size_t kBatch = 64;
  std::vector<std::string> batch(kBatch);
  std::size_t next = kBatch;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      for (auto& s : batch) s = invite();
      next = 0;
      state.ResumeTiming();
    }
    auto msg = trunkgate::sip::SipMessage::parse(std::move(batch[next++]));
    benchmark::DoNotOptimize(msg);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * invite().size()));
}
BENCHMARK(BM_ParseInviteOwned);

void BM_ParseInviteAndSdp(benchmark::State& state) {
  for (auto _ : state) {
    auto msg = trunkgate::sip::SipMessage::parse(std::string_view(invite()));
    auto sdp = trunkgate::sip::sdp::sdp_parts(*msg);
    benchmark::DoNotOptimize(sdp);
  }
}
BENCHMARK(BM_ParseInviteAndSdp);

void BM_ParseSerializeInvite(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    auto msg = trunkgate::sip::SipMessage::parse(std::string_view(invite()));
    out.clear();
    msg->serialize_to(out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ParseSerializeInvite);

}  // namespace

BENCHMARK_MAIN();
