// trunkgate-rtpgen: sends N concurrent RTP streams from kernel UDP sockets and measures what comes
// back: rate, loss, reordering, duplicates and one-way latency (sender and receiver share this
// machine's clock). Sender and receiver sockets may live in different network namespaces, so one
// process drives a path through the gateway between two namespaces. Always bounded: a fixed number
// of packets per stream, then at most --drain-ms of waiting for stragglers.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "dataplane/channel/client.h"

namespace ch = trunkgate::channel;

namespace {

constexpr uint32_t kMagic = 0x54475254;  // "TGRT"
constexpr size_t kRtpHeader = 12;
constexpr size_t kStamp = 20;            // magic, stream, seq, send time

const char* const kUsage = R"(usage: trunkgate-rtpgen --dst ADDR:PORT --rx-bind ADDR:PORT [options]
  --streams N        concurrent streams (default 1); stream i uses dst port + 2i, rx port + 2i
  --packets N        packets per stream (default 50)
  --payload BYTES    RTP payload size (default 160, at least 20)
  --pt N             RTP payload type (default 8, PCMA)
  --interval-ms N    pacing per stream (default 20); 0 = flat out
  --src-port N       first local source port (default: dst port)
  --tx-netns NAME    network namespace of the senders
  --rx-netns NAME    network namespace of the receivers
  --drain-ms N       how long to wait for late packets after the last send (default 500)
  --expect-loss-max PCT   exit 1 if loss is above PCT (default 0)
)";

uint64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

struct Options {
  ch::Endpoint dst{}, rx{};
  unsigned streams = 1, packets = 50, payload = 160, pt = 8, interval_ms = 20, drain_ms = 500;
  int src_port = -1;
  double loss_max = 0;
  std::string tx_ns, rx_ns;
};

// Runs `fn` inside network namespace `ns` (empty: the current one), returning to where it was.
template <typename Fn>
bool in_netns(const std::string& ns, Fn fn, std::string& error) {
  if (ns.empty()) return fn();
  const int home = open("/proc/self/ns/net", O_RDONLY);
  const int target = open(("/var/run/netns/" + ns).c_str(), O_RDONLY);
  if (home < 0 || target < 0 || setns(target, CLONE_NEWNET) != 0) {
    error = "cannot enter network namespace '" + ns + "': " + std::strerror(errno);
    if (home >= 0) close(home);
    if (target >= 0) close(target);
    return false;
  }
  const bool ok = fn();
  setns(home, CLONE_NEWNET);
  close(home);
  close(target);
  return ok;
}

sockaddr_storage to_sockaddr(const ch::Endpoint& ep, socklen_t& len) {
  sockaddr_storage ss{};
  if (ep.addr.family == ch::Family::kIPv6) {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(ep.port);
    std::memcpy(&s6->sin6_addr, ep.addr.bytes, 16);
    len = sizeof(*s6);
  } else {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(ep.port);
    std::memcpy(&s4->sin_addr, ep.addr.bytes, 4);
    len = sizeof(*s4);
  }
  return ss;
}

