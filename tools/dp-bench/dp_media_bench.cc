// trunkgate-dp-media-bench: treated flows through the real worker on one core.
//
// SRTP relay: N flows, each unprotecting SRTP (key A) and protecting again (key B), 160-byte RTP
// payloads (AES_CM_128_HMAC_SHA1_80: 224-byte frames). The benchmark generates fresh SRTP packets
// (increasing sequence numbers per flow, protected with the media library outside the timed
// region), hands them to the worker's RX ring 64 at a time and counts only the cycles spent in
// Worker::poll_once. The same run without treatment gives the plain relay rate of this generator
// mode for comparison. Suites: AES_CM_128_HMAC_SHA1_80, _32, AEAD_AES_128_GCM. Three rates: the
// mean over the run, and the median and 10th percentile over 64-packet batches, which leave out
// batches the benchmark was descheduled in (a machine shared with other work).
//
// Transcoding: S sessions of two flows each (PCMA -> G.729 and G.729 -> PCMA, 20 ms), one packet
// per flow per 20 ms tick. Each tick's packets are delivered at once and the worker runs until it
// has sent everything; the worker cycles per tick against the 20 ms budget give sessions per core
// at real-time pacing. Loss is counted (outputs expected: one per input), and bcg729's own
// encode + decode cost per session tick is measured for comparison.
//
// Transcoding latency: the same sessions, every tick's packets delivered at once (the worst case:
// all calls' packets aligned); each packet's added latency is the time from that delivery until
// the worker has put its transcoded output on the TX ring (observed after every poll, so a whole
// burst shares its TX time, as on a NIC). p50 and p99 over all packets; with 1 session it is the
// bare per-packet processing latency. Algorithmic delay (G.729's 5 ms look-ahead is inside the
// codec; 20 ms in, 20 ms out adds no repacketization wait) is not included.
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "dataplane/core/checksum.h"
#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "media/srtp/srtp_stream.h"
#include "tools/dp-bench/bench_worker.h"

using namespace trunkgate::bench;
namespace media = trunkgate::media;

