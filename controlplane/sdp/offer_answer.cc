// Offers, answers and the codec choice between two legs (RFC 3264), per trunk policy: codecs in
// the trunk's order, telephone-event per its DTMF mode, RTP/SAVP per its SRTP policy.
#include <algorithm>

#include "controlplane/sdp/media_negotiation.h"
#include "controlplane/sdp/payload_formats.h"
#include "controlplane/sdp/sdes.h"
#include "controlplane/sdp/sdp_writer.h"

namespace trunkgate::cp {
namespace {

using channel::Codec;

constexpr unsigned kDefaultPtimeMs = 20;  // SIPconnect 2.0 section 14.3: G.711 and G.729 at 20 ms

bool contains(const std::vector<Codec>& codecs, Codec c) {
  return std::find(codecs.begin(), codecs.end(), c) != codecs.end();
}

// The trunk's codecs in its order of preference (the configuration rejects unknown names).
std::vector<Codec> trunk_codecs(const Trunk& trunk) {
  std::vector<Codec> out;
  for (const std::string& name : trunk.codecs) {
    const Codec c = codec_from_name(name);
    if (c != Codec::kNone && !contains(out, c)) out.push_back(c);
  }
  return out;
}

bool allows(const Trunk& trunk, Codec c) {
  return contains(trunk_codecs(trunk), c);
}

const PayloadFormat* find_codec(const std::vector<PayloadFormat>& formats, Codec c) {
  for (const PayloadFormat& f : formats)
    if (codec_of(f) == c) return &f;
  return nullptr;
}

// A ptime the data plane can packetize (TranscodeParams::out_ptime_ms), else the default.
unsigned usable_ptime(unsigned ptime_ms) {
  return ptime_ms >= 10 && ptime_ms <= 40 && ptime_ms % 10 == 0 ? ptime_ms : kDefaultPtimeMs;
}

bool has_g711(const std::vector<PayloadFormat>& formats) {
  return std::any_of(formats.begin(), formats.end(),
                     [](const PayloadFormat& f) { return is_g711(codec_of(f)); });
}

// Whether the call can honour CN the offer lists on a leg that chose `chosen` (see
// media_negotiation.h): the data plane transcodes it from/to the other leg's G.729, or a G.711
// relay passes it unchanged to a peer that negotiated CN with the same number.
bool can_answer_cn(const PeerStream& offer, Codec chosen, const LegMedia& other) {
  if (offer.cn_pt < 0 || !is_g711(chosen)) return false;
  if (other.codec == Codec::kG729) return true;
  return other.codec == chosen && other.cn_pt == offer.cn_pt;
}

int our_event_pt(const Trunk& trunk) {
  return trunk.dtmf == DtmfMode::kRfc4733 ? static_cast<int>(trunk.telephone_event_pt) : -1;
}

// RFC 3264 section 6.1: an answer may only send where the offerer receives and receive where it
// sends; within that, we do what `wanted` (the other leg's state) asks.
MediaDirection answer_direction(MediaDirection offered, MediaDirection wanted) {
  const auto sends = [](MediaDirection d) {
    return d == MediaDirection::kSendRecv || d == MediaDirection::kSendOnly;
  };
  const auto receives = [](MediaDirection d) {
    return d == MediaDirection::kSendRecv || d == MediaDirection::kRecvOnly;
  };
  const bool we_send = receives(offered) && sends(wanted);
  const bool we_receive = sends(offered) && receives(wanted);
  if (we_send && we_receive) return MediaDirection::kSendRecv;
  if (we_send) return MediaDirection::kSendOnly;
  if (we_receive) return MediaDirection::kRecvOnly;
  return MediaDirection::kInactive;
}

void fill_remote(const PeerStream& peer, LegMedia& out) {
  out.remote_address = peer.address;
  out.remote_rtp_port = peer.port;
  out.remote_rtcp_port = peer.rtcp_port;
  out.direction = peer.direction;
  out.ptime_ms = usable_ptime(peer.ptime_ms);
}

// The SRTP policy check both directions of the exchange share.
bool srtp_allowed(bool secure, const Trunk& trunk, std::string& error) {
  if (secure && trunk.srtp == SrtpPolicy::kOff) {
    error = "SDP: RTP/SAVP on a trunk with srtp: off";
    return false;
  }
  if (!secure && trunk.srtp == SrtpPolicy::kRequired) {
    error = "SDP: RTP/AVP on a trunk that requires SRTP";
    return false;
  }
  return true;
}

std::string codec_list(const std::vector<PayloadFormat>& formats) {
  std::string out;
  for (const PayloadFormat& f : formats) out += (out.empty() ? "" : ",") + f.encoding;
  return out.empty() ? "none" : out;
}

}  // namespace

std::vector<Codec> codecs_to_offer(const PeerStream* other, const Trunk* other_trunk,
                                   const Trunk& to_trunk) {
  const std::vector<Codec> ours = trunk_codecs(to_trunk);
  if (other == nullptr) return ours;
  std::vector<Codec> theirs;  // what the other leg offered and may use
  for (const PayloadFormat& f : other->codecs) {
    const Codec c = codec_of(f);
    if (c != Codec::kNone && (other_trunk == nullptr || allows(*other_trunk, c)) &&
        !contains(theirs, c))
      theirs.push_back(c);
  }
  std::vector<Codec> out;
  for (Codec c : theirs)
    if (contains(ours, c)) out.push_back(c);
  for (Codec c : ours) {
    const bool transcodable =
        std::any_of(theirs.begin(), theirs.end(), [c](Codec t) { return bridgeable(c, t); });
    if (transcodable && !contains(out, c)) out.push_back(c);
  }
  return out;
}

std::string make_offer(const std::vector<Codec>& codecs, const Trunk& trunk,
                       const LocalMedia& local, MediaDirection direction, OfferMade& made,
                       int other_cn_pt) {
  made = OfferMade{};
  OurAudio audio;
  audio.direction = direction;
  for (Codec c : codecs.empty() ? trunk_codecs(trunk) : codecs)
    if (c != Codec::kNone) made.codecs.push_back(our_format(c));
  audio.formats = made.codecs;
  made.telephone_event_pt = our_event_pt(trunk);
  if (made.telephone_event_pt >= 0)
    audio.formats.push_back(telephone_event_format(made.telephone_event_pt));
  if (other_cn_pt == kStaticCnPt && has_g711(made.codecs)) {
    made.cn_pt = kStaticCnPt;
    audio.formats.push_back(comfort_noise_format(kStaticCnPt));
  }
  // SRTP is offered only when required: an optional trunk gets plain RTP/AVP, since an SAVP offer
  // to a peer without SRTP fails the call (RFC 3264 has no fallback, SIPconnect 2.0 section 14.4
  // leaves negotiation out). The SIPconnect mandatory suite comes first.
  made.secure = trunk.srtp == SrtpPolicy::kRequired;
  if (made.secure) {
    made.our_keys = {generate_key(channel::SrtpSuite::kAesCm128HmacSha1_80, 1),
                     generate_key(channel::SrtpSuite::kAesCm128HmacSha1_32, 2)};
  }
  audio.secure = made.secure;
  audio.keys = made.our_keys;
  return write_sdp(local, audio);
}

bool read_answer(const PeerStream& answer, const OfferMade& offered, const Trunk& trunk,
                 LegMedia& out, std::string& error) {
  out = LegMedia{};
  if (answer.port == 0) {
    error = "SDP: the answer refused the audio stream";
    return false;
  }
  if (!srtp_allowed(answer.secure, trunk, error)) return false;
  if (answer.secure != offered.secure) {
    error = "SDP: the answer changed the transport profile of our offer";
    return false;
  }
  // The answerer's order is its preference (RFC 3264 section 6.1).
  for (const PayloadFormat& f : answer.codecs) {
    const Codec c = codec_of(f);
    if (c != Codec::kNone && find_codec(offered.codecs, c) != nullptr) {
      out.codec = c;
      out.pt = f.pt;
      break;
    }
  }
  if (out.codec == Codec::kNone) {
    error =
        "SDP: the answer has none of the offered codecs (answered: " + codec_list(answer.codecs) +
        ")";
    return false;
  }
  if (offered.telephone_event_pt >= 0) out.telephone_event_pt = answer.telephone_event_pt;
  // CN next to G.729 means nothing to the data plane (its SIDs are G.729's own).
  if (offered.cn_pt >= 0 && is_g711(out.codec)) out.cn_pt = answer.cn_pt;
  if (offered.secure) {
    for (const SdesKey& theirs : answer.keys) {
      for (const SdesKey& ours : offered.our_keys) {
        if (ours.tag == theirs.tag && ours.suite == theirs.suite && !out.peer_key) {
          out.our_key = ours;
          out.peer_key = theirs;
        }
      }
    }
    if (!out.peer_key) {
      error = "SDP: the answer's a=crypto matches no offered tag and suite";
      return false;
    }
  }
  fill_remote(answer, out);
  return true;
}

std::optional<std::string> make_answer(const PeerStream& offer, const Trunk& trunk,
                                       const std::vector<Codec>& preferred, const LocalMedia& local,
                                       MediaDirection direction, LegMedia& out, std::string& error,
                                       const LegMedia& other) {
  out = LegMedia{};
  if (offer.port == 0) {
    error = "SDP: the offer disabled the audio stream";
    return std::nullopt;
  }
  if (!srtp_allowed(offer.secure, trunk, error)) return std::nullopt;
  if (offer.secure && offer.keys.empty()) {
    error = "SDP: RTP/SAVP offer without a usable a=crypto";
    return std::nullopt;
  }
  const PayloadFormat* chosen = nullptr;
  for (Codec c : preferred.empty() ? trunk_codecs(trunk) : preferred) {
    chosen = allows(trunk, c) ? find_codec(offer.codecs, c) : nullptr;
    if (chosen != nullptr) break;
  }
  if (chosen == nullptr) {
    error =
        "SDP: none of the offered codecs is acceptable (offered: " + codec_list(offer.codecs) + ")";
    return std::nullopt;
  }
  OurAudio audio;
  out.codec = codec_of(*chosen);
  out.pt = chosen->pt;
  PayloadFormat format = our_format(out.codec);
  format.pt = chosen->pt;  // the answer uses the offer's numbers (RFC 3264 section 6.1)
  audio.formats.push_back(format);
  if (our_event_pt(trunk) >= 0 && offer.telephone_event_pt >= 0) {
    out.telephone_event_pt = offer.telephone_event_pt;
    audio.formats.push_back(telephone_event_format(offer.telephone_event_pt));
  }
  if (can_answer_cn(offer, out.codec, other)) {
    out.cn_pt = offer.cn_pt;
    audio.formats.push_back(comfort_noise_format(offer.cn_pt));
  }
  if (offer.secure) {
    // The offerer's first usable key; ours answers with its tag and suite (RFC 4568 section 7.1.2).
    out.peer_key = offer.keys.front();
    out.our_key = generate_key(out.peer_key->suite, out.peer_key->tag);
    audio.secure = true;
    audio.keys = {*out.our_key};
  }
  fill_remote(offer, out);
  audio.ptime_ms = out.ptime_ms;
  audio.direction = answer_direction(offer.direction, direction);
  return write_sdp(local, audio, offer.audio_index, offer.refused_media);
}

}  // namespace trunkgate::cp
