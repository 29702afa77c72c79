// SRTP protect/unprotect of RTP packets (RFC 3711 sections 3.3 and 4), one at a time or in
// bursts. Each packet is split into prepare (parse, index, replay pre-check, build the crypto
// job) and finish (verify, commit state, write the trailer), so a burst can run all its crypto
// jobs through IPsec-MB's multi-buffer scheduler together.
#include <algorithm>
#include <cstring>
#include <span>

#include "media/common/byte_order.h"
#include "media/rtp/rtp_header.h"
#include "media/srtp/srtp_stream.h"
#include "media/srtp/srtp_wire.h"

namespace trunkgate::media {

namespace {

struct ProtectWork {
  IndexGuess guess;
  std::size_t length;
  std::size_t trailer;
  alignas(16) uint8_t iv[16];
  uint8_t tag[kMaxTagOutput];
  CipherMacJob job;
};

struct UnprotectWork {
  IndexGuess guess;
  std::size_t auth_end;  // end of the authenticated (AEAD: encrypted) part
  uint32_t ssrc;
  uint16_t sequence;
  bool new_ssrc;  // the index guess assumed fresh state: burst mode runs it alone (see below)
  alignas(16) uint8_t iv[16];
  uint8_t tag[kMaxTagOutput];
  uint8_t received_tag[kMaxTagOutput];
  CipherMacJob job;
};

// Authenticated portion || ROC must be contiguous for one HMAC job, so the ROC is written where
// the MKI and tag go; the caller guarantees those >= 4 bytes exist (every tag is >= 4 bytes).
CipherMacJob rtp_job(SrtpStream& s, uint8_t* packet, std::size_t header_length,
                     std::size_t auth_end, const IndexGuess& guess, uint32_t ssrc, uint8_t* iv,
                     uint8_t* tag) {
  store_be32(packet + auth_end, guess.roc);
  return srtp_wire::session_job(s.rtp_keys, ssrc, guess.index, packet, header_length, auth_end,
                                auth_end + 4, iv, tag);
}

ReplayVerdict replay_check(const SrtpStream& s, uint32_t ssrc, uint64_t index) {
  const bool same_ssrc = s.ssrc_bound && s.ssrc == ssrc;
  return same_ssrc ? s.rtp_replay.check(index) : ReplayVerdict::fresh;
}

SrtpStatus replay_status(ReplayVerdict v) {
  return v == ReplayVerdict::replayed  ? SrtpStatus::replayed
         : v == ReplayVerdict::too_old ? SrtpStatus::too_old
                                       : SrtpStatus::ok;
}

SrtpStatus prepare_protect(SrtpStream& s, uint8_t* packet, std::size_t length,
                           std::size_t capacity, ProtectWork& w) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  RtpHeader h;
  if (parse_rtp_header(std::span<const uint8_t>(packet, length), h) != RtpError::ok)
    return SrtpStatus::bad_header;
  w.trailer = s.mki_length + s.rtp_tag_length;
  if (!srtp_wire::trailer_fits(length, w.trailer, capacity)) return SrtpStatus::buffer_too_small;
  if (s.rtp_packets >= s.lifetime) return SrtpStatus::key_lifetime_exhausted;
  if (!s.ssrc_bound || s.ssrc != h.ssrc) {
    s.rollover = RolloverState{};
    s.ssrc = h.ssrc;
    s.ssrc_bound = true;
  }
  // The sender tracks the index the same way a receiver does, so relayed packets that arrive
  // reordered across a wrap still get the right ROC.
  // Advanced now, not after the crypto, so the next packet of the same burst sees it.
  w.guess = estimate_index(s.rollover, h.sequence);
  advance_rollover(s.rollover, w.guess, h.sequence);
  w.length = length;
  w.job = s.aead ? srtp_wire::aead_job(s.rtp_keys, h.ssrc, w.guess.index, packet, h.header_length,
                                       length, packet, h.header_length, w.iv, w.tag)
                 : rtp_job(s, packet, h.header_length, length, w.guess, h.ssrc, w.iv, w.tag);
  return SrtpStatus::ok;
}

std::size_t finish_protect(SrtpStream& s, uint8_t* packet, const ProtectWork& w) {
  srtp_wire::write_trailer(s.aead, packet + w.length, s.mki, s.mki_length, w.tag, s.rtp_tag_length);
  ++s.rtp_packets;
  return w.length + w.trailer;
}

SrtpStatus prepare_unprotect(SrtpStream& s, uint8_t* packet, std::size_t length,
                             UnprotectWork& w) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  const std::size_t trailer = s.mki_length + s.rtp_tag_length;
  if (length < kRtpFixedHeaderSize + trailer) return SrtpStatus::too_short;
  w.auth_end = length - trailer;
  const std::size_t mki_at = s.aead ? w.auth_end + s.rtp_tag_length : w.auth_end;
  const std::size_t tag_at = s.aead ? w.auth_end : w.auth_end + s.mki_length;
  RtpHeader h;
  if (parse_rtp_header(std::span<const uint8_t>(packet, w.auth_end), h) != RtpError::ok)
    return SrtpStatus::bad_header;
  if (!srtp_wire::mki_matches(packet + mki_at, s.mki, s.mki_length))
    return SrtpStatus::mki_mismatch;
  if (s.rtp_packets >= s.lifetime) return SrtpStatus::key_lifetime_exhausted;
  // A new SSRC starts from fresh rollover and replay state, adopted only once it authenticates.
  const bool same_ssrc = s.ssrc_bound && s.ssrc == h.ssrc;
  w.guess = estimate_index(same_ssrc ? s.rollover : RolloverState{}, h.sequence);
  if (w.guess.before_start) return SrtpStatus::too_old;
  const SrtpStatus replay = replay_status(replay_check(s, h.ssrc, w.guess.index));
  if (replay != SrtpStatus::ok) return replay;
  w.ssrc = h.ssrc;
  w.sequence = h.sequence;
  w.new_ssrc = !same_ssrc;
  std::memcpy(w.received_tag, packet + tag_at, s.rtp_tag_length);
  w.job = s.aead ? srtp_wire::aead_job(s.rtp_keys, h.ssrc, w.guess.index, packet, h.header_length,
                                       w.auth_end, packet, h.header_length, w.iv, w.tag)
                 : rtp_job(s, packet, h.header_length, w.auth_end, w.guess, h.ssrc, w.iv, w.tag);
  return SrtpStatus::ok;
}