namespace {

constexpr unsigned kHeaders = 14 + 20 + 8;
constexpr unsigned kRtpHeader = 12;
constexpr unsigned kSrtpPayload = 160;

void fill_key(uint8_t seed, ch::SrtpSuite suite, ch::SrtpParams& p) {
  p.suite = static_cast<uint8_t>(suite);
  for (unsigned i = 0; i < sizeof p.master_key; ++i) p.master_key[i] = static_cast<uint8_t>(seed + i);
  for (unsigned i = 0; i < sizeof p.master_salt; ++i) p.master_salt[i] = static_cast<uint8_t>(seed * 3 + i);
}

media::SrtpPolicy policy_of(const ch::SrtpParams& p) {
  media::SrtpPolicy policy;
  if (p.suite == static_cast<uint8_t>(ch::SrtpSuite::kAeadAes128Gcm))
    policy.suite = media::SrtpSuite::aead_aes_128_gcm;
  if (p.suite == static_cast<uint8_t>(ch::SrtpSuite::kAesCm128HmacSha1_32))
    policy.suite = media::SrtpSuite::aes_cm_128_hmac_sha1_32;
  std::memcpy(policy.master_key, p.master_key, sizeof p.master_key);
  std::memcpy(policy.master_salt, p.master_salt, sizeof p.master_salt);
  return policy;
}

// Eth + IPv4 + UDP to flow `k` from 10.77.0.1:1024 around an RTP packet of rtp_len bytes already
// at f + kHeaders. The UDP checksum is left 0 only for the plain relay (the worker then sums the
// payload itself, as it would for such a sender); SRTP flows never use the received sum.
void wrap(uint8_t* f, const ch::FlowKey& k, unsigned rtp_len) {
  std::memset(f, 0, kHeaders);
  f[12] = 0x08;
  f[14] = 0x45;
  trunkgate::dp::store_be16(f + 16, static_cast<uint16_t>(20 + 8 + rtp_len));
  f[22] = 64;
  f[23] = 17;
  std::memcpy(f + 26, address(0).bytes, 4);
  std::memcpy(f + 30, k.addr.bytes, 4);
  trunkgate::dp::store_be16(f + 34, 1024);
  trunkgate::dp::store_be16(f + 36, k.port);
  trunkgate::dp::store_be16(f + 38, static_cast<uint16_t>(8 + rtp_len));
}

// RTP header for (seq, ts, ssrc, pt) at p.
void rtp_header(uint8_t* p, uint8_t pt, uint16_t seq, uint32_t ts, uint32_t ssrc) {
  p[0] = 0x80;
  p[1] = pt;
  trunkgate::dp::store_be16(p + 2, seq);
  trunkgate::dp::store_be32(p + 4, ts);
  trunkgate::dp::store_be32(p + 8, ssrc);
}

struct Totals {
  uint64_t worker_cycles = 0;
  uint64_t sent = 0;
  // Cycles per sent packet of each run_worker call. On a shared machine the mean includes the
  // time the benchmark was descheduled; the median and the 10th percentile of these leave out
  // batches that were preempted (the 10th percentile also most of the cache and SMT
  // interference of other work).
  std::vector<double> batch_cycles_per_packet;
};

// The value below which `percent` % of v lie.
double percentile(std::vector<double> v, unsigned percent) {
  if (v.empty()) return 0;
  const auto at = v.begin() + static_cast<std::ptrdiff_t>(v.size() * percent / 100);
  std::nth_element(v.begin(), at, v.end());
  return *at;
}

// "Mpps/core=.. cycles/pkt=.." for a cost per packet in TSC cycles.
std::string rate(double cycles_per_packet) {
  char text[64];
  const double mpps = cycles_per_packet > 0 ? rte_get_tsc_hz() / cycles_per_packet / 1e6 : 0.0;
  std::snprintf(text, sizeof text, "Mpps/core=%5.2f cycles/pkt=%6.1f", mpps, cycles_per_packet);
  return text;
}

// The worker's clock for transcoding runs: tick n is n x 20 ms, whatever the run's real speed,
// so every packet is on time and the silence timer of G.729 -> G.711 flows never fills.
uint64_t paced_clock(unsigned tick) {
  return 1 + static_cast<uint64_t>(tick) * (rte_get_tsc_hz() / 50);
}

// Takes everything the worker sent off its TX ring and frees it; on_burst(n) sees each burst as
// it is taken (the latency runs time it there). Returns how many there were.
template <typename OnBurst>
uint64_t drain_tx(Bench& b, OnBurst&& on_burst) {
  void* out[256];
  unsigned n;
  uint64_t taken = 0;
  while ((n = rte_ring_dequeue_burst(b.tx, out, 256, nullptr)) > 0) {
    on_burst(n);
    rte_pktmbuf_free_bulk(reinterpret_cast<rte_mbuf**>(out), n);
    taken += n;
  }
  return taken;
}

// Runs the worker until its RX ring is empty (timed), then frees what it sent (not timed).
// clock: the worker's time (0: the TSC).
void run_worker(Bench& b, Totals& t, uint64_t clock = 0) {
  const uint64_t t0 = rte_rdtsc();
  while (rte_ring_count(b.rx) > 0) b.worker.poll_once(clock != 0 ? clock : rte_rdtsc());
  b.worker.flush();
  const uint64_t cycles = rte_rdtsc() - t0;
  t.worker_cycles += cycles;
  const uint64_t sent = drain_tx(b, [](unsigned) {});
  t.sent += sent;
  if (sent != 0) t.batch_cycles_per_packet.push_back(static_cast<double>(cycles) / sent);
}

uint64_t drops_of(const ch::WorkerStats& s) {
  uint64_t d = 0;
  for (unsigned i = 0; i < ch::kDropCount; ++i) d += s.drops[i];
  return d;
}

void add_flows(Bench& b, const std::vector<ch::MediaTreatment>& treatments) {
  std::vector<ch::Command> cmds;
  for (unsigned i = 0; i < treatments.size(); ++i) {
    ch::FlowSpec s{};
    s.key = key_of(i);
    s.remote = key_of(i);
    s.source = key_of(i);
    ch::Command c = ch::make_flow_command(ch::CommandType::kAddFlow, s, treatments[i]);
    b.client->stamp(c, ch::CommandType::kAddFlow);
    cmds.push_back(c);
  }
  uint64_t failed = 0;
  program(b, cmds, failed);
  if (failed != 0) std::fprintf(stderr, "%lu flows refused\n", static_cast<unsigned long>(failed));
}

// suite kNone: plain relay in the same generator mode.
void srtp_run(ch::SrtpSuite suite, unsigned flows, double seconds) {
  const bool srtp = suite != ch::SrtpSuite::kNone;
  Bench b;
  if (!setup(b, flows * 2 + 64, "s" + std::to_string(static_cast<int>(suite)), false)) return;
  ch::MediaTreatment t{};
  if (srtp) {
    t.stages = ch::kTreatSrtpIn | ch::kTreatSrtpOut;
    // _32 shares _80's transforms with a 4-byte RTP tag (SRTCP keeps 10 bytes).
    fill_key(1, suite, t.srtp_in);
    fill_key(2, suite, t.srtp_out);
  }
  add_flows(b, std::vector<ch::MediaTreatment>(flows, t));
  media::AesHmacEngine engine;
  std::vector<media::SrtpStream> streams(flows);
  for (auto& s : streams) media::srtp_stream_init(engine, policy_of(t.srtp_in), s);
  std::vector<uint16_t> seq(flows, 0);
  Totals tot;
  unsigned cursor = 0;
  const uint64_t budget = static_cast<uint64_t>(seconds * rte_get_tsc_hz());
  while (tot.worker_cycles < budget) {
    rte_mbuf* batch[64];
    if (rte_pktmbuf_alloc_bulk(b.pool, batch, 64) != 0) break;
    for (rte_mbuf* m : batch) {
      const unsigned f = cursor++ % flows;
      auto* frame = reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, kHeaders + kRtpHeader + kSrtpPayload));
      uint8_t* rtp = frame + kHeaders;
      rtp_header(rtp, 0, ++seq[f], seq[f] * 160u, 0x1000 + f);
      std::memset(rtp + kRtpHeader, 0x55, kSrtpPayload);
      size_t len = kRtpHeader + kSrtpPayload;
      if (srtp) {
        media::srtp_protect(engine, streams[f], rtp, len, len + rte_pktmbuf_tailroom(m), len);
        rte_pktmbuf_append(m, static_cast<uint16_t>(len - kRtpHeader - kSrtpPayload));
      }
      wrap(frame, key_of(f), static_cast<unsigned>(len));
      if (srtp) trunkgate::dp::store_be16(frame + 40, 0x1234);
      m->port = b.port;
    }
    rte_ring_enqueue_bulk(b.rx, reinterpret_cast<void**>(batch), 64, nullptr);
    run_worker(b, tot);
  }
  const ch::WorkerStats st = b.client->worker_stats(0);
  const char* names[] = {"plain", "srtp-relay AES_CM_128_HMAC_SHA1_80", "srtp-relay _32",
                         "srtp-relay AEAD_AES_128_GCM"};
  const double mean =
      static_cast<double>(tot.worker_cycles) / static_cast<double>(tot.sent ? tot.sent : 1);
  std::printf(
      "%-36s flows=%-6u packets=%-9lu mean: %s  median batch: %s  p10 batch: %s "
      "drops=%lu\n",
      names[static_cast<int>(suite)], flows, static_cast<unsigned long>(tot.sent),
      rate(mean).c_str(), rate(percentile(tot.batch_cycles_per_packet, 50)).c_str(),
      rate(percentile(tot.batch_cycles_per_packet, 10)).c_str(),
      static_cast<unsigned long>(drops_of(st)));
}

