#include "media/dtmf/dtmf_interworking.h"

#include <algorithm>

namespace trunkgate::media {

void DtmfInterworking::reset(bool tones_to_events, bool events_to_tones) {
  to_tones_.reset();
  to_events_.reset();
  n_pending_ = 0;
  since_event_ = 0;
  has_expired_ = false;
  tones_to_events_ = tones_to_events;
  events_to_tones_ = events_to_tones;
}

void DtmfInterworking::collect(const TelephoneEventPacket& p) {
  const bool continuation = !p.marker && (p.payload[1] & 0x80) == 0;
  if (continuation && n_pending_ > 0) {
    TelephoneEventPacket& last = pending_[n_pending_ - 1];
    if (!last.marker && (last.payload[1] & 0x80) == 0 && last.timestamp == p.timestamp) {
      last = p;  // the newer duration supersedes it
      return;
    }
  }
  if (n_pending_ < kMaxPendingPackets) pending_[n_pending_++] = p;
}

void DtmfInterworking::on_pcm(int16_t* pcm, std::size_t samples, uint32_t timestamp) {
  if (tones_to_events_) {
    TelephoneEventPacket packets[InbandToTelephoneEvents::kMaxPacketsPerFrame];
    const std::size_t n = to_events_.process(pcm, samples, timestamp, packets);
    for (std::size_t i = 0; i < n; ++i) collect(packets[i]);
    if (to_events_.suppress_audio()) std::fill(pcm, pcm + samples, int16_t{0});
  }
  if (!events_to_tones_) return;
  if (to_tones_.tone_due() && since_event_ >= kEventSilenceSamples &&
      to_tones_.expire(&expired_) != 0)
    has_expired_ = true;
  since_event_ += static_cast<uint32_t>(samples);
  to_tones_.render(pcm, samples);
}

bool DtmfInterworking::take_expired(TelephoneEventReport& out) {
  if (!has_expired_) return false;
  out = expired_;
  has_expired_ = false;
  return true;
}

std::span<const TelephoneEventPacket> DtmfInterworking::take_packets() {
  const std::size_t n = n_pending_;
  n_pending_ = 0;
  return std::span<const TelephoneEventPacket>(pending_, n);
}

}  // namespace trunkgate::media