SrtpStatus finish_unprotect(SrtpStream& s, const UnprotectWork& w) {
  if (!srtp_wire::tags_equal(w.tag, w.received_tag, s.rtp_tag_length)) return SrtpStatus::auth_failed;
  // Checked again: an earlier packet of the same burst may have taken this index.
  const SrtpStatus replay = replay_status(replay_check(s, w.ssrc, w.guess.index));
  if (replay != SrtpStatus::ok) return replay;
  if (!s.ssrc_bound || s.ssrc != w.ssrc) {
    s.ssrc = w.ssrc;
    s.ssrc_bound = true;
    s.rollover = RolloverState{};
    s.rtp_replay.reset(s.rtp_replay.size());
  }
  s.rtp_replay.accept(w.guess.index);
  advance_rollover(s.rollover, w.guess, w.sequence);
  ++s.rtp_packets;
  return SrtpStatus::ok;
}

SrtpStatus run_unprotect(AesHmacEngine& engine, SrtpStream& s, const UnprotectWork& w) {
  if (!engine.run(w.job, CipherDirection::mac_then_decrypt)) return SrtpStatus::crypto_error;
  return finish_unprotect(s, w);
}

}  // namespace

SrtpStatus srtp_protect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                        std::size_t length, std::size_t capacity, std::size_t& out_length) {
  ProtectWork w;
  const SrtpStatus status = prepare_protect(s, packet, length, capacity, w);
  if (status != SrtpStatus::ok) return status;
  if (!engine.run(w.job, CipherDirection::encrypt_then_mac)) return SrtpStatus::crypto_error;
  out_length = finish_protect(s, packet, w);
  return SrtpStatus::ok;
}