struct Audio {
  std::vector<std::vector<uint8_t>> pcma;  // 160-byte payloads, 20 ms each
  std::vector<std::vector<uint8_t>> g729;  // 20-byte payloads
};

// A 1 s sweep-like tone mix, PCMA and G.729 encoded once.
Audio make_audio() {
  Audio a;
  media::G729Encoder enc(false);
  for (unsigned p = 0; p < 50; ++p) {
    int16_t pcm[160];
    for (unsigned n = 0; n < 160; ++n) {
      const double t = (p * 160 + n) / 8000.0;
      pcm[n] = static_cast<int16_t>(6000 * std::sin(2 * M_PI * (300 + 200 * p / 50.0) * t) +
                                    2000 * std::sin(2 * M_PI * 1700 * t));
    }
    std::vector<uint8_t> alaw(160), frames(20);
    media::g711_encode(media::G711Law::alaw, std::span<const int16_t>(pcm, 160), alaw.data());
    enc.encode(pcm, frames.data());
    enc.encode(pcm + 80, frames.data() + 10);
    a.pcma.push_back(alaw);
    a.g729.push_back(frames);
  }
  return a;
}

ch::MediaTreatment transcoding(ch::Codec in, uint8_t in_pt, ch::Codec out, uint8_t out_pt) {
  ch::MediaTreatment t{};
  t.stages = ch::kTreatTranscode;
  t.transcode = {
      static_cast<uint8_t>(in), static_cast<uint8_t>(out), in_pt, out_pt, 20, 0, 1, 7, 0, 0, {}};
  return t;
}

