// trunkgate-mediapeer: a media end point for the end-to-end tests, standing where SIPp cannot
// (SIPp plays only pcap files: no G.729 of our own, no SRTP). It binds one UDP port, reports what
// arrives there (see stream_report.h), and sends a tone in PCMU, PCMA or G.729 from that same
// port (symmetric RTP), optionally SRTP-protected; SRTP in both directions is libsrtp2's, the
// reference the gateway is checked against. Always bounded: a fixed number of packets sent,
// then an idle limit, and a hard limit on the whole run.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tools/mediapeer/audio_codec.h"
#include "tools/mediapeer/srtp_session.h"
#include "tools/mediapeer/stream_report.h"

namespace mp = trunkgate::mediapeer;

namespace {

const char* const kUsage = R"(usage: trunkgate-mediapeer --bind ADDR:PORT [options]
Receives RTP/SRTP on ADDR:PORT and writes a JSON report of it; optionally sends a tone from the
same port. IPv4 only. Stops once it sent what it had to and --expect packets arrived (or nothing
arrived for --idle-ms after the first packet), and always after --max-ms.
  --send-to ADDR:PORT   send a stream there (default: receive only)
  --codec pcma|pcmu|g729   what to send (default g729); payload type 0, 8 or 18
  --packets N           packets to send (default 50)
  --sid-after N         G.729 only: N packets of tone, then one Annex B SID frame (2 bytes, from
                        bcg729 with VAD) and nothing more, as a DTX sender does; sends N + 1
  --ptime-ms N          packet interval and duration, 10..40 in steps of 10 (default 20)
  --tone-hz N           the tone sent, and the frequency the report measures (default 1000)
  --send-after-rx       start sending once the first packet arrived (the far side is ready)
  --srtp-in KEY         unprotect what arrives (AES_CM_128_HMAC_SHA1_80, SDES inline base64)
  --srtp-out KEY        protect what is sent, same suite
  --expect N            packets to wait for (default: stop on --idle-ms only)
  --idle-ms N           after the sending is done, stop after N ms without packets (default 1000)
  --max-ms N            hard limit on the run (default 20000)
  --report FILE         where the JSON report goes (default: stdout); written at the end
  --control FIFO        learn --send-to and --srtp-in later, from one line "ADDR:PORT [KEY]"
                        written to FIFO (e.g. by SIPp's exec from the SDP it received);
                        packets that arrive before are held (up to 1000) and counted after
)";

struct Options {
  sockaddr_in bind{}, send_to{};
  bool sending = false, send_after_rx = false;
  mp::Codec codec = mp::Codec::kG729;
  unsigned long packets = 50, ptime_ms = 20, tone_hz = 1000, idle_ms = 1000, max_ms = 20000;
  unsigned long expect = 0, sid_after = 0;  // sid_after 0: no SID
  std::string srtp_in, srtp_out, report, control;
};

bool parse_endpoint(const std::string& text, sockaddr_in& out) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  out.sin_family = AF_INET;
  char* end = nullptr;
  const unsigned long port = std::strtoul(text.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || port == 0 || port > 65535) return false;
  out.sin_port = htons(static_cast<uint16_t>(port));
  return inet_pton(AF_INET, text.substr(0, colon).c_str(), &out.sin_addr) == 1;
}

bool parse_number(const char* text, unsigned long lo, unsigned long hi, unsigned long& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtoul(text, &end, 10);
  return errno == 0 && *end == '\0' && end != text && out >= lo && out <= hi;
}

struct NumericOption {
  const char* name;
  unsigned long lo, hi, step;
  unsigned long* value;
};

std::optional<NumericOption> numeric_option(const std::string& name, Options& o) {
  const NumericOption options[] = {
      {"--packets", 1, 100000, 1, &o.packets},    {"--ptime-ms", 10, 40, 10, &o.ptime_ms},
      {"--tone-hz", 100, 3800, 1, &o.tone_hz},    {"--expect", 1, 1000000, 1, &o.expect},
      {"--idle-ms", 10, 60000, 1, &o.idle_ms},    {"--max-ms", 100, 600000, 1, &o.max_ms},
      {"--sid-after", 1, 100000, 1, &o.sid_after}};
  for (const NumericOption& option : options)
    if (name == option.name) return option;
  return std::nullopt;
}

std::string* text_option(const std::string& name, Options& o) {
  if (name == "--srtp-in") return &o.srtp_in;
  if (name == "--srtp-out") return &o.srtp_out;
  if (name == "--report") return &o.report;
  if (name == "--control") return &o.control;
  return nullptr;
}

