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
  std::size_t tag_at;
  uint32_t ssrc;
  uint16_t sequence;
  uint16_t header_length;
  bool new_ssrc;  // the index guess assumed fresh state (a new SSRC, adopted once authentic)
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
  ++s.rtp_packets;  // here too, so the lifetime check of a later packet in the burst counts it
  w.length = length;
  w.job = s.aead ? srtp_wire::aead_job(s.rtp_keys, h.ssrc, w.guess.index, packet, h.header_length,
                                       length, packet, h.header_length, w.iv, w.tag)
                 : rtp_job(s, packet, h.header_length, length, w.guess, h.ssrc, w.iv, w.tag);
  return SrtpStatus::ok;
}

std::size_t finish_protect(SrtpStream& s, uint8_t* packet, const ProtectWork& w) {
  srtp_wire::write_trailer(s.aead, packet + w.length, s.mki, s.mki_length, w.tag, s.rtp_tag_length);
  return w.length + w.trailer;
}

// Every check that needs no crypto, against the stream's state as it is now; no side effects,
// so a burst can set a packet aside and check it again later.
SrtpStatus check_unprotect(const SrtpStream& s, const uint8_t* packet, std::size_t length,
                           UnprotectWork& w) {
  if (!s.initialised) return SrtpStatus::not_initialised;
  const std::size_t trailer = s.mki_length + s.rtp_tag_length;
  if (length < kRtpFixedHeaderSize + trailer) return SrtpStatus::too_short;
  w.auth_end = length - trailer;
  const std::size_t mki_at = s.aead ? w.auth_end + s.rtp_tag_length : w.auth_end;
  w.tag_at = s.aead ? w.auth_end : w.auth_end + s.mki_length;
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
  w.header_length = h.header_length;
  w.new_ssrc = !same_ssrc;
  return SrtpStatus::ok;
}

// Takes the received tag aside and builds the crypto job (which writes the ROC over the trailer).
void build_unprotect_job(SrtpStream& s, uint8_t* packet, UnprotectWork& w) {
  std::memcpy(w.received_tag, packet + w.tag_at, s.rtp_tag_length);
  w.job = s.aead ? srtp_wire::aead_job(s.rtp_keys, w.ssrc, w.guess.index, packet, w.header_length,
                                       w.auth_end, packet, w.header_length, w.iv, w.tag)
                 : rtp_job(s, packet, w.header_length, w.auth_end, w.guess, w.ssrc, w.iv, w.tag);
}

