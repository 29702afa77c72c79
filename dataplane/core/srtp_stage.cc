#include "dataplane/core/srtp_stage.h"

#include <algorithm>

namespace trunkgate::dp {
namespace {

StageResult result_of(media::SrtpStatus s) {
  switch (s) {
    case media::SrtpStatus::ok: return kStagePass;
    case media::SrtpStatus::auth_failed: return channel::kFlowDropSrtpAuth;
    case media::SrtpStatus::replayed:
    case media::SrtpStatus::too_old: return channel::kFlowDropSrtpReplay;
    default: return channel::kFlowDropSrtpInvalid;
  }
}

}  // namespace

StageResult srtp_unprotect_stage(media::AesHmacEngine& engine, media::SrtpStream& stream,
                                 uint8_t* packet, uint16_t& len, bool rtcp) {
  std::size_t out = 0;
  const media::SrtpStatus s = rtcp ? media::srtcp_unprotect(engine, stream, packet, len, out)
                                   : media::srtp_unprotect(engine, stream, packet, len, out);
  if (s == media::SrtpStatus::ok) len = static_cast<uint16_t>(out);  // never longer than len
  return result_of(s);
}

StageResult srtp_protect_stage(media::AesHmacEngine& engine, media::SrtpStream& stream,
                               uint8_t* packet, uint16_t& len, uint32_t capacity, bool rtcp) {
  std::size_t out = 0;
  // The media library refuses results above 65535 bytes, so the new length fits a UDP datagram.
  const std::size_t cap = std::min<std::size_t>(capacity, 0xffff - 8);
  const media::SrtpStatus s = rtcp ? media::srtcp_protect(engine, stream, packet, len, cap, out)
                                   : media::srtp_protect(engine, stream, packet, len, cap, out);
  if (s == media::SrtpStatus::ok) len = static_cast<uint16_t>(out);
  return result_of(s);
}

channel::WorkerDrop worker_drop_of(channel::FlowDrop drop) {
  static constexpr channel::WorkerDrop kMap[channel::kFlowDropCount] = {
      channel::kDropInvalidRtp,  channel::kDropSource,      channel::kDropNoNeighbor,
      channel::kDropTxFull,      channel::kDropSrtpAuth,    channel::kDropSrtpReplay,
      channel::kDropSrtpInvalid, channel::kDropTranscode,   channel::kDropNoMbuf,
      channel::kDropBadEvent};
  return kMap[drop];
}

}  // namespace trunkgate::dp
