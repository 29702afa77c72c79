#include "media/dtmf/inband_dtmf_detector.h"

// The detector state is embedded, so spandsp's private struct layout is needed here (only).
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#include "media/dtmf/telephone_event.h"

namespace trunkgate::media {

static_assert(sizeof(dtmf_rx_state_t) == InbandDtmfDetector::kSpandspStateBytes,
              "spandsp's dtmf_rx_state_t changed size: update kSpandspStateBytes");

namespace {
dtmf_rx_state_t* rx(unsigned char* storage) { return reinterpret_cast<dtmf_rx_state_t*>(storage); }
// Digits are taken from the realtime reports; the digit queue is drained by ignoring it.
void ignore_digits(void*, const char*, int) {}
}  // namespace

InbandDtmfDetector::InbandDtmfDetector() { reset(); }

void InbandDtmfDetector::reset() {
  dtmf_rx_init(rx(state_), ignore_digits, nullptr);
  dtmf_rx_set_realtime_callback(rx(state_), &InbandDtmfDetector::on_report, this);
  current_ = kNoEvent;
}

void InbandDtmfDetector::on_report(void* self, int code, int, int) {
  auto* d = static_cast<InbandDtmfDetector*>(self);
  const uint8_t event = code == 0 ? kNoEvent : dtmf_event_from_char(static_cast<char>(code));
  if (code != 0 && event == kNoEvent) return;
  d->current_ = event;
  if (d->sink_ != nullptr && d->sink_count_ < kMaxTransitionsPerCall)
    d->sink_[d->sink_count_++] = {event, d->timestamp_};
}

std::size_t InbandDtmfDetector::process(const int16_t* pcm, std::size_t samples,
                                        uint32_t timestamp, DtmfTransition* out) {
  sink_ = out;
  sink_count_ = 0;
  timestamp_ = timestamp;
  dtmf_rx(rx(state_), pcm, static_cast<int>(samples));
  sink_ = nullptr;
  return sink_count_;
}

}  // namespace trunkgate::media
