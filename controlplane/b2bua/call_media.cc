// A call's media: its ports, the SDP the gateway sends each leg, and keeping the data plane's
// flows in step with what both legs negotiated.
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

#include "controlplane/b2bua/b2bua.h"
#include "controlplane/b2bua/call.h"
#include "controlplane/logging/log_fields.h"

namespace trunkgate::cp {
namespace {

uint64_t random_session_id() {
  uint64_t id = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&id), sizeof(id));
  return id >> 2;  // positive in any signed 64-bit reading (some peers parse o= as int64)
}

channel::Family family_of(const std::string& address) {
  return address.find(':') == std::string::npos ? channel::Family::kIPv4 : channel::Family::kIPv6;
}

// Both legs on hold or one direction inactive: silence is expected, so no media timeout.
bool expects_media(const LegMedia& a, const LegMedia& b) {
  return a.direction == MediaDirection::kSendRecv && b.direction == MediaDirection::kSendRecv;
}

std::string signature(const std::vector<channel::Command>& commands) {
  std::string s;
  for (const channel::Command& c : commands) {
    // The transcoder's random sequence/SSRC/timestamp origins (and a translating relay's random
    // SSRC) differ on every build: compare what decides the flow, not them.
    channel::Command copy = c;
    copy.hdr = {};
    copy.spec.out_ssrc = 0;
    copy.treatment.transcode.first_seq = 0;
    copy.treatment.transcode.out_ssrc = 0;
    copy.treatment.transcode.ts_offset = 0;
    s.append(reinterpret_cast<const char*>(&copy), sizeof(copy));
  }
  return s;
}

bool same_key(const channel::FlowKey& a, const channel::FlowKey& b) {
  return a.port == b.port && a.addr.family == b.addr.family &&
         std::memcmp(a.addr.bytes, b.addr.bytes, sizeof(a.addr.bytes)) == 0;
}

}  // namespace

bool ProgrammedFlows::has(const channel::FlowKey& key) const {
  return std::any_of(keys.begin(), keys.end(),
                     [&](const channel::FlowKey& k) { return same_key(k, key); });
}

std::vector<channel::Codec> preferring(channel::Codec settled, const Trunk& trunk) {
  std::vector<channel::Codec> out;
  if (settled != channel::Codec::kNone) out.push_back(settled);
  for (const std::string& name : trunk.codecs) {
    const channel::Codec c = codec_from_name(name);
    if (c != settled && (settled == channel::Codec::kNone || bridgeable(c, settled)))
      out.push_back(c);
  }
  return out;
}

bool Call::allocate_media() {
  const std::string& peer = in_.offer ? in_.offer->address : in_.target.endpoint.address();
  const auto addresses =
      owner_.services().interfaces.addresses(in_.trunk->media_interface, family_of(peer));
  if (addresses.empty()) {
    logkv::warn("media interface has no address of the offer's family", "call", id_, "interface",
                in_.trunk->media_interface);
    return false;
  }
  in_port_ = owner_.services().ports.allocate(addresses);
  if (!in_port_) {
    logkv::warn("no free media ports", "call", id_, "interface", in_.trunk->media_interface);
    return false;
  }
  in_.local.rtp_port = in_port_->rtp_port;
  in_.local.session_id = random_session_id();
  in_.local.address = channel::to_string(in_port_->address);
  if (in_.offer) {  // where the inbound peer wants media, known before any answer
    in_.media.remote_address = in_.offer->address;
    in_.media.remote_rtp_port = in_.offer->port;
    in_.media.remote_rtcp_port = in_.offer->rtcp_port;
    in_.media.direction = in_.offer->direction;
  }
  std::weak_ptr<Call> weak = weak_from_this();
  owner_.services().flows.watch(id_, [weak](const channel::Event& e) {
    if (auto self = weak.lock()) self->on_media_event(e);
  });
  return true;
}

