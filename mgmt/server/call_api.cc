// The Calls service: calls as the B2BUA has them, their flows' counters from the data plane.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "controlplane/logging/log_fields.h"
#include "controlplane/sdp/media_negotiation.h"
#include "mgmt/server/gateway_api.h"

namespace trunkgate::mgmt {
namespace {

const char* name_of(cp::CallState s) {
  switch (s) {
    case cp::CallState::kRouting:
      return "routing";
    case cp::CallState::kEarly:
      return "early";
    case cp::CallState::kAnswering:
      return "answering";
    case cp::CallState::kConfirmed:
      return "confirmed";
    case cp::CallState::kEnded:
      return "ended";
  }
  return "?";
}

const char* name_of(cp::MediaDirection d) {
  switch (d) {
    case cp::MediaDirection::kSendRecv:
      return "sendrecv";
    case cp::MediaDirection::kSendOnly:
      return "sendonly";
    case cp::MediaDirection::kRecvOnly:
      return "recvonly";
    case cp::MediaDirection::kInactive:
      return "inactive";
  }
  return "?";
}

void fill_leg(const cp::Leg& leg, const cp::CdrLeg& cdr, v1::CallLeg& out) {
  if (leg.trunk != nullptr) out.set_trunk(leg.trunk->name);
  out.set_sip_call_id(leg.call_id);
  if (!leg.call_id.empty()) out.set_signalling_peer(leg.target.endpoint.ToString());
  if (leg.local.rtp_port != 0)
    out.set_local_media(leg.local.address + ":" + std::to_string(leg.local.rtp_port));
  if (leg.media_known) {
    out.set_remote_media(leg.media.remote_address + ":" +
                         std::to_string(leg.media.remote_rtp_port));
    out.set_codec(cp::codec_name(leg.media.codec));
    out.set_payload_type(leg.media.pt);
    out.set_telephone_event_pt(leg.media.telephone_event_pt);
    out.set_ptime_ms(leg.media.ptime_ms);
    out.set_srtp(leg.media.our_key.has_value());
    out.set_direction(name_of(leg.media.direction));
  }
  out.set_disconnect_cause(cdr.disconnect_cause);
}

// The leg whose media a flow receives: its key is that leg's local media port.
v1::CallLeg* leg_of(const channel::FlowKey& key, const cp::Call& call, v1::Call& out) {
  const auto& in = call.media_port(cp::InboundOrOutbound::kInbound);
  const auto& outbound = call.media_port(cp::InboundOrOutbound::kOutbound);
  if (in && cp::keys_port(key, *in)) return out.mutable_inbound();
  if (outbound && cp::keys_port(key, *outbound)) return out.mutable_outbound();
  return nullptr;
}

void fill_flow(const channel::Event& e, v1::FlowCounters& out) {
  out.set_key(channel::to_string(e.key));
  out.set_packets(e.counters.packets);
  out.set_bytes(e.counters.bytes);
  out.set_rtcp_packets(e.counters.rtcp_packets);
  for (unsigned d = 0; d < channel::kFlowDropCount; ++d)
    if (e.counters.drops[d] != 0)
      (*out.mutable_drops())[channel::kFlowDropNames[d]] = e.counters.drops[d];
  out.set_idle_ms(e.counters.idle_ms);
}

bool matches(const cp::Call& call, const v1::ListCallsRequest& f) {
  if (!f.state().empty() && f.state() != name_of(call.state())) return false;
  if (!f.trunk().empty()) {
    const cp::Trunk* in = call.inbound().trunk;
    const cp::Trunk* out = call.outbound().trunk;
    if (!(in != nullptr && in->name == f.trunk()) && !(out != nullptr && out->name == f.trunk()))
      return false;
  }
  if (!f.number().empty()) {
    const cp::CallIdentity& who = call.identity();
    if (who.calling.find(f.number()) == std::string::npos &&
        who.called.e164().find(f.number()) == std::string::npos)
      return false;
  }
  return true;
}

}  // namespace

void fill_call(const cp::Call& call, v1::Call& out) {
  const cp::CdrRecord& r = call.record();
  out.set_id(call.id());
  out.set_state(name_of(call.state()));
  out.set_calling(call.identity().calling);
  out.set_called(call.identity().called.e164());
  out.set_emergency(call.emergency());
  if (call.route() != nullptr) out.set_route(call.route()->name);
  out.set_setup_unix_ms(r.setup_ms);
  out.set_answer_unix_ms(r.answer_ms);
  if (r.answer_ms != 0) {
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    out.set_duration_s(static_cast<uint64_t>(std::max<int64_t>(0, now - r.answer_ms) / 1000));
  }
  fill_leg(call.inbound(), r.inbound, *out.mutable_inbound());
  fill_leg(call.outbound(), r.outbound, *out.mutable_outbound());
}

grpc::Status GatewayApi::list_calls(const v1::ListCallsRequest& filter,
                                    v1::ListCallsResponse& out) {
  static const std::set<std::string> kStates = {"routing", "early", "answering", "confirmed",
                                                "ended"};
  if (!filter.state().empty() && !kStates.count(filter.state()))
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "state: '" + filter.state() +
                            "' is not one of routing, early, answering, confirmed, ended");
  std::vector<const cp::Call*> found;
  for (const auto& [id, call] : parts_.b2bua.calls())
    if (matches(*call, filter)) found.push_back(call.get());
  std::sort(found.begin(), found.end(),
            [](const cp::Call* a, const cp::Call* b) { return a->id() < b->id(); });
  for (const cp::Call* call : found) fill_call(*call, *out.add_calls());
  return grpc::Status::OK;
}

