// The DTMF stages of a treated flow, and the reports they give the control plane (kDtmf events):
// - in-band detection on a G.711 stream (kTreatDtmfDetect): the packet itself is not changed;
// - received RFC 4733 telephone-events (pt_map.event_in): checked, reported, and with
//   kTreatEventsToTones scheduled as tones;
// - tones written into a relayed G.711 packet (kTreatEventsToTones without transcoding);
// - reports for the events kTreatTonesToEvents generates (the transcoding stage sends them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/channel/schema.h"
#include "dataplane/core/flow_treatment.h"
#include "dataplane/core/srtp_stage.h"
#include "media/dtmf/telephone_event_receiver.h"
#include "media/dtmf/telephone_event_sender.h"

namespace trunkgate::dp {

inline constexpr std::size_t kMaxDtmfReports = 16;

// What one packet's stages report; posted by the worker once the packet is done.
struct DtmfReports {
  channel::DtmfReport report[kMaxDtmfReports];
  std::size_t count = 0;
  void add(const channel::DtmfReport& r) {
    if (count < kMaxDtmfReports) report[count++] = r;
  }
  std::size_t room() const { return kMaxDtmfReports - count; }
};

// `rtp` is a validated, unprotected RTP packet of `len` bytes. Packets of another payload type are
// ignored. Audio beyond what could be reported is not analysed, which only a hostile sender's
// oversized packet reaches.
void dtmf_detect_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len, DtmfReports& reports);

// True when `rtp` is a telephone-event packet this flow knows (kTreatEventMap or
// kTreatEventsToTones, payload type pt_map.event_in).
bool is_event_packet(const FlowTreatment& t, const uint8_t* rtp);

// A telephone-event packet: kFlowDropBadEvent when its payload is not whole 4-byte blocks, or an
// event above 16 that kTreatEventsToTones would have to play; otherwise reported (start, end with
// the final duration; redundant end packets report nothing) and kStagePass.
StageResult telephone_event_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len,
                                  DtmfReports& reports);

// A telephone-event packet (payload type checked by the caller) on a flow without a treatment
// (kFlowReportEvents): reported as a treated flow's are, its state in `receiver`. One that is not
// a well-formed DTMF event is relayed unreported: a plain relay does not judge the peers' events.
void relayed_event_reports(media::TelephoneEventReceiver& receiver, const uint8_t* rtp,
                           uint16_t len, DtmfReports& reports);

// The DTMF interworking on a relayed G.711 packet of dtmf.pt, in place: kTreatEventsToTones writes
// the due tone, kTreatTonesToEvents mutes detected tones and collects their event packets
// (t.interwork.take_packets()). True when the payload changed.
bool relay_interworking(FlowTreatment& t, uint8_t* rtp, uint16_t len, DtmfReports& reports);

// Reports for what the interworking did in the audio: the event packets kTreatTonesToEvents
// produced (start on the marker packet, end on the first end packet), and the end of a tone whose
// RFC 4733 sender went quiet.
void report_interworking(FlowTreatment& t, std::span<const media::TelephoneEventPacket> sent,
                         DtmfReports& reports);

}  // namespace trunkgate::dp