// bcg729 alone: two 10 ms encodes and two decodes, one session's work per 20 ms each way.
double bcg729_cycles_per_session_tick(const Audio& a) {
  media::G729Encoder enc(false);
  media::G729Decoder dec;
  int16_t pcm[160];
  uint8_t frames[20];
  const unsigned reps = 2000;
  const uint64_t t0 = rte_rdtsc();
  for (unsigned r = 0; r < reps; ++r) {
    media::g711_decode(media::G711Law::alaw, a.pcma[r % 50], pcm);
    enc.encode(pcm, frames);
    enc.encode(pcm + 80, frames + 10);
    dec.decode_frame(std::span<const uint8_t>(a.g729[r % 50].data(), 10), pcm);
    dec.decode_frame(std::span<const uint8_t>(a.g729[r % 50].data() + 10, 10), pcm + 80);
  }
  return static_cast<double>(rte_rdtsc() - t0) / reps;
}

// Sessions of two transcoding flows (PCMA -> G.729, G.729 -> PCMA), programmed.
bool transcoding_sessions(Bench& b, unsigned sessions, const std::string& tag) {
  if (!setup(b, sessions * 2 + 64, tag, false)) return false;
  std::vector<ch::MediaTreatment> ts;
  for (unsigned s = 0; s < sessions; ++s) {
    ts.push_back(transcoding(ch::Codec::kPcma, 8, ch::Codec::kG729, 18));
    ts.push_back(transcoding(ch::Codec::kG729, 18, ch::Codec::kPcma, 8));
  }
  add_flows(b, ts);
  return true;
}

// Flow f's 20 ms packet of `tick` on the worker's RX ring; false when the pool is empty.
bool enqueue_packet(Bench& b, const Audio& audio, unsigned f, unsigned tick) {
  const bool to_g729 = f % 2 == 0;
  const std::vector<uint8_t>& payload = to_g729 ? audio.pcma[tick % 50] : audio.g729[tick % 50];
  rte_mbuf* m = rte_pktmbuf_alloc(b.pool);
  if (m == nullptr) return false;
  const unsigned rtp_len = kRtpHeader + static_cast<unsigned>(payload.size());
  auto* frame =
      reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, static_cast<uint16_t>(kHeaders + rtp_len)));
  rtp_header(frame + kHeaders, to_g729 ? 8 : 18, static_cast<uint16_t>(tick), tick * 160, f);
  std::memcpy(frame + kHeaders + kRtpHeader, payload.data(), payload.size());
  wrap(frame, key_of(f), rtp_len);
  m->port = b.port;
  rte_ring_enqueue(b.rx, m);
  return true;
}

// One 20 ms packet per flow for `tick`, all at once.
void enqueue_tick(Bench& b, const Audio& audio, unsigned sessions, unsigned tick) {
  for (unsigned f = 0; f < sessions * 2; ++f)
    if (!enqueue_packet(b, audio, f, tick)) break;
}

void transcode_run(unsigned sessions, unsigned ticks) {
  Bench b;
  if (!transcoding_sessions(b, sessions, "tc")) return;
  const Audio audio = make_audio();
  Totals tot;
  for (unsigned tick = 0; tick < ticks; ++tick) {
    enqueue_tick(b, audio, sessions, tick);
    run_worker(b, tot, paced_clock(tick));
  }
  const ch::WorkerStats st = b.client->worker_stats(0);
  const double hz = static_cast<double>(rte_get_tsc_hz());
  const double tick_cycles = static_cast<double>(tot.worker_cycles) / ticks;
  const double per_core = sessions / (tick_cycles / (0.020 * hz));
  const double reference = bcg729_cycles_per_session_tick(audio);
  const uint64_t expected = static_cast<uint64_t>(sessions) * 2 * ticks;
  std::printf("transcode sessions=%u ticks=%u outputs=%lu/%lu drops=%lu worker_ms/tick=%.3f "
              "sessions/core=%.0f  bcg729-only sessions/core=%.0f (pipeline at %.0f%% of it)\n",
              sessions, ticks, static_cast<unsigned long>(tot.sent),
              static_cast<unsigned long>(expected), static_cast<unsigned long>(drops_of(st)),
              tick_cycles / hz * 1e3, per_core, 0.020 * hz / reference,
              100 * per_core / (0.020 * hz / reference));
}

double percentile(std::vector<uint64_t>& v, double p) {
  if (v.empty()) return 0;
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return static_cast<double>(v[i]);
}

void print_latency(const char* arrivals, unsigned sessions, std::vector<uint64_t>& cycles,
                   uint64_t lost) {
  const double us = 1e6 / static_cast<double>(rte_get_tsc_hz());
  std::printf(
      "transcode latency %s sessions=%u packets=%zu lost=%lu p50=%.1f us p99=%.1f us "
      "max=%.1f us\n",
      arrivals, sessions, cycles.size(), static_cast<unsigned long>(lost),
      percentile(cycles, 0.50) * us, percentile(cycles, 0.99) * us, percentile(cycles, 1.0) * us);
}

