// SDP offer/answer for the B2BUA, one leg at a time. Each leg of a call runs its own offer/answer
// exchange with its peer, with the gateway's media address in every SDP it sends; the result of
// each exchange is a LegMedia (codec, payload types, peer address, SRTP keys). The two legs'
// results together decide relay (same codec) or transcode (different codecs), see media_plan.h.
//
// Codecs the gateway can bridge: the same codec on both legs (relay, with payload-type mapping),
// or PCMU/PCMA on one leg and G.729 on the other (the data plane's transcoder). PCMU <-> PCMA is
// not bridged. Only the first audio stream of an SDP is used; other streams are refused (port 0)
// in our answers and never offered. RTCP is always on port + 1: the gateway neither offers nor
// accepts rtcp-mux (a peer's a=rtcp port is honoured). Payload types are taken as symmetric: the
// number a peer's SDP gives a codec is the one it sends and expects (RFC 3264 section 5.1 SHOULD;
// every peer in the specs does so).
//
// Comfort noise (RFC 3389 CN) is used on a leg only when both its SDPs list it (RFC 3264), and only
// next to G.711: SIPconnect 2.0 section 14.3 (spec 004 L586) says a peer that did not list PT 13
// must be assumed unable to receive discontinuous G.711, and G.729 carries its own SID (Annex B).
// The gateway lists CN to a leg only when the call can honour it: the leg's G.711 is transcoded
// from/to G.729 (the data plane turns SIDs into CN and consumes CN, kTreatComfortNoise), or the
// other leg negotiated CN with the same number on a G.711 relay (a relay passes payload types it
// does not map unchanged, so CN packets cross as they are; with different numbers CN is not
// negotiated, as a relay has no map slot for CN). Known limit: a peer that answers our CN 13
// under another number keeps CN on its side of such a relay while the other side has none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controlplane/config/trunk.h"
#include "dataplane/channel/schema.h"

namespace trunkgate::cp {

enum class MediaDirection { kSendRecv, kSendOnly, kRecvOnly, kInactive };

// RFC 3551 static CN type: the one the gateway offers (SIPconnect 2.0 section 14.3).
inline constexpr int kStaticCnPt = 13;

// The direction our SDP to one leg takes when the other leg said `d` (hold passes through: a
// sendonly offer from one side becomes a sendonly offer to the other).
inline MediaDirection mirror_direction(MediaDirection d) {
  return d;
}

struct PayloadFormat {
  int pt = -1;
  std::string encoding;  // as written ("PCMU", "G729", "telephone-event")
  uint32_t clock_rate = 8000;
  std::string fmtp;  // empty when absent
};

// One SDES crypto attribute (RFC 4568), decoded.
struct SdesKey {
  uint32_t tag = 1;
  channel::SrtpSuite suite = channel::SrtpSuite::kNone;
  uint8_t key[channel::kSrtpMasterKeyLength] = {};
  uint8_t salt[channel::kSrtpMasterSaltLength] = {};
  uint8_t mki_length = 0;  // 0: no MKI
  uint32_t mki = 0;
  uint64_t lifetime = 0;  // packets; 0: default (2^48)
};

// The first audio stream of a peer's SDP, as the peer described it.
struct PeerStream {
  std::string address;     // connection address; "0.0.0.0" or "::" is the RFC 2543 hold form
  uint16_t port = 0;       // 0: the peer refused/disabled the stream
  uint16_t rtcp_port = 0;  // a=rtcp, else port + 1
  std::vector<PayloadFormat> codecs;  // audio formats in the peer's order (not telephone-event/CN)
  int telephone_event_pt = -1;        // -1: not offered/answered
  int cn_pt = -1;         // RFC 3389 CN at 8000 Hz (static 13 or rtpmap); -1: not listed
  unsigned ptime_ms = 0;  // 0: not given
  MediaDirection direction = MediaDirection::kSendRecv;
  bool secure = false;         // RTP/SAVP (read_stream refuses AVPF/SAVPF)
  std::vector<SdesKey> keys;   // usable crypto attributes in SDP order (at most 16)
  std::string origin_version;  // o= session version, to recognise an unchanged SDP
  unsigned media_count = 1;    // m= lines in the SDP (answers must have as many)
  unsigned audio_index = 0;    // which m= line is the audio stream
  // Every other m= line in order, as our answer refuses it: "<media> 0 <proto> <first format>"
  // (RFC 3264 section 6: same number and order of m= lines, refused ones with port 0).
  std::vector<std::string> refused_media;