// The outbound leg's port, on the address family of its target (IPv4 when its interface has
// none of that family), on the worker of the inbound leg. A route advance to a trunk on another
// interface or family gives the old port back.
bool Call::take_outbound_port() {
  const MediaInterfaces& interfaces = owner_.services().interfaces;
  auto addresses = interfaces.addresses(out_.trunk->media_interface,
                                        family_of(out_.target.endpoint.address()));
  if (addresses.empty())
    addresses = interfaces.addresses(out_.trunk->media_interface, channel::Family::kIPv4);
  if (out_port_ && std::any_of(addresses.begin(), addresses.end(), [&](const auto& a) {
        return same_address(a, out_port_->address);
      }))
    return true;
  if (out_port_) owner_.services().ports.release(*out_port_);
  out_port_ = owner_.services().ports.allocate_on(addresses, in_port_->worker);
  if (!out_port_) {
    logkv::warn("no free media ports", "call", id_, "interface", out_.trunk->media_interface,
                "worker", in_port_->worker);
    return false;
  }
  return true;
}

std::optional<std::string> Call::offer_to_outbound() {
  if (!take_outbound_port()) return std::nullopt;
  out_.local = LocalMedia{};
  out_.local.rtp_port = out_port_->rtp_port;
  out_.local.session_id = random_session_id();
  out_.local.address = channel::to_string(out_port_->address);
  const auto codecs =
      codecs_to_offer(in_.offer ? &*in_.offer : nullptr, in_.trunk, *out_.trunk);
  const MediaDirection direction = in_.offer ? in_.offer->direction : MediaDirection::kSendRecv;
  out_.last_sdp_sent = make_offer(codecs, *out_.trunk, out_.local, direction, out_.offered,
                                  in_.offer ? in_.offer->cn_pt : -1);
  out_.offer_answer.OnLocalOffer();
  return out_.last_sdp_sent;
}

bool Call::take_outbound_answer(const sip::SipMessage& response) {
  std::string error;
  auto answer = read_stream(response.body(), error);
  LegMedia media;
  if (!answer || !read_answer(*answer, out_.offered, *out_.trunk, media, error)) {
    logkv::info("answer refused", "call", id_, "trunk", out_.trunk->name, "error", error);
    return false;
  }
  out_.offer_answer.OnRemoteAnswerOrRejection();
  out_.media = media;
  out_.media_known = true;
  out_.peer_sdp_version = answer->origin_version;
  cdr_.outbound.codec = codec_name(media.codec);
  return true;
}

bool Call::make_inbound_answer() {
  std::string error;
  ++in_.local.version;
  LegMedia media;
  auto sdp = make_answer(*in_.offer, *in_.trunk, preferring(out_.media.codec, *in_.trunk),
                         in_.local, in_.offer->direction, media, error, out_.media);
  if (!sdp) {
    logkv::info("no answer possible to the inbound offer", "call", id_, "error", error);
    return false;
  }
  in_.media = media;
  in_.media_known = true;
  in_.answer_sdp = *sdp;
  in_.last_sdp_sent = *sdp;
  cdr_.inbound.codec = codec_name(media.codec);
  return true;
}

std::string Call::offer_to_inbound() {
  ++in_.local.version;
  const auto codecs = preferring(out_.media.codec, *in_.trunk);
  in_.last_sdp_sent = make_offer(codecs, *in_.trunk, in_.local, MediaDirection::kSendRecv,
                                 in_.offered, out_.media.cn_pt);
  in_.offer_answer.OnLocalOffer();
  return in_.last_sdp_sent;
}

bool Call::take_inbound_answer(const std::string& sdp_body) {
  std::string error;
  auto answer = read_stream(sdp_body, error);
  LegMedia media;
  if (!answer || !read_answer(*answer, in_.offered, *in_.trunk, media, error)) {
    logkv::info("answer refused", "call", id_, "trunk", in_.trunk->name, "error", error);
    return false;
  }
  in_.offer_answer.OnRemoteAnswerOrRejection();
  in_.media = media;
  in_.media_known = true;
  in_.peer_sdp_version = answer->origin_version;
  cdr_.inbound.codec = codec_name(media.codec);
  return true;
}

