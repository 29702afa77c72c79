#pragma once
// Both DTMF interworking directions on one flow's audio, applied 10 ms at a time between decoding
// and encoding (a PcmTap of the transcoding legs, or the worker's in-place G.711 relay):
// - RFC 4733 events received on the flow -> DTMF tones written over the audio it sends on
//   (TelephoneEventsToInband), for a leg that did not negotiate telephone-event;
// - in-band tones detected in the audio -> RFC 4733 packets to send in the outgoing stream, and
//   the tone audio muted while the digit is on (InbandToTelephoneEvents).
// Event packets are collected per input packet: every start (marker) and end packet, and of the
// continuations only the newest (one per outgoing packet, not one per 10 ms).
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/dtmf/inband_to_telephone_events.h"
#include "media/dtmf/telephone_events_to_inband.h"
#include "media/transcode/pcm_tap.h"

namespace trunkgate::media {

class DtmfInterworking final : public PcmTap {
 public:
  // Two digits ending and one starting within a 40 ms input packet, plus a continuation.
  static constexpr std::size_t kMaxPendingPackets = 2 * TelephoneEventSender::kEndRepeats + 2;
  // A tone whose sender went quiet (end packets lost, RFC 4733 section 2.5.2.2) stops after this
  // much audio without any event packet: continuations come every 50 ms at most.
  static constexpr uint32_t kEventSilenceSamples = 2400;  // 300 ms

  // Not movable after reset(): the in-band detector registers its own address with spandsp.
  void reset(bool tones_to_events, bool events_to_tones);
  // A received telephone-event payload: reports for the control plane (at most
  // TelephoneEventReceiver::kMaxReports); with events_to_tones it also schedules the tone.
  std::size_t on_event(std::span<const uint8_t> payload, uint32_t rtp_timestamp,
                       TelephoneEventReport* out) {
    since_event_ = 0;
    return to_tones_.on_packet(payload, rtp_timestamp, out);
  }
  void on_pcm(int16_t* pcm, std::size_t samples, uint32_t timestamp) override;
  // True while a tone from received events is due (the relay must rewrite its audio).
  bool playing_tone() const { return events_to_tones_ && to_tones_.tone_due(); }
  // The event packets collected since the last call; the caller sends them, in order.
  std::span<const TelephoneEventPacket> take_packets();
  // The "ended" report of a tone stopped by kEventSilenceSamples, once; false when there is none.
  bool take_expired(TelephoneEventReport& out);

 private:
  void collect(const TelephoneEventPacket& p);

  TelephoneEventsToInband to_tones_;
  InbandToTelephoneEvents to_events_;
  TelephoneEventPacket pending_[kMaxPendingPackets];
  std::size_t n_pending_ = 0;
  uint32_t since_event_ = 0;  // samples rendered since the last event packet
  TelephoneEventReport expired_{};
  bool has_expired_ = false;
  bool tones_to_events_ = false;
  bool events_to_tones_ = false;
};

}  // namespace trunkgate::media
