#include "tools/mediapeer/stream_report.h"

#include <cmath>
#include <numbers>
#include <sstream>

namespace trunkgate::mediapeer {
namespace {

constexpr std::size_t kRtpHeader = 12;
constexpr std::size_t kMaxAudioSamples = 8000 * 60;  // a minute: the report stays bounded

uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t be32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// The RTP payload of a packet (RFC 3550 section 5.1: CSRCs, extension, padding), or false.
bool payload_of(const uint8_t* d, std::size_t size, std::size_t& off, std::size_t& len) {
  if (size < kRtpHeader || (d[0] >> 6) != 2) return false;
  off = kRtpHeader + 4u * (d[0] & 0x0f);
  if (d[0] & 0x10) {
    if (size < off + 4) return false;
    off += 4 + 4u * be16(d + off + 2);
  }
  if (size < off) return false;
  std::size_t padding = (d[0] & 0x20) ? d[size - 1] : 0;
  if (size - off < padding) return false;
  len = size - off - padding;
  return true;
}

template <typename Map>
void write_map(std::ostringstream& o, const char* name, const Map& m) {
  o << ",\"" << name << "\":{";
  bool first = true;
  for (const auto& [k, v] : m) {
    o << (first ? "" : ",") << '"' << k << "\":" << v;
    first = false;
  }
  o << '}';
}

}  // namespace

void StreamReport::add_packet(const uint8_t* d, std::size_t size) {
  std::size_t off = 0, len = 0;
  if (!payload_of(d, size, off, len)) {
    ++not_rtp_;
    return;
  }
  ++received_;
  const int pt = d[1] & 0x7f;
  const uint16_t seq = be16(d + 2);
  const uint32_t ts = be32(d + 4);
  ++by_pt_[pt];
  ++payload_bytes_[static_cast<int>(len)];
  ssrcs_.insert(be32(d + 8));
  if (last_seq_) {
    const uint16_t step = static_cast<uint16_t>(seq - *last_seq_);
    if (step == 0 || step >= 0x8000)
      ++out_of_order_;
    else
      missing_ += step - 1u;
    ++ts_steps_[static_cast<int32_t>(ts - last_ts_)];
  }
  last_seq_ = seq;
  last_ts_ = ts;
  if (audio_.size() < kMaxAudioSamples) decoder_.decode(pt, d + off, len, audio_);
}

void StreamReport::add_srtp_failure(int libsrtp_status) {
  ++srtp_failures_[libsrtp_status];
}

std::string StreamReport::json() const {
  // Level (RMS) of the decoded audio, and the share of its energy at tone_hz (Goertzel per
  // 20 ms block; a pure tone gives about 1, speech or noise much less).
  double energy = 0, tone_energy = 0;
  constexpr std::size_t kBlock = 160;
  const double w = 2 * std::numbers::pi * tone_hz_ / 8000.0;
  for (std::size_t b = 0; b + kBlock <= audio_.size(); b += kBlock) {
    double s1 = 0, s2 = 0, block_energy = 0;
    for (std::size_t i = b; i < b + kBlock; ++i) {
      const double x = audio_[i];
      block_energy += x * x;
      const double s0 = x + 2 * std::cos(w) * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    energy += block_energy;
    // |X(k)|^2 of the block; a sine of amplitude A gives (A*N/2)^2, its energy A^2*N/2.
    tone_energy += (s1 * s1 + s2 * s2 - 2 * std::cos(w) * s1 * s2) * 2.0 / kBlock;
  }
  const double rms = audio_.empty() ? 0 : std::sqrt(energy / static_cast<double>(audio_.size()));
  std::ostringstream o;
  o << "{\"sent\":" << sent_ << ",\"received\":" << received_ << ",\"not_rtp\":" << not_rtp_
    << ",\"missing\":" << missing_ << ",\"out_of_order\":" << out_of_order_
    << ",\"ssrcs\":" << ssrcs_.size();
  write_map(o, "pt", by_pt_);
  write_map(o, "payload_bytes", payload_bytes_);
  write_map(o, "ts_steps", ts_steps_);
  write_map(o, "srtp_failures", srtp_failures_);
  o << ",\"decoded_samples\":" << audio_.size() << ",\"decoded_rms\":" << rms
    << ",\"tone_fraction\":" << (energy > 0 ? tone_energy / energy : 0) << "}\n";
  return o.str();
}

}  // namespace trunkgate::mediapeer