void GatewayApi::get_call(uint64_t id, CallDone done) {
  auto it = parts_.b2bua.calls().find(id);
  if (it == parts_.b2bua.calls().end())
    return done(grpc::Status(grpc::StatusCode::NOT_FOUND, "no call " + std::to_string(id)), {});
  std::shared_ptr<cp::Call> call = it->second;
  std::vector<channel::Command> queries;
  for (cp::InboundOrOutbound side :
       {cp::InboundOrOutbound::kInbound, cp::InboundOrOutbound::kOutbound})
    for (const channel::FlowKey& key : call->flow_keys(side))
      queries.push_back(channel::make_key_command(channel::CommandType::kQueryFlow, key));
  v1::Call out;
  fill_call(*call, out);
  if (queries.empty()) return done(grpc::Status::OK, std::move(out));
  std::weak_ptr<cp::Call> weak = call;
  parts_.flows.submit(std::move(queries), [weak, out = std::move(out), done = std::move(done)](
                                              const cp::BatchResult& r) mutable {
    auto call = weak.lock();
    if (!call) return done(grpc::Status::OK, std::move(out));  // ended meanwhile: no flows left
    if (r.timed_out)
      out.set_counters_error("the data plane did not answer the flow queries in time");
    else if (!r.ok)
      out.set_counters_error("the data plane refused " + std::to_string(r.errors.size()) +
                             " flow queries");
    for (const channel::Event& e : r.answers) {
      if (static_cast<channel::EventType>(e.hdr.type) != channel::EventType::kFlowStats) continue;
      if (v1::CallLeg* leg = leg_of(e.key, *call, out)) fill_flow(e, *leg->add_flows());
    }
    done(grpc::Status::OK, std::move(out));
  });
}

grpc::Status GatewayApi::hangup(uint64_t id, const std::string& cause, v1::HangupResponse&) {
  const std::string why = cause.empty() ? "hangup by operator" : cause;
  if (!parts_.b2bua.hangup(id, why))
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no call " + std::to_string(id));
  cp::logkv::info("call ended through the management API", "call", id, "reason", why);
  return grpc::Status::OK;
}

}  // namespace trunkgate::mgmt
