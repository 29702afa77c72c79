#include "dataplane/core/srtp_stage.h"

#include <algorithm>

namespace trunkgate::dp {
namespace {

// The most packets handed to the media library at once; bursts longer than this go in pieces.
constexpr std::size_t kChunk = 64;

StageResult result_of(media::SrtpStatus s) {
  switch (s) {
    case media::SrtpStatus::ok: return kStagePass;
    case media::SrtpStatus::auth_failed: return channel::kFlowDropSrtpAuth;
    case media::SrtpStatus::replayed:
    case media::SrtpStatus::too_old: return channel::kFlowDropSrtpReplay;
    default: return channel::kFlowDropSrtpInvalid;
  }
}

// The media library refuses results above 65535 bytes, so the new length fits a UDP datagram.
std::size_t protect_capacity(uint32_t capacity) {
  return std::min<std::size_t>(capacity, 0xffff - 8);
}

void set_result(SrtpStageItem& item, media::SrtpStatus s, std::size_t out_length) {
  item.result = result_of(s);
  if (s == media::SrtpStatus::ok) item.len = static_cast<uint16_t>(out_length);
}

// SRTCP of one item, now; SRTP items are collected into `burst` (their index into `owner`).
void srtcp_or_collect(media::AesHmacEngine& engine, SrtpStageItem& item, bool protect,
                      media::SrtpBurstItem* burst, std::size_t* owner, std::size_t& n,
                      std::size_t index) {
  if (item.rtcp) {
    std::size_t out = 0;
    const media::SrtpStatus s =
        protect ? media::srtcp_protect(engine, *item.stream, item.packet, item.len,
                                       protect_capacity(item.capacity), out)
                : media::srtcp_unprotect(engine, *item.stream, item.packet, item.len, out);
    set_result(item, s, out);
    return;
  }
  burst[n] = {item.stream, item.packet,
              item.len,    protect ? protect_capacity(item.capacity) : 0,
              0,           media::SrtpStatus::ok};
  owner[n++] = index;
}

void run_stage(media::AesHmacEngine& engine, std::span<SrtpStageItem> items, bool protect) {
  for (std::size_t at = 0; at < items.size(); at += kChunk) {
    const auto chunk = items.subspan(at, std::min(kChunk, items.size() - at));
    media::SrtpBurstItem burst[kChunk];
    std::size_t owner[kChunk];
    std::size_t n = 0;
    for (std::size_t i = 0; i < chunk.size(); ++i)
      srtcp_or_collect(engine, chunk[i], protect, burst, owner, n, i);
    const std::span<media::SrtpBurstItem> rtp(burst, n);
    if (protect) {
      media::srtp_protect_burst(engine, rtp);
    } else {
      media::srtp_unprotect_burst(engine, rtp);
    }
    for (std::size_t k = 0; k < n; ++k)
      set_result(chunk[owner[k]], burst[k].status, burst[k].out_length);
  }
}

}  // namespace

void srtp_unprotect_burst_stage(media::AesHmacEngine& engine, std::span<SrtpStageItem> items) {
  run_stage(engine, items, false);
}

void srtp_protect_burst_stage(media::AesHmacEngine& engine, std::span<SrtpStageItem> items) {
  run_stage(engine, items, true);
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