LegSide Call::leg_side(InboundOrOutbound side) {
  const Leg& l = leg(side);
  LegSide s;
  if (const MediaInterface* m = owner_.services().interfaces.find(l.trunk->media_interface))
    s.interface = m->index;
  channel::parse_address(l.local.address, s.local);
  s.local_rtp_port = l.local.rtp_port;
  s.media = l.media;
  return s;
}

// Programs what both legs' negotiation says now: for each direction whose far end is known, add
// the flows, or modify them if the plan changed; leave them alone if it did not. One batch, so
// `then` runs once the data plane applied (or refused) all of it.
void Call::sync_flows(std::function<void(bool ok)> then) {
  LegSide in = leg_side(InboundOrOutbound::kInbound);
  LegSide out = leg_side(InboundOrOutbound::kOutbound);
  // Until a leg's codec is settled its flows relay whatever arrives unchanged.
  if (in.media.codec == channel::Codec::kNone) {
    in.media.codec = out.media.codec;
    in.media.pt = out.media.pt;
    in.media.telephone_event_pt = out.media.telephone_event_pt;
  }
  if (out.media.codec == channel::Codec::kNone) {
    out.media.codec = in.media.codec;
    out.media.pt = in.media.pt;
    out.media.telephone_event_pt = in.media.telephone_event_pt;
  }
  FlowOptions options;
  options.cookie = id_;
  const bool timed = expects_media(in_.media, out_.media) && in_.media_known && out_.media_known;
  options.media_timeout_ms = timed ? config_->media_timeout_s * 1000 : 0;

  std::vector<channel::Command> batch;
  ProgrammedFlows wanted[2] = {flows_[0], flows_[1]};
  const LegSide* from[2] = {&in, &out};
  const LegSide* to[2] = {&out, &in};
  for (int d = 0; d < 2; ++d) {
    auto commands = direction_commands(channel::CommandType::kAddFlow, *from[d], *to[d], options);
    if (commands.empty()) continue;  // far end unknown or on hold (0.0.0.0): keep what runs
    const std::string sig = signature(commands);
    if (sig == flows_[d].signature) continue;
    // Flows that exist are modified in place (no gap in the media while the plan changes);
    // relay <-> transcode adds or removes the RTCP flow, which is not relayed across a transcoder.
    std::vector<channel::FlowKey> keys;
    bool transcodes = false;
    for (channel::Command& c : commands) {
      transcodes |= (c.treatment.stages & channel::kTreatTranscode) != 0;
      if (flows_[d].has(c.spec.key))
        c.hdr.type = static_cast<uint16_t>(channel::CommandType::kModifyFlow);
      keys.push_back(c.spec.key);
      batch.push_back(c);
    }
    for (const channel::FlowKey& old : flows_[d].keys)
      if (std::none_of(keys.begin(), keys.end(), [&](const channel::FlowKey& k) {
            return same_key(k, old);
          }))
        batch.push_back(channel::make_key_command(channel::CommandType::kDeleteFlow, old));
    wanted[d] = ProgrammedFlows{sig, std::move(keys), transcodes};
  }
  if (batch.empty()) return then(true);
  std::weak_ptr<Call> weak = weak_from_this();
  owner_.services().flows.submit(
      std::move(batch), [weak, wanted0 = std::move(wanted[0]), wanted1 = std::move(wanted[1]),
                         then = std::move(then)](const BatchResult& result) {
        auto self = weak.lock();
        if (!self) return;
        bool ok = !result.timed_out;
        for (const channel::Event& e : result.errors) {
          logkv::warn("data plane refused a flow", "call", self->id_, "error",
                      channel::to_string(static_cast<channel::CommandError>(e.error)));
          ok = false;
        }
        if (ok) {
          self->flows_[0] = wanted0;
          self->flows_[1] = wanted1;
        }
        then(ok);
      });
}