// Exits with the usage on anything it does not understand.
Options parse_options(int argc, char** argv) {
  Options o;
  bool have_bind = false;
  auto fail = [](const std::string& why) {
    std::cerr << "trunkgate-mediapeer: " << why << "\n" << kUsage;
    std::exit(2);
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--send-after-rx") {
      o.send_after_rx = true;
      continue;
    }
    if (i + 1 >= argc) fail(a + " needs a value");
    const char* v = argv[++i];
    unsigned long n = 0;
    if (a == "--bind") {
      if (!parse_endpoint(v, o.bind)) fail("--bind: not an IPv4 ADDR:PORT: " + std::string(v));
      have_bind = true;
    } else if (a == "--send-to") {
      if (!parse_endpoint(v, o.send_to))
        fail("--send-to: not an IPv4 ADDR:PORT: " + std::string(v));
      o.sending = true;
    } else if (a == "--codec") {
      const auto c = mp::codec_from_name(v);
      if (!c) fail("--codec: one of pcma, pcmu, g729");
      o.codec = *c;
    } else if (const auto num = numeric_option(a, o)) {
      if (!parse_number(v, num->lo, num->hi, n) || n % num->step != 0)
        fail(a + ": must be a number in " + std::to_string(num->lo) + ".." +
             std::to_string(num->hi) +
             (num->step > 1 ? " in steps of " + std::to_string(num->step) : ""));
      *num->value = n;
    } else if (std::string* text = text_option(a, o)) {
      *text = v;
    } else {
      fail("bad option or value: " + a + " " + v);
    }
  }
  if (!have_bind) fail("--bind is required");
  if (o.sid_after != 0) {
    if (o.codec != mp::Codec::kG729) fail("--sid-after needs --codec g729");
    o.packets = o.sid_after + 1;
  }
  return o;
}

uint64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

std::optional<mp::SrtpSession> session_or_exit(const std::string& key,
                                               mp::SrtpSession::Direction d) {
  if (key.empty()) return std::nullopt;
  std::string error;
  auto s = mp::SrtpSession::create(key, d, error);
  if (!s) {
    std::cerr << "trunkgate-mediapeer: " << error << "\n";
    std::exit(2);
  }
  return s;
}

// The RTP stream we send: random SSRC, first sequence number and timestamp (RFC 3550 5.1).
class Sender {
 public:
  explicit Sender(const Options& o)
      : encoder_(o.codec, o.tone_hz, o.ptime_ms), pt_(static_cast<uint8_t>(o.codec)) {
    std::random_device rd;
    ssrc_ = rd();
    seq_ = static_cast<uint16_t>(rd());
    ts_ = rd();
  }

  // Builds the next packet into `buf` (which has room for the SRTP trailer); returns its size.
  // `sid`: a G.729 SID frame instead of the tone (the stream goes into DTX after it).
  int next(unsigned char* buf, bool sid) {
    buf[0] = 0x80;
    buf[1] = pt_;
    buf[2] = static_cast<unsigned char>(seq_ >> 8);
    buf[3] = static_cast<unsigned char>(seq_);
    for (int i = 0; i < 4; ++i) {
      buf[4 + i] = static_cast<unsigned char>(ts_ >> (24 - 8 * i));
      buf[8 + i] = static_cast<unsigned char>(ssrc_ >> (24 - 8 * i));
    }
    const std::size_t payload = sid ? mp::ToneEncoder::g729_sid(buf + 12) : encoder_.next(buf + 12);
    if (payload == 0) {
      std::cerr << "trunkgate-mediapeer: bcg729 made no SID frame\n";
      std::exit(1);
    }
    ++seq_;
    ts_ += encoder_.samples_per_packet();
    return static_cast<int>(12 + payload);
  }

 private:
  mp::ToneEncoder encoder_;
  uint8_t pt_;
  uint32_t ssrc_ = 0, ts_ = 0;
  uint16_t seq_ = 0;
};

// Receives, sends and ends; with --control, the destination and inbound key come later.
class Peer {
 public:
  Peer(Options o, int fd)
      : o_(std::move(o)),
        fd_(fd),
        report_(o_.tone_hz),
        sender_(o_),
        srtp_out_(session_or_exit(o_.srtp_out, mp::SrtpSession::Direction::kOutbound)) {
    configure(o_.srtp_in);
  }

  void open_control() {
    // O_RDWR: the FIFO always has a writer (us), so it never reports end of file or POLLHUP.
    control_fd_ = open(o_.control.c_str(), O_RDWR | O_NONBLOCK);
    if (control_fd_ < 0) {
      std::perror(("trunkgate-mediapeer: " + o_.control).c_str());
      std::exit(1);
    }
    configured_ = false;
  }

  // Until --max-ms, or once the sending is done and the expected packets arrived (or none came
  // for --idle-ms after the first).
  void run() {
    const uint64_t start = now_ms();
    next_send_ = start;
    for (;;) {
      const uint64_t now = now_ms();
      if (now >= start + o_.max_ms) break;
      if (sending_done()) {
        if (o_.expect != 0 && report_.received() >= o_.expect) break;
        if (last_rx_ != 0 && now >= last_rx_ + o_.idle_ms) break;
      }
      if (may_send() && now >= next_send_) {
        send_one(now);
        continue;
      }
      wait_and_receive(may_send() ? next_send_ : now + 10, now);
    }
  }

  bool failed() const { return send_failed_; }
  std::string report() const {
    return configured_ ? report_.json()
                       : R"({"error":"no line on the control FIFO"})"
                         "\n";
  }

