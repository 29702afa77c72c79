#include "media/srtp/srtp_stream.h"

namespace trunkgate::media {

const char* to_string(SrtpStatus s) {
  switch (s) {
    case SrtpStatus::ok: return "ok";
    case SrtpStatus::bad_header: return "srtp: bad RTP/RTCP header";
    case SrtpStatus::too_short: return "srtp: shorter than header + MKI + tag";
    case SrtpStatus::buffer_too_small: return "srtp: no room for MKI and tag";
    case SrtpStatus::mki_mismatch: return "srtp: unknown MKI";
    case SrtpStatus::auth_failed: return "srtp: authentication failed";
    case SrtpStatus::replayed: return "srtp: replayed packet";
    case SrtpStatus::too_old: return "srtp: packet older than the replay window";
    case SrtpStatus::key_lifetime_exhausted: return "srtp: master key lifetime exhausted";
    case SrtpStatus::crypto_error: return "srtp: crypto engine error";
    case SrtpStatus::unsupported: return "srtp: unencrypted SRTCP under AEAD is not supported";
    case SrtpStatus::not_initialised: return "srtp: stream not initialised";
  }
  return "srtp: unknown";
}

bool srtp_stream_init(AesHmacEngine& engine, const SrtpPolicy& policy, SrtpStream& stream) {
  stream = SrtpStream{};
  if (!engine.valid() || policy.mki_length > kSrtpMaxMkiLength || policy.lifetime == 0)
    return false;
  if (!derive_session_keys(engine, policy, false, stream.rtp_keys) ||
      !derive_session_keys(engine, policy, true, stream.rtcp_keys))
    return false;
  stream.rtp_replay.reset(policy.replay_window);
  stream.rtcp_replay.reset(policy.replay_window);
  stream.lifetime = policy.lifetime;
  stream.mki = policy.mki;
  stream.mki_length = policy.mki_length;
  stream.rtp_tag_length = static_cast<uint8_t>(srtp_tag_length(policy.suite));
  stream.rtcp_tag_length = static_cast<uint8_t>(srtcp_tag_length(policy.suite));
  stream.aead = is_aead(policy.suite);
  stream.initialised = true;
  return true;
}

}  // namespace trunkgate::media