void Call::on_media_event(const channel::Event& event) {
  switch (static_cast<channel::EventType>(event.hdr.type)) {
    case channel::EventType::kMediaTimeout:
      if (state_ != CallState::kConfirmed) return;
      ++owner_.mutable_stats().media_timeouts;
      logkv::info("media timeout", "call", id_, "flow", channel::to_string(event.key));
      end("media timeout", 0);
      return;
    case channel::EventType::kLatched:
      logkv::debug("latched", "call", id_, "flow", channel::to_string(event.key), "peer",
                   channel::to_string(event.addr));
      return;
    case channel::EventType::kDtmf:
      return on_dtmf(event);
    default:
      return;
  }
}

// An in-band digit the data plane detected on one of this call's flows: the flow's local port
// says which leg's peer sent it.
void Call::on_dtmf(const channel::Event& e) {
  static constexpr char kDigits[] = "0123456789*#ABCD";
  if (e.dtmf.event >= sizeof(kDigits) - 1) return;
  CallEvent dtmf = event(CallEvent::Kind::kDtmf);
  dtmf.digit = kDigits[e.dtmf.event];
  const bool from_inbound = keys_port(e.key, *in_port_);
  dtmf.dtmf_leg =
      side_name(from_inbound ? InboundOrOutbound::kInbound : InboundOrOutbound::kOutbound);
  dtmf.dtmf_end = e.dtmf.end != 0;
  dtmf.dtmf_duration = e.dtmf.duration;
  logkv::debug("DTMF", "call", id_, "digit", dtmf.digit, "edge", dtmf.dtmf_end ? "end" : "start",
               "leg", dtmf.dtmf_leg);
  owner_.notify(dtmf);
}

// Deletes every flow of the call; the final counters of each come back with the deletion and go
// into the CDR. `then` runs when the data plane answered (or did not, in time).
void Call::remove_flows(std::function<void()> then) {
  std::vector<channel::Command> batch;
  for (InboundOrOutbound side : {InboundOrOutbound::kInbound, InboundOrOutbound::kOutbound}) {
    const int d = side == InboundOrOutbound::kInbound ? 0 : 1;
    for (const channel::FlowKey& key : flows_[d].keys)
      batch.push_back(channel::make_key_command(channel::CommandType::kDeleteFlow, key));
    flows_[d] = ProgrammedFlows{};
  }
  if (batch.empty()) return then();
  std::weak_ptr<Call> weak = weak_from_this();
  const MediaPort in_port = *in_port_;
  owner_.services().flows.submit(std::move(batch), [weak, in_port,
                                                    then = std::move(then)](const BatchResult& r) {
    auto self = weak.lock();
    if (!self) return;
    for (const channel::Event& e : r.answers) {
      if (static_cast<channel::EventType>(e.hdr.type) != channel::EventType::kFlowDeleted)
        continue;
      // A flow keyed on the inbound leg's port carries what the inbound peer sent.
      const bool from_inbound = keys_port(e.key, in_port);
      CdrLeg& sender = from_inbound ? self->cdr_.inbound : self->cdr_.outbound;
      CdrLeg& receiver = from_inbound ? self->cdr_.outbound : self->cdr_.inbound;
      // What arrived from the sender, and what went to the receiver: they differ when the flow
      // transcodes to another ptime (30 ms PCMA in, 20 ms G.729 out).
      sender.packets_received += e.counters.received;
      receiver.packets_sent += e.counters.packets;
      for (uint64_t drops : e.counters.drops) sender.packets_dropped += drops;
    }
    then();
  });
}

void Call::release_media() {
  if (!in_port_) return;
  owner_.services().flows.unwatch(id_);
  owner_.services().ports.release(*in_port_);
  in_port_.reset();
  if (out_port_) owner_.services().ports.release(*out_port_);
  out_port_.reset();
}

}  // namespace trunkgate::cp
