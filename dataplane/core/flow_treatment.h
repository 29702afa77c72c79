// A treated flow's media state: SRTP crypto contexts for both directions and the transcoding leg.
// Lives in a TreatmentPool slot, configured when a command adds or changes the treatment (that is
// where bcg729 contexts are allocated and SRTP session keys derived), used on the packet path
// without allocation.
#pragma once

#include <optional>

#include "dataplane/channel/schema.h"
#include "media/dtmf/dtmf_interworking.h"
#include "media/dtmf/inband_dtmf_detector.h"
#include "media/dtmf/telephone_event.h"
#include "media/srtp/aes_hmac_engine.h"
#include "media/srtp/srtp_stream.h"
#include "media/transcode/g711_to_g729_leg.h"
#include "media/transcode/g729_to_g711_leg.h"

struct rte_mempool;

namespace trunkgate::dp {

struct FlowTreatment {
  channel::MediaTreatment spec;  // as programmed: an identical modify keeps the state below
  media::SrtpStream srtp_in;     // unprotects what arrives (kTreatSrtpIn)
  media::SrtpStream srtp_out;    // protects what is sent (kTreatSrtpOut)
  std::optional<media::G711ToG729Leg> to_g729;
  std::optional<media::G729ToG711Leg> to_g711;
  // kTreatDtmfDetect. spandsp keeps a pointer into the detector: slots never move.
  media::InbandDtmfDetector dtmf;
  uint8_t dtmf_digit = media::kNoEvent;  // the digit on now
  uint32_t dtmf_started = 0;  // RTP timestamp its start was detected at
  // kTreatTonesToEvents / kTreatEventsToTones, and reports of received RFC 4733 events.
  media::DtmfInterworking interwork;
  // G.729 -> G.711: the silence timer (Worker::fill_silence) keeps the G.711 output continuous
  // when no G.729 arrives. fill_ts: the first input timestamp no packet or fill has covered yet.
  int32_t flow = -1;            // FlowTable position of the flow holding this slot
  rte_mempool* pool = nullptr;  // where the last input came from: fills take mbufs from it
  uint64_t fill_due_tsc = 0;    // when the audio at fill_ts is late enough to be filled
  uint32_t fill_ts = 0;
  bool fill_armed = false;  // a G.729 packet has arrived since setup
};

// How late (after its expected arrival) missing G.729 input is replaced by concealment or
// comfort noise: one 20 ms packet of jitter is tolerated before the G.711 output is filled.
inline constexpr unsigned kFillSlackMs = 20;
// A packet arriving after a gap smaller than this has the gap filled first (continuous output);
// larger gaps (a stalled sender) start a new talkspurt at the packet's own timestamp.
inline constexpr uint32_t kMaxSyncFillSamples = 480;  // 60 ms

// Setup time: derives SRTP keys and creates codec contexts for a validated treatment.
// kTreatmentSetup when IPsec-MB or bcg729 fail; `t` is then cleared.
channel::CommandError configure_treatment(media::AesHmacEngine& engine,
                                          const channel::MediaTreatment& spec, FlowTreatment& t);

// Frees the codec contexts and forgets the keys.
void clear_treatment(FlowTreatment& t);

}  // namespace trunkgate::dp