// After the crypto. The stateful checks run again, in the order the single-packet path runs
// them: in a burst, earlier packets of the same stream may have used up the key or taken the
// index since check_unprotect.
SrtpStatus finish_unprotect(SrtpStream& s, const UnprotectWork& w) {
  if (s.rtp_packets >= s.lifetime) return SrtpStatus::key_lifetime_exhausted;
  const SrtpStatus replay = replay_status(replay_check(s, w.ssrc, w.guess.index));
  if (replay != SrtpStatus::ok) return replay;
  if (!srtp_wire::tags_equal(w.tag, w.received_tag, s.rtp_tag_length))
    return SrtpStatus::auth_failed;
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
  const SrtpStatus status = check_unprotect(s, packet, length, w);
  if (status != SrtpStatus::ok) return status;
  build_unprotect_job(s, packet, w);
  if (!engine.run(w.job, CipherDirection::mac_then_decrypt)) return SrtpStatus::crypto_error;
  const SrtpStatus verdict = finish_unprotect(s, w);
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

namespace {

bool stream_in_flight(std::span<const SrtpBurstItem> chunk, const bool* pending, std::size_t i) {
  for (std::size_t j = 0; j < i; ++j)
    if (pending[j] && chunk[j].stream == chunk[i].stream) return true;
  return false;
}

// Whether packet i, whose checks passed against its stream's committed state, may share a crypto
// round with the packets of its stream already in the round (pending, before it). Its index
// guess is settled when it is the one it would get after any of them authenticate: the guess
// only moves forward with the highest accepted index, so equal guesses from the committed state
// and from the state with all of them accepted mean equal guesses in between. A new SSRC, on
// either side, is never settled.
bool guess_settled(std::span<const SrtpBurstItem> chunk, const UnprotectWork* work,
                   const bool* pending, std::size_t i) {
  const UnprotectWork& w = work[i];
  if (w.new_ssrc) return false;
  // The rollover state only ever moves to the highest accepted index.
  const RolloverState& committed = chunk[i].stream->rollover;
  uint64_t highest = (uint64_t{committed.roc} << 16) | committed.highest_seq;
  for (std::size_t j = 0; j < i; ++j) {
    if (!pending[j] || chunk[j].stream != chunk[i].stream) continue;
    if (work[j].new_ssrc) return false;
    highest = std::max(highest, work[j].guess.index);
  }
  const RolloverState all_accepted{static_cast<uint32_t>(highest >> 16),
                                   static_cast<uint16_t>(highest & 0xffff), true};
  const IndexGuess later = estimate_index(all_accepted, w.sequence);
  return later.index == w.guess.index && !later.before_start;
}

bool holds(const SrtpStream* const* streams, std::size_t n, const SrtpStream* s) {
  return std::find(streams, streams + n, s) != streams + n;
}

// One crypto round over the chunk's undecided packets (waiting[i]); returns how many it decided.
// A packet that cannot join (see guess_settled) waits for the next round with every later packet of
// its stream, so each stream's packets are decided in order, each against the state the
// packets before it left: the verdicts and state are those of one srtp_unprotect per packet.
// The first waiting packet of each stream always joins, so every round decides at least one.
std::size_t unprotect_round(AesHmacEngine& engine, std::span<SrtpBurstItem> chunk,
                            UnprotectWork* work, bool* waiting) {
  bool pending[AesHmacEngine::kMaxBurst] = {};
  const SrtpStream* postponed[AesHmacEngine::kMaxBurst];
  std::size_t n_postponed = 0;
  std::size_t decided = 0;
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    SrtpBurstItem& item = chunk[i];
    if (!waiting[i] || holds(postponed, n_postponed, item.stream)) continue;
    // A verdict is final only when no earlier packet of the stream is in flight; otherwise the
    // packet is checked again once they are decided.
    const SrtpStatus status = check_unprotect(*item.stream, item.packet, item.length, work[i]);
    if (stream_in_flight(chunk, pending, i) &&
        (status != SrtpStatus::ok || !guess_settled(chunk, work, pending, i))) {
      postponed[n_postponed++] = item.stream;
      continue;
    }
    waiting[i] = false;
    ++decided;
    item.status = status;
    if (status != SrtpStatus::ok) continue;
    build_unprotect_job(*item.stream, item.packet, work[i]);
    pending[i] = true;
  }
  run_pending(engine, chunk, work, pending, CipherDirection::mac_then_decrypt);
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    if (!pending[i] || chunk[i].status != SrtpStatus::ok) continue;
    chunk[i].status = finish_unprotect(*chunk[i].stream, work[i]);
    if (chunk[i].status == SrtpStatus::ok) chunk[i].out_length = work[i].auth_end;
  }
  return decided;
}

}  // namespace

void srtp_unprotect_burst(AesHmacEngine& engine, std::span<SrtpBurstItem> items) {
  for (std::size_t at = 0; at < items.size(); at += AesHmacEngine::kMaxBurst) {
    const auto chunk = chunk_at(items, at);
    UnprotectWork work[AesHmacEngine::kMaxBurst];
    bool waiting[AesHmacEngine::kMaxBurst];
    std::fill_n(waiting, chunk.size(), true);
    for (std::size_t left = chunk.size(); left > 0;)
      left -= unprotect_round(engine, chunk, work, waiting);
  }
}

}  // namespace trunkgate::media