 private:
  static constexpr std::size_t kMaxHeld = 1000;  // packets kept until the control line came

  bool sending_done() const {
    return configured_ && (!o_.sending || send_failed_ || sent_ == o_.packets);
  }
  bool may_send() const {
    return !sending_done() && configured_ && (!o_.send_after_rx || report_.received() > 0);
  }

  void configure(const std::string& srtp_in_key) {
    srtp_in_ = session_or_exit(srtp_in_key, mp::SrtpSession::Direction::kInbound);
    configured_ = true;
    for (std::vector<unsigned char>& p : held_) take(p.data(), static_cast<int>(p.size()));
    held_.clear();
  }

  void send_one(uint64_t now) {
    unsigned char buf[1500];
    int len = sender_.next(buf, o_.sid_after != 0 && sent_ == o_.sid_after);
    if (srtp_out_ && srtp_out_->protect(buf, len) != srtp_err_status_ok) {
      std::cerr << "trunkgate-mediapeer: srtp_protect failed\n";
      send_failed_ = true;
      return;
    }
    if (sendto(fd_, buf, static_cast<std::size_t>(len), 0,
               reinterpret_cast<const sockaddr*>(&o_.send_to), sizeof o_.send_to) < 0) {
      std::perror("trunkgate-mediapeer: sendto");
      send_failed_ = true;
      return;
    }
    report_.add_sent();
    // Paced against the stream's start, so a late wake-up does not shift what follows.
    next_send_ = (sent_++ == 0 ? now : next_send_) + o_.ptime_ms;
  }

  void wait_and_receive(uint64_t wake, uint64_t now) {
    pollfd p[2] = {{fd_, POLLIN, 0}, {control_fd_, POLLIN, 0}};
    const nfds_t n = control_fd_ >= 0 ? 2 : 1;
    if (poll(p, n, static_cast<int>(wake > now ? wake - now : 0)) <= 0) return;
    if (p[0].revents & POLLIN) receive();
    if (n == 2 && (p[1].revents & POLLIN)) read_control();
  }

  void receive() {
    // Room after the packet for libsrtp's in-place work.
    unsigned char buf[2048];
    ssize_t n;
    while ((n = recv(fd_, buf, sizeof buf - SRTP_MAX_TRAILER_LEN, 0)) > 0) {
      last_rx_ = now_ms();
      if (!configured_) {
        if (held_.size() < kMaxHeld) held_.emplace_back(buf, buf + n);
        continue;
      }
      take(buf, static_cast<int>(n));
    }
  }

  void take(unsigned char* buf, int len) {
    if (srtp_in_) {
      const srtp_err_status_t e = srtp_in_->unprotect(buf, len);
      if (e != srtp_err_status_ok) return report_.add_srtp_failure(static_cast<int>(e));
    }
    report_.add_packet(buf, static_cast<std::size_t>(len));
  }

  // One line: "ADDR:PORT [SRTP_IN_KEY]" (bounded; a bad line ends the run with an error).
  void read_control() {
    char chunk[256];
    const ssize_t n = read(control_fd_, chunk, sizeof chunk);
    if (n <= 0) return;
    line_.append(chunk, static_cast<std::size_t>(n));
    const auto eol = line_.find('\n');
    if (eol == std::string::npos) {
      if (line_.size() > 512) bad_control("line too long");
      return;
    }
    std::istringstream words(line_.substr(0, eol));
    std::string to, key;
    words >> to >> key;
    if (!parse_endpoint(to, o_.send_to)) bad_control("not ADDR:PORT [KEY]: " + line_);
    o_.sending = true;
    close(control_fd_);
    control_fd_ = -1;
    configure(key);
  }

  [[noreturn]] static void bad_control(const std::string& why) {
    std::cerr << "trunkgate-mediapeer: control FIFO: " << why << "\n";
    std::exit(2);
  }

  Options o_;
  int fd_, control_fd_ = -1;
  mp::StreamReport report_;
  Sender sender_;
  std::optional<mp::SrtpSession> srtp_in_, srtp_out_;
  bool configured_ = false, send_failed_ = false;
  unsigned sent_ = 0;
  uint64_t next_send_ = 0, last_rx_ = 0;
  std::vector<std::vector<unsigned char>> held_;
  std::string line_;
};

bool write_report(const std::string& path, const std::string& json) {
  if (path.empty()) {
    std::cout << json;
    return true;
  }
  // Renamed into place, so a reader never sees half a report.
  std::ofstream out(path + ".tmp");
  out << json;
  out.close();
  return out && std::rename((path + ".tmp").c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0 || bind(fd, reinterpret_cast<const sockaddr*>(&o.bind), sizeof o.bind) != 0) {
    std::perror("trunkgate-mediapeer: bind");
    return 1;
  }
  Peer peer(o, fd);
  if (!o.control.empty()) peer.open_control();
  std::cout << "ready\n" << std::flush;
  peer.run();
  close(fd);
  if (!write_report(o.report, peer.report())) {
    std::perror("trunkgate-mediapeer: writing the report");
    return 1;
  }
  return peer.failed() ? 1 : 0;
}
