// SRTP protect and protect+unprotect of a 160-byte payload (20 ms of G.711): the IPsec-MB path
// against libsrtp2 with the same keys and suite. Items processed = packets, so Google Benchmark
// reports packets/s.
#include <benchmark/benchmark.h>

#include <cstring>
#include <vector>

#include "media/srtp/srtp_stream.h"
#include "tests/media/libsrtp_peer.h"
#include "tests/media/rtp_samples.h"

namespace trunkgate::media {
namespace {

SrtpPolicy bench_policy(SrtpSuite suite) {
  SrtpPolicy p;
  p.suite = suite;
  for (std::size_t i = 0; i < kSrtpMasterKeyLength; ++i) p.master_key[i] = static_cast<uint8_t>(i);
  for (std::size_t i = 0; i < kSrtpMasterSaltLength; ++i) p.master_salt[i] = static_cast<uint8_t>(i * 5);
  return p;
}

// Suite argument: 80 and 32 for the HMAC-SHA1 tag bits, 7714 for AEAD_AES_128_GCM.
SrtpSuite suite_of(const benchmark::State& state) {
  return state.range(0) == 80   ? SrtpSuite::aes_cm_128_hmac_sha1_80
         : state.range(0) == 32 ? SrtpSuite::aes_cm_128_hmac_sha1_32
                                : SrtpSuite::aead_aes_128_gcm;
}

// The IPsec-MB manager the suite ran on (the default engine runs GCM on a manager of its own).
const char* manager_of(const AesHmacEngine& engine, const benchmark::State& state) {
  return suite_of(state) == SrtpSuite::aead_aes_128_gcm ? engine.gcm_arch_name()
                                                        : engine.arch_name();
}

// The sequence number advances every packet, so the ROC and replay logic run as in a call.
void set_sequence(uint8_t* packet, uint16_t seq) {
  packet[2] = static_cast<uint8_t>(seq >> 8);
  packet[3] = static_cast<uint8_t>(seq);
}

// Copies the template packet, gives it the next sequence number and protects it.
std::size_t protect_next(AesHmacEngine& engine, SrtpStream& tx, const std::vector<uint8_t>& plain,
                         uint8_t (&buffer)[256], uint16_t& seq) {
  std::memcpy(buffer, plain.data(), plain.size());
  set_sequence(buffer, seq++);
  std::size_t out = 0;
  srtp_protect(engine, tx, buffer, plain.size(), sizeof buffer, out);
  return out;
}

// An engine for an ISA this CPU lacks is not valid(): the benchmark reports it skipped.
bool usable(const AesHmacEngine& engine, benchmark::State& state) {
  if (!engine.valid()) state.SkipWithError("IPsec-MB manager not available on this CPU");
  return engine.valid();
}

EngineIsa isa_of(const benchmark::State& state) { return static_cast<EngineIsa>(state.range(1)); }

void BM_IpsecMbProtect(benchmark::State& state) {
  AesHmacEngine engine(isa_of(state));
  if (!usable(engine, state)) return;
  SrtpStream tx;
  srtp_stream_init(engine, bench_policy(suite_of(state)), tx);
  const auto plain = test::make_rtp(0, 0x1234, 160, 0);
  uint8_t buffer[256];
  uint16_t seq = 0;
  for (auto _ : state) benchmark::DoNotOptimize(protect_next(engine, tx, plain, buffer, seq));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(manager_of(engine, state));
}

void BM_IpsecMbProtectUnprotect(benchmark::State& state) {
  AesHmacEngine engine(isa_of(state));
  if (!usable(engine, state)) return;
  SrtpStream tx;
  SrtpStream rx;
  srtp_stream_init(engine, bench_policy(suite_of(state)), tx);
  srtp_stream_init(engine, bench_policy(suite_of(state)), rx);
  const auto plain = test::make_rtp(0, 0x1234, 160, 0);
  uint8_t buffer[256];
  uint16_t seq = 0;
  for (auto _ : state) {
    const std::size_t out = protect_next(engine, tx, plain, buffer, seq);
    std::size_t back = 0;
    if (srtp_unprotect(engine, rx, buffer, out, back) != SrtpStatus::ok) state.SkipWithError("unprotect");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(manager_of(engine, state));
}

void BM_LibsrtpProtect(benchmark::State& state) {
  test::LibsrtpPeer tx(bench_policy(suite_of(state)), false);
  const auto plain = test::make_rtp(0, 0x1234, 160, 0);
  std::vector<uint8_t> buffer;
  buffer.reserve(256);
  uint16_t seq = 0;
  for (auto _ : state) {
    buffer.assign(plain.begin(), plain.end());
    set_sequence(buffer.data(), seq++);
    benchmark::DoNotOptimize(tx.protect(buffer));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_LibsrtpProtectUnprotect(benchmark::State& state) {
  test::LibsrtpPeer tx(bench_policy(suite_of(state)), false);
  test::LibsrtpPeer rx(bench_policy(suite_of(state)), true);
  const auto plain = test::make_rtp(0, 0x1234, 160, 0);
  std::vector<uint8_t> buffer;
  buffer.reserve(256);
  uint16_t seq = 0;
  for (auto _ : state) {
    buffer.assign(plain.begin(), plain.end());
    set_sequence(buffer.data(), seq++);
    tx.protect(buffer);
    if (rx.unprotect(buffer) != srtp_err_status_ok) state.SkipWithError("unprotect");
  }
  state.SetItemsProcessed(state.iterations());
}

// The raw engine: 32 AES-CTR + HMAC-SHA1 jobs of SRTP's shape per call (the relay's protect:
// 160 bytes encrypted, 176 + 4 bytes authenticated), so the multi-buffer lanes fill; shows what
// the crypto alone costs per packet. Args: part (0 both chained, 1 AES-CTR only, 2 HMAC-SHA1
// only), EngineIsa (2 sse, 3 avx2, 4 avx512).
void BM_IpsecMbBurstJobs(benchmark::State& state) {
  AesHmacEngine engine(static_cast<EngineIsa>(state.range(1)));
  if (!usable(engine, state)) return;
  SrtpStream s;
  srtp_stream_init(engine, bench_policy(SrtpSuite::aes_cm_128_hmac_sha1_80), s);
  constexpr std::size_t kBurst = AesHmacEngine::kMaxBurst;
  static uint8_t packets[kBurst][256];
  alignas(16) static uint8_t iv[16] = {};
  static uint8_t tags[kBurst][kMaxTagOutput];
  CipherMacJob jobs[kBurst];
  for (std::size_t i = 0; i < kBurst; ++i) {
    jobs[i].buffer = packets[i];
    jobs[i].cipher_offset = 12;
    jobs[i].cipher_length = 160;
    jobs[i].mac_length = 176 + 4;
    jobs[i].iv = iv;
    jobs[i].cipher_key = state.range(0) == 2 ? nullptr : &s.rtp_keys.cm.cipher;
    jobs[i].mac_key = state.range(0) == 1 ? nullptr : &s.rtp_keys.cm.auth;
    jobs[i].tag_out = tags[i];
  }
  for (auto _ : state)
    benchmark::DoNotOptimize(engine.run_burst(jobs, kBurst, CipherDirection::encrypt_then_mac));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBurst));
  state.SetLabel(engine.arch_name());
}
BENCHMARK(BM_IpsecMbBurstJobs)->ArgsProduct({{0, 1, 2}, {2, 3, 4}});

// Bursts of 32 packets of one flow through the burst API: protect, or protect then unprotect
// (the relay's per-packet work: one unprotect on the ingress leg, one protect on the egress).
void BM_IpsecMbBurst(benchmark::State& state) {
  const bool unprotect = state.range(0) != 0;
  AesHmacEngine engine(static_cast<EngineIsa>(state.range(1)));
  if (!usable(engine, state)) return;
  SrtpStream tx;
  SrtpStream rx;
  srtp_stream_init(engine, bench_policy(SrtpSuite::aes_cm_128_hmac_sha1_80), tx);
  srtp_stream_init(engine, bench_policy(SrtpSuite::aes_cm_128_hmac_sha1_80), rx);
  constexpr std::size_t kBurst = AesHmacEngine::kMaxBurst;
  const auto plain = test::make_rtp(0, 0x1234, 160, 0);
  static uint8_t buffers[kBurst][256];
  SrtpBurstItem items[kBurst];
  uint16_t seq = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBurst; ++i) {
      std::memcpy(buffers[i], plain.data(), plain.size());
      set_sequence(buffers[i], seq++);
      items[i] = {&tx, buffers[i], plain.size(), sizeof buffers[i], 0, SrtpStatus::ok};
    }
    srtp_protect_burst(engine, items);
    if (!unprotect) continue;
    for (auto& item : items) {
      item.stream = &rx;
      item.length = item.out_length;
    }
    srtp_unprotect_burst(engine, items);
    if (items[kBurst - 1].status != SrtpStatus::ok) state.SkipWithError("unprotect");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBurst));
  state.SetLabel(engine.arch_name());
}
// Args: 0 protect / 1 protect+unprotect; EngineIsa 2 sse (SHA-NI), 3 avx2, 4 avx512.
BENCHMARK(BM_IpsecMbBurst)->ArgsProduct({{0, 1}, {2, 3, 4}});

// Args: suite (80, 32, 7714), EngineIsa (0 best single-packet, 2 sse, 3 avx2, 4 avx512).
BENCHMARK(BM_IpsecMbProtect)->ArgsProduct({{80, 32, 7714}, {0, 2, 3, 4}});
BENCHMARK(BM_LibsrtpProtect)->Arg(80)->Arg(32)->Arg(7714);
BENCHMARK(BM_IpsecMbProtectUnprotect)->ArgsProduct({{80, 32, 7714}, {0, 2, 3, 4}});
BENCHMARK(BM_LibsrtpProtectUnprotect)->Arg(80)->Arg(32)->Arg(7714);

}  // namespace
}  // namespace trunkgate::media
