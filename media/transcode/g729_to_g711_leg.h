#pragma once
// One transcoding direction, G.729 in -> G.711 out: decodes speech and SID frames, re-encodes
// G.711 and packetizes it at the outgoing ptime. Between G.729 packets (DTX after a SID, or
// loss) the worker's timer calls fill(): with CN negotiated on the G.711 leg (PT 13) a SID
// becomes one RFC 3389 packet and fill() stays silent; without it (SIPconnect 2.0 forbids
// discontinuous G.711 then) fill() sends comfort noise or concealment as ordinary G.711.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "media/transcode/g711_to_g729_leg.h"
#include "media/transcode/pcm_tap.h"
#include "media/transcode/rtp_packetizer.h"

namespace trunkgate::media {

class G729ToG711Leg {
 public:
  static constexpr std::size_t kMaxPacketsPerCall = 8;
  static constexpr int kNoCn = -1;

  // cn_payload_type: the G.711 leg's CN payload type, or kNoCn when it did not offer CN.
  bool configure(G711Law law, const RtpLegConfig& out, int cn_payload_type);
  // tap (may be null) sees each decoded 10 ms before it is encoded (not the CN packet's noise).
  TranscodeError process(std::span<const uint8_t> payload, uint32_t timestamp,
                         std::span<TranscodedPacket> out, std::size_t& written,
                         PcmTap* tap = nullptr);
  // No G.729 packet arrived for [timestamp, timestamp + samples): samples must be whole 10 ms.
  TranscodeError fill(uint32_t timestamp, std::size_t samples, std::span<TranscodedPacket> out,
                      std::size_t& written, PcmTap* tap = nullptr);
  // The outgoing stream, for packets of other types in its sequence space (RFC 4733 events).
  RtpPacketizer& output() { return packetizer_; }

 private:
  std::size_t send_pcm(int16_t* pcm, uint32_t timestamp, std::span<TranscodedPacket> out,
                       PcmTap* tap);

  std::optional<G729Decoder> decoder_;
  RtpPacketizer packetizer_;
  G711Law law_ = G711Law::ulaw;
  int cn_payload_type_ = kNoCn;
  bool in_dtx_ = false;  // a SID was the last thing received
};

}  // namespace trunkgate::media