// Every tick's packets delivered at once (the worst case: all calls' packets aligned).
void latency_run(unsigned sessions, unsigned ticks) {
  Bench b;
  if (!transcoding_sessions(b, sessions, "tl" + std::to_string(sessions))) return;
  const Audio audio = make_audio();
  std::vector<uint64_t> cycles;
  cycles.reserve(static_cast<size_t>(sessions) * 2 * ticks);
  const uint64_t expected = static_cast<uint64_t>(sessions) * 2;
  uint64_t lost = 0;
  for (unsigned tick = 0; tick < ticks; ++tick) {
    enqueue_tick(b, audio, sessions, tick);
    const uint64_t t0 = rte_rdtsc();
    uint64_t out = 0;
    // Bounded: every packet needs at most a few polls; a stuck worker ends the tick.
    for (unsigned polls = 0; out < expected && polls < 4 * sessions + 64; ++polls) {
      b.worker.poll_once(paced_clock(tick));
      out += drain_tx(b, [&](unsigned n) {
        const uint64_t now = rte_rdtsc();
        for (unsigned i = 0; i < n; ++i) cycles.push_back(now - t0);
      });
    }
    lost += expected > out ? expected - out : 0;
  }
  print_latency("aligned", sessions, cycles, lost);
}

// Arrivals spread evenly over every 20 ms, as independent calls' packet clocks are: each packet
// is put on the RX ring at its arrival time on the TSC (real time: `ticks` x 20 ms), the worker
// polls in between, and each output is timed against its input's arrival. One output per input,
// in order (the worker keeps a single flow's and the ring's FIFO order), so they pair up.
void spread_latency_run(unsigned sessions, unsigned ticks) {
  Bench b;
  if (!transcoding_sessions(b, sessions, "ts" + std::to_string(sessions))) return;
  const Audio audio = make_audio();
  const unsigned flows = sessions * 2;
  const uint64_t period = rte_get_tsc_hz() / 50;
  std::vector<uint64_t> arrivals, cycles;
  arrivals.reserve(static_cast<size_t>(flows) * ticks);
  cycles.reserve(arrivals.capacity());
  size_t next_out = 0;
  unsigned tick = 0, flow = 0;
  const uint64_t start = rte_rdtsc();
  const uint64_t deadline = start + (ticks + 50) * period;  // 1 s of slack, then it ends
  while (rte_rdtsc() < deadline && (tick < ticks || next_out < arrivals.size())) {
    const uint64_t now = rte_rdtsc();
    while (tick < ticks) {
      const uint64_t at = start + tick * period + flow * period / flows;
      if (at > now || !enqueue_packet(b, audio, flow, tick)) break;
      arrivals.push_back(at);
      if (++flow == flows) flow = 0, ++tick;
    }
    b.worker.poll_once(paced_clock(tick));
    drain_tx(b, [&](unsigned n) {
      const uint64_t out = rte_rdtsc();
      for (unsigned i = 0; i < n && next_out < arrivals.size(); ++i)
        cycles.push_back(out - arrivals[next_out++]);
    });
  }
  print_latency("spread", sessions, cycles, arrivals.size() - next_out);
}

}  // namespace

int main(int argc, char** argv) {
  // usage: trunkgate-dp-media-bench [SECONDS] [SESSIONS] [--no-huge]
  const BenchArgs args = parse_args(argc, argv);
  const std::vector<std::string>& pos = args.positional;
  const double seconds = pos.size() > 0 ? std::atof(pos[0].c_str()) : 2.0;
  const unsigned sessions = pos.size() > 1 ? static_cast<unsigned>(std::atoi(pos[1].c_str())) : 400;
  if (!start_eal("dp-media-bench", 512, args.no_huge)) return 1;
  std::printf("trunkgate-dp-media-bench: one worker core, %.1f s of worker time per SRTP run\n",
              seconds);
  srtp_run(ch::SrtpSuite::kNone, 1000, seconds);
  srtp_run(ch::SrtpSuite::kAesCm128HmacSha1_80, 1000, seconds);
  srtp_run(ch::SrtpSuite::kAesCm128HmacSha1_32, 1000, seconds);
  srtp_run(ch::SrtpSuite::kAeadAes128Gcm, 1000, seconds);
  transcode_run(sessions, 100);  // 2 s of audio
  for (unsigned s : {1u, sessions / 4, sessions}) latency_run(s == 0 ? 1 : s, 100);
  for (unsigned s : {1u, sessions / 4, sessions}) spread_latency_run(s == 0 ? 1 : s, 100);
  rte_eal_cleanup();
  return 0;
}