int udp_socket(const ch::Endpoint& bind_to, std::string& error) {
  const int fd = socket(bind_to.addr.family == ch::Family::kIPv6 ? AF_INET6 : AF_INET,
                        SOCK_DGRAM | SOCK_NONBLOCK, 0);
  socklen_t len = 0;
  const sockaddr_storage ss = to_sockaddr(bind_to, len);
  const int big = 4 << 20;
  if (fd >= 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
  if (fd < 0 || bind(fd, reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    error = "cannot bind " + ch::to_string(bind_to) + ": " + std::strerror(errno);
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

struct StreamRx {
  uint64_t received = 0, reordered = 0, duplicates = 0, foreign = 0;
  int64_t highest = -1;
  std::vector<uint8_t> seen;
};

struct Results {
  std::vector<StreamRx> streams;
  std::vector<uint64_t> latency_ns;
  uint64_t bad = 0;  // not ours or not RTP version 2
  uint64_t first_ns = 0, last_ns = 0;  // arrival times of the first and last packet
};

void receive(const std::vector<int>& fds, const Options& o, Results& r,
             const std::atomic<bool>& sending_done, const std::atomic<uint64_t>& last_send_ns) {
  std::vector<pollfd> pfds;
  for (int fd : fds) pfds.push_back({fd, POLLIN, 0});
  uint8_t buf[2048];
  for (;;) {
    if (sending_done.load() && now_ns() > last_send_ns.load() + o.drain_ms * 1000000ull) break;
    if (poll(pfds.data(), pfds.size(), 10) <= 0) continue;
    for (pollfd& p : pfds) {
      if (!(p.revents & POLLIN)) continue;
      ssize_t n;
      while ((n = recv(p.fd, buf, sizeof(buf), 0)) > 0) {
        const uint64_t t = now_ns();
        uint32_t magic, stream, seq;
        uint64_t sent;
        if (static_cast<size_t>(n) < kRtpHeader + kStamp || (buf[0] >> 6) != 2) {
          ++r.bad;
          continue;
        }
        std::memcpy(&magic, buf + kRtpHeader, 4);
        std::memcpy(&stream, buf + kRtpHeader + 4, 4);
        std::memcpy(&seq, buf + kRtpHeader + 8, 4);
        std::memcpy(&sent, buf + kRtpHeader + 12, 8);
        if (magic != kMagic || stream >= o.streams || seq >= o.packets) {
          ++r.bad;
          continue;
        }
        StreamRx& s = r.streams[stream];
        if (s.seen[seq]) {
          ++s.duplicates;
          continue;
        }
        s.seen[seq] = 1;
        ++s.received;
        if (static_cast<int64_t>(seq) < s.highest) ++s.reordered;
        s.highest = std::max<int64_t>(s.highest, seq);
        r.latency_ns.push_back(t - sent);
        if (r.first_ns == 0) r.first_ns = t;
        r.last_ns = t;
      }
    }
  }
}

bool parse_options(int argc, char** argv, Options& o, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) {
      error = k + " needs a value";
      return false;
    }
    const std::string v = argv[++i];
    auto num = [&](unsigned& out, unsigned min, unsigned max) {
      char* end = nullptr;
      const unsigned long x = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || x < min || x > max) {
        error = k + ": '" + v + "' must be " + std::to_string(min) + ".." + std::to_string(max);
        return false;
      }
      out = static_cast<unsigned>(x);
      return true;
    };
    unsigned tmp = 0;
    bool ok = true;
    if (k == "--dst") ok = ch::parse_endpoint(v, o.dst, error);
    else if (k == "--rx-bind") ok = ch::parse_endpoint(v, o.rx, error);
    else if (k == "--streams") ok = num(o.streams, 1, 10000);
    else if (k == "--packets") ok = num(o.packets, 1, 10000000);
    else if (k == "--payload") ok = num(o.payload, kStamp, 1400);
    else if (k == "--pt") ok = num(o.pt, 0, 127);
    else if (k == "--interval-ms") ok = num(o.interval_ms, 0, 1000);
    else if (k == "--drain-ms") ok = num(o.drain_ms, 0, 60000);
    else if (k == "--src-port") { ok = num(tmp, 1, 65535); o.src_port = static_cast<int>(tmp); }
    else if (k == "--tx-netns") o.tx_ns = v;
    else if (k == "--rx-netns") o.rx_ns = v;
    else if (k == "--expect-loss-max") o.loss_max = std::strtod(v.c_str(), nullptr);
    else { error = "unknown option '" + k + "'"; return false; }
    if (!ok) return false;
  }
  if (o.dst.port == 0 || o.rx.port == 0) {
    error = "--dst and --rx-bind are required";
    return false;
  }
  if (o.dst.port + 2u * (o.streams - 1) > 65535 || o.rx.port + 2u * (o.streams - 1) > 65535) {
    error = "too many streams for the port range";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string error;
  if (argc < 2 || !parse_options(argc, argv, o, error)) {
    std::cerr << (error.empty() ? "" : "trunkgate-rtpgen: " + error + "\n") << kUsage;
    return 2;
  }
  std::vector<int> tx_fds, rx_fds;
  const bool ok =
      in_netns(o.rx_ns, [&] {
        for (unsigned s = 0; s < o.streams; ++s) {
          ch::Endpoint ep = o.rx;
          ep.port = static_cast<uint16_t>(o.rx.port + 2 * s);
          const int fd = udp_socket(ep, error);
          if (fd < 0) return false;
          rx_fds.push_back(fd);
        }
        return true;
      }, error) &&
      in_netns(o.tx_ns, [&] {
        for (unsigned s = 0; s < o.streams; ++s) {
          ch::Endpoint ep{};
          ep.addr.family = o.dst.addr.family;
          ep.port = static_cast<uint16_t>((o.src_port > 0 ? o.src_port : o.dst.port) + 2 * s);
          const int fd = udp_socket(ep, error);
          if (fd < 0) return false;
          tx_fds.push_back(fd);
        }
        return true;
      }, error);
  if (!ok) {
    std::cerr << "trunkgate-rtpgen: " << error << "\n";
    return 1;
  }

  Results r;
  r.streams.resize(o.streams);
  for (StreamRx& s : r.streams) s.seen.assign(o.packets, 0);
  r.latency_ns.reserve(static_cast<size_t>(o.streams) * o.packets);
  std::atomic<bool> done{false};
  std::atomic<uint64_t> last_send{0};
  std::thread rx_thread(receive, std::cref(rx_fds), std::cref(o), std::ref(r), std::cref(done),
                        std::cref(last_send));

  std::vector<uint8_t> pkt(kRtpHeader + o.payload, 0xd5);  // A-law silence after the stamp
  uint64_t sent = 0, send_errors = 0;
  const uint64_t start = now_ns();
  for (unsigned seq = 0; seq < o.packets; ++seq) {
    if (o.interval_ms != 0) {
      const uint64_t due = start + static_cast<uint64_t>(seq) * o.interval_ms * 1000000ull;
      timespec ts{static_cast<time_t>(due / 1000000000ull), static_cast<long>(due % 1000000000ull)};
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
    }
    for (unsigned s = 0; s < o.streams; ++s) {
      pkt[0] = 0x80;
      pkt[1] = static_cast<uint8_t>(o.pt);
      const uint16_t rtp_seq = htons(static_cast<uint16_t>(seq));
      const uint32_t ts = htonl(seq * 160u), ssrc = htonl(0x10000000u + s);
      std::memcpy(&pkt[2], &rtp_seq, 2);
      std::memcpy(&pkt[4], &ts, 4);
      std::memcpy(&pkt[8], &ssrc, 4);
      const uint64_t t = now_ns();
      std::memcpy(&pkt[kRtpHeader], &kMagic, 4);
      std::memcpy(&pkt[kRtpHeader + 4], &s, 4);
      std::memcpy(&pkt[kRtpHeader + 8], &seq, 4);
      std::memcpy(&pkt[kRtpHeader + 12], &t, 8);
      ch::Endpoint dst = o.dst;
      dst.port = static_cast<uint16_t>(o.dst.port + 2 * s);
      socklen_t len = 0;
      const sockaddr_storage sa = to_sockaddr(dst, len);
      // Flat out: a full socket buffer is back-pressure, not loss; retry a bounded number of times.
      int tries = 0;
      while (sendto(tx_fds[s], pkt.data(), pkt.size(), 0, reinterpret_cast<const sockaddr*>(&sa),
                    len) < 0) {
        if ((errno != EAGAIN && errno != ENOBUFS) || ++tries > 1000) {
          ++send_errors;
          break;
        }
        usleep(50);
      }
      if (tries <= 1000) ++sent;
      last_send.store(now_ns());
    }
  }
  const uint64_t send_elapsed = now_ns() - start;
  done.store(true);
  rx_thread.join();

  uint64_t received = 0, reordered = 0, dups = 0;
  for (const StreamRx& s : r.streams) {
    received += s.received;
    reordered += s.reordered;
    dups += s.duplicates;
  }
  std::sort(r.latency_ns.begin(), r.latency_ns.end());
  auto pct = [&](double p) {
    return r.latency_ns.empty() ? 0.0
                                : r.latency_ns[static_cast<size_t>(p * (r.latency_ns.size() - 1))] / 1000.0;
  };
  const double loss = sent == 0 ? 100.0 : 100.0 * static_cast<double>(sent - received) / sent;
  const double rate = send_elapsed == 0 ? 0 : sent * 1e9 / static_cast<double>(send_elapsed);
  const uint64_t rx_span = r.last_ns - r.first_ns;
  const double rx_rate = rx_span == 0 ? 0 : (received - 1) * 1e9 / static_cast<double>(rx_span);
  std::printf("streams=%u sent=%lu received=%lu lost=%lu loss_pct=%.3f reordered=%lu duplicates=%lu "
              "foreign=%lu send_errors=%lu send_rate_pps=%.0f recv_rate_pps=%.0f latency_us_p50=%.1f "
              "latency_us_p99=%.1f\n",
              o.streams, static_cast<unsigned long>(sent), static_cast<unsigned long>(received),
              static_cast<unsigned long>(sent - received), loss, static_cast<unsigned long>(reordered),
              static_cast<unsigned long>(dups), static_cast<unsigned long>(r.bad),
              static_cast<unsigned long>(send_errors), rate, rx_rate, pct(0.5), pct(0.99));
  for (int fd : tx_fds) close(fd);
  for (int fd : rx_fds) close(fd);
  return loss > o.loss_max ? 1 : 0;
}