SrtpStatus srtp_unprotect(AesHmacEngine& engine, SrtpStream& s, uint8_t* packet,
                          std::size_t length, std::size_t& out_length) {
  UnprotectWork w;
  const SrtpStatus status = prepare_unprotect(s, packet, length, w);
  if (status != SrtpStatus::ok) return status;
  const SrtpStatus verdict = run_unprotect(engine, s, w);
  if (verdict == SrtpStatus::ok) out_length = w.auth_end;
  return verdict;
}

namespace {

// Runs the crypto of the chunk's items that still wait for it (pending[i]) in one burst;
// an engine failure becomes that item's status.
template <typename Work>
void run_pending(AesHmacEngine& engine, std::span<SrtpBurstItem> items, Work* work,
                 const bool* pending, CipherDirection direction) {
  CipherMacJob jobs[AesHmacEngine::kMaxBurst];
  std::size_t owner[AesHmacEngine::kMaxBurst];
  bool completed[AesHmacEngine::kMaxBurst];
  std::size_t n = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!pending[i]) continue;
    jobs[n] = work[i].job;
    owner[n++] = i;
  }
  engine.run_burst(jobs, n, direction, completed);
  for (std::size_t k = 0; k < n; ++k)
    if (!completed[k]) items[owner[k]].status = SrtpStatus::crypto_error;
}

std::span<SrtpBurstItem> chunk_at(std::span<SrtpBurstItem> items, std::size_t at) {
  return items.subspan(at, std::min(AesHmacEngine::kMaxBurst, items.size() - at));
}

}  // namespace

void srtp_protect_burst(AesHmacEngine& engine, std::span<SrtpBurstItem> items) {
  for (std::size_t at = 0; at < items.size(); at += AesHmacEngine::kMaxBurst) {
    const auto chunk = chunk_at(items, at);
    ProtectWork work[AesHmacEngine::kMaxBurst];
    bool pending[AesHmacEngine::kMaxBurst];
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      chunk[i].status = prepare_protect(*chunk[i].stream, chunk[i].packet, chunk[i].length,
                                        chunk[i].capacity, work[i]);
      pending[i] = chunk[i].status == SrtpStatus::ok;
    }
    run_pending(engine, chunk, work, pending, CipherDirection::encrypt_then_mac);
    for (std::size_t i = 0; i < chunk.size(); ++i)
      if (chunk[i].status == SrtpStatus::ok)
        chunk[i].out_length = finish_protect(*chunk[i].stream, chunk[i].packet, work[i]);
  }
}

void srtp_unprotect_burst(AesHmacEngine& engine, std::span<SrtpBurstItem> items) {
  for (std::size_t at = 0; at < items.size(); at += AesHmacEngine::kMaxBurst) {
    const auto chunk = chunk_at(items, at);
    UnprotectWork work[AesHmacEngine::kMaxBurst];
    bool pending[AesHmacEngine::kMaxBurst];
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      SrtpBurstItem& item = chunk[i];
      item.status = prepare_unprotect(*item.stream, item.packet, item.length, work[i]);
      pending[i] = item.status == SrtpStatus::ok;
      // A packet that would bind a new SSRC runs alone, now: the index guesses of the packets
      // after it in the burst need the rollover state it establishes.
      if (pending[i] && work[i].new_ssrc) {
        item.status = run_unprotect(engine, *item.stream, work[i]);
        if (item.status == SrtpStatus::ok) item.out_length = work[i].auth_end;
        pending[i] = false;
      }
    }
    run_pending(engine, chunk, work, pending, CipherDirection::mac_then_decrypt);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (!pending[i] || chunk[i].status != SrtpStatus::ok) continue;
      chunk[i].status = finish_unprotect(*chunk[i].stream, work[i]);
      if (chunk[i].status == SrtpStatus::ok) chunk[i].out_length = work[i].auth_end;
    }
  }
}

}  // namespace trunkgate::media