  bool unspecified_address() const { return address == "0.0.0.0" || address == "::"; }
};

// Reads the first audio stream of an SDP body (application/sdp text). Codecs, telephone-event and
// CN are recognised by rtpmap name (any case) at 8000 Hz, or by static payload type when there is
// no rtpmap (of telephone-event and CN, the first at 8000 Hz counts); crypto
// attributes with unsupported suites or session parameters are skipped (RFC 4568 7.1.1). nullopt
// with a precise `error` ("SDP: ...") when the SDP does not parse, has no m=audio, or its audio
// stream has a transport other than RTP/AVP or RTP/SAVP, a payload type outside 0-127, more than
// 64 formats, port 65535, a=rtcp:0, or (port != 0) no c= or a c= that is not a unicast IP literal
// of its address type. A port-0 stream reads with port 0 (the caller sees it refused).
std::optional<PeerStream> read_stream(std::string_view sdp_body, std::string& error);

// Where the gateway receives a leg's media, and the o= line it owns for that leg. The caller
// increments `version` each time it sends this leg a new SDP.
struct LocalMedia {
  std::string address;  // the gateway's address on the leg's data-plane interface
  uint16_t rtp_port = 0;
  uint64_t session_id = 0;
  uint64_t version = 0;
};

// What the gateway offered a leg: needed to read that leg's answer.
struct OfferMade {
  std::vector<PayloadFormat> codecs;  // in offer order
  int telephone_event_pt = -1;
  int cn_pt = -1;  // kStaticCnPt when the offer listed CN
  bool secure = false;
  std::vector<SdesKey> our_keys;  // one per offered crypto attribute (tag order)
};

// The outcome of one leg's offer/answer exchange.
struct LegMedia {
  channel::Codec codec = channel::Codec::kNone;
  int pt = -1;                  // the payload type this leg's peer uses for `codec`
  int telephone_event_pt = -1;  // -1: no RFC 4733 on this leg
  int cn_pt = -1;               // RFC 3389 CN negotiated on this G.711 leg (the peer's number)
  unsigned ptime_ms = 20;       // the peer's a=ptime when 10/20/30/40, else 20
  std::string remote_address;   // where to send this leg's RTP ("0.0.0.0": on hold)
  uint16_t remote_rtp_port = 0;
  uint16_t remote_rtcp_port = 0;
  MediaDirection direction = MediaDirection::kSendRecv;  // as the peer stated it
  std::optional<SdesKey> our_key;   // SRTP: we protect what we send to the peer with this
  std::optional<SdesKey> peer_key;  // SRTP: the peer protects what it sends with this
};

// The codecs to offer `to_trunk`'s peer, in order: when the other leg offered (`other`), first
// the codecs it offered that `to_trunk` allows (relay), then `to_trunk`'s other codecs that can
// be transcoded from one the other leg offered and its trunk allows (`other_trunk`); with no
// offer from the other leg (delayed offer), all of `to_trunk`'s codecs in its order.
std::vector<channel::Codec> codecs_to_offer(const PeerStream* other, const Trunk* other_trunk,
                                            const Trunk& to_trunk);

// Our offer to a leg: the codecs given (an empty list: the trunk's codecs) with their static
// payload types (G.729 with annexb=no), telephone-event with the trunk's number and events 0-16
// when its DTMF mode is rfc4733, a=ptime:20, `direction`. RTP/SAVP with fresh SDES keys
// (AES_CM_128_HMAC_SHA1_80 tag 1, AES_CM_128_HMAC_SHA1_32 tag 2, no lifetime or MKI, SIPconnect
// 2.0 section 14.4) only when the trunk's SRTP policy is required; an optional trunk is offered
// plain RTP/AVP. CN 13 when `other_cn_pt` (the CN type of the other leg: what its peer offered,
// or negotiated when it made no offer) is 13 and the offer has a G.711 codec, so that a G.711
// relay carries CN both ways unchanged (13 is SIPconnect 2.0's indication, spec 004 L586); never
// next to G.729 alone. Fills `made`.
std::string make_offer(const std::vector<channel::Codec>& codecs, const Trunk& trunk,
                       const LocalMedia& local, MediaDirection direction, OfferMade& made,
                       int other_cn_pt = -1);

// Reads a leg's answer to our offer into `out`: the first codec of the answer that we offered
// (with the answer's payload type), its telephone-event type if we offered one, its CN type if we
// offered CN and the codec is G.711, and for SRTP our
// key of the answer's crypto tag (same suite) and the peer's key. False with `error` when the
// answer refuses the stream, picks nothing we offered, switches between RTP/AVP and RTP/SAVP,
// breaks the trunk's SRTP policy, or (SRTP) has no crypto matching an offered tag and suite.
bool read_answer(const PeerStream& answer, const OfferMade& offered, const Trunk& trunk,
                 LegMedia& out, std::string& error);

// Our answer to a leg's offer: picks the first of `preferred` (the other leg's codec first, so
// that relay wins; an empty list: the trunk's order) that the offer has and the trunk allows,
// with the offer's payload type; telephone-event (the offer's number) if both the offer and the
// trunk have it; CN (the offer's number) when the offer has it, the chosen codec is G.711 and
// `other` (the other leg's negotiated media; codec kNone when unknown) can honour it: G.729
// (transcoding) or the same codec with the same CN number (relay); SRTP when offered and
// allowed, answering the offer's first usable crypto with a
// fresh key of the same tag and suite; the offer's ptime when 10/20/30/40 ms, else 20. Our
// direction is `direction` narrowed to what the offer allows (a sendonly offer gets at most
// recvonly, RFC 3264 section 6.1); other m= lines are answered with port 0. Fills `out`. nullopt
// with `error` (the caller answers 488) when the offer disabled the stream, breaks the trunk's SRTP
// policy (SAVP to srtp: off, AVP to srtp: required), has no usable crypto, or no acceptable codec.
std::optional<std::string> make_answer(const PeerStream& offer, const Trunk& trunk,
                                       const std::vector<channel::Codec>& preferred,
                                       const LocalMedia& local, MediaDirection direction,
                                       LegMedia& out, std::string& error,
                                       const LegMedia& other = {});

// True when the data plane can bridge `a` and `b` (equal, or G.711 with G.729).
bool bridgeable(channel::Codec a, channel::Codec b);
bool is_g711(channel::Codec c);                         // PCMU or PCMA
channel::Codec codec_from_name(std::string_view name);  // "PCMU" -> kPcmu, unknown -> kNone
const char* codec_name(channel::Codec codec);           // kPcmu -> "PCMU"

}  // namespace trunkgate::cp
