#pragma once
// One transcoding direction, G.711 in -> G.729 out (RFC 3551 PT 18): decodes each G.711
// payload, encodes 10 ms G.729 frames (Annex B VAD/DTX when enabled: SID frames, and nothing
// at all while the silence does not change), and packetizes them at the outgoing ptime with
// the leg's own sequence numbers. Setup allocates (bcg729); process() does not.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "media/cn/comfort_noise.h"
#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "media/transcode/pcm_tap.h"
#include "media/transcode/rtp_packetizer.h"

namespace trunkgate::media {

enum class TranscodeError : uint8_t {
  ok,
  bad_payload,     // not whole 10 ms units of the input codec
  not_configured,
};

class G711ToG729Leg {
 public:
  // At least this many output slots per call guarantee nothing is held back or dropped.
  static constexpr std::size_t kMaxPacketsPerCall = 8;

  bool configure(G711Law law, bool vad_dtx, const RtpLegConfig& out);
  // payload: one G.711 RTP payload; timestamp: its RTP timestamp on the input leg. tap (may be
  // null) sees each decoded 10 ms before it is encoded.
  TranscodeError process(std::span<const uint8_t> payload, uint32_t timestamp,
                         std::span<TranscodedPacket> out, std::size_t& written,
                         PcmTap* tap = nullptr);
  // An RFC 3389 CN packet from the G.711 side: the talkspurt ends (what is buffered goes out);
  // with VAD/DTX the encoder hears `samples` of noise at the CN level and sends its own SID.
  std::size_t comfort_noise(uint8_t level, uint32_t timestamp, std::size_t samples,
                            std::span<TranscodedPacket> out);
  // The outgoing stream, for packets of other types in its sequence space (RFC 4733 events).
  RtpPacketizer& output() { return packetizer_; }

 private:
  std::size_t encode(const int16_t* pcm, uint32_t timestamp, std::span<TranscodedPacket> out);

  std::optional<G729Encoder> encoder_;
  RtpPacketizer packetizer_;
  ComfortNoiseGenerator noise_;
  G711Law law_ = G711Law::ulaw;
  bool vad_dtx_ = false;
};

}  // namespace trunkgate::media
