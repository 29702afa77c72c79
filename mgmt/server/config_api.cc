// The Trunks and Routes services: reads from the configuration in force, changes through
// LiveConfig (the configuration file's validation, applied to new calls only).
#include <yaml-cpp/yaml.h>

#include "mgmt/server/gateway_api.h"

namespace trunkgate::mgmt {
namespace {

const char* name_of(cp::SipTransport t) {
  switch (t) {
    case cp::SipTransport::kUdp:
      return "udp";
    case cp::SipTransport::kTcp:
      return "tcp";
    case cp::SipTransport::kTls:
      return "tls";
  }
  return "?";
}

const char* name_of(cp::SrtpPolicy p) {
  switch (p) {
    case cp::SrtpPolicy::kOff:
      return "off";
    case cp::SrtpPolicy::kOptional:
      return "optional";
    case cp::SrtpPolicy::kRequired:
      return "required";
  }
  return "?";
}

const char* name_of(cp::RegistrationStatus::State s) {
  switch (s) {
    case cp::RegistrationStatus::State::kRegistering:
      return "registering";
    case cp::RegistrationStatus::State::kRegistered:
      return "registered";
    case cp::RegistrationStatus::State::kFailed:
      return "failed";
    case cp::RegistrationStatus::State::kUnregistered:
      return "unregistered";
  }
  return "?";
}

grpc::StatusCode code_of(cp::EditError e) {
  switch (e) {
    case cp::EditError::kNone:
      return grpc::StatusCode::OK;
    case cp::EditError::kInvalid:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case cp::EditError::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case cp::EditError::kAlreadyExists:
      return grpc::StatusCode::ALREADY_EXISTS;
  }
  return grpc::StatusCode::UNKNOWN;
}

void fill_route(const cp::Route& r, v1::Route& out) {
  out.set_name(r.name);
  out.set_prefix(r.prefix);
  out.set_emergency(r.emergency);
  for (const std::string& t : r.trunks) out.add_trunks(t);
}

// The route as the configuration file would have it, for put_route's validation.
YAML::Node route_node(const v1::Route& r) {
  YAML::Node n(YAML::NodeType::Map);
  n["name"] = r.name();
  n["prefix"] = r.prefix();
  if (r.emergency()) n["emergency"] = true;
  YAML::Node trunks(YAML::NodeType::Sequence);
  for (const std::string& t : r.trunks()) trunks.push_back(t);
  n["trunks"] = trunks;
  return n;
}

}  // namespace

void GatewayApi::fill_trunk(const cp::Trunk& t, v1::Trunk& out) const {
  out.set_name(t.name);
  out.set_peer_host(t.peer_host);
  out.set_peer_port(t.peer_port);
  out.set_transport(name_of(t.transport));
  out.set_media_interface(t.media_interface);
  out.set_mode(t.mode == cp::TrunkMode::kRegister ? "register" : "static");
  for (const cp::IpPrefix& p : t.inbound_sources)
    out.add_inbound_sources(p.address + "/" + std::to_string(p.length));
  out.set_challenge_inbound(t.challenge_inbound);
  for (const std::string& c : t.codecs) out.add_codecs(c);
  out.set_dtmf(t.dtmf == cp::DtmfMode::kInband ? "inband" : "rfc4733");
  out.set_srtp(name_of(t.srtp));
  out.set_identity(t.identity == cp::IdentityStyle::kRemotePartyId ? "rpid" : "pai");
  out.set_options_keepalive_s(t.options_keepalive_s);
  out.set_max_calls(t.limits.max_concurrent);
  out.set_max_cps(t.limits.max_cps);
  out.set_up(!parts_.trunk_up || parts_.trunk_up(t.name));
  if (parts_.registration)
    if (auto r = parts_.registration(t.name)) out.set_registration(name_of(r->state));
  uint32_t active = 0;
  for (const auto& [id, call] : parts_.b2bua.calls()) {
    const cp::Trunk* in = call->inbound().trunk;
    const cp::Trunk* outbound = call->outbound().trunk;
    if ((in != nullptr && in->name == t.name) || (outbound != nullptr && outbound->name == t.name))
      ++active;
  }
  out.set_active_calls(active);
}

grpc::Status GatewayApi::applied(cp::EditResult result) {
  result = parts_.config.apply(std::move(result));
  if (!result.document) return grpc::Status(code_of(result.error), result.message);
  return grpc::Status::OK;
}

grpc::Status GatewayApi::list_trunks(v1::ListTrunksResponse& out) {
  for (const cp::Trunk& t : parts_.config.config().trunks) fill_trunk(t, *out.add_trunks());
  return grpc::Status::OK;
}

grpc::Status GatewayApi::get_trunk(const std::string& name, v1::Trunk& out) {
  const cp::Trunk* t = parts_.config.config().trunk(name);
  if (t == nullptr)
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no trunk named '" + name + "'");
  fill_trunk(*t, out);
  return grpc::Status::OK;
}

grpc::Status GatewayApi::put_trunk(const std::string& yaml, cp::PutMode mode, v1::Trunk& out) {
  grpc::Status s = applied(cp::put_trunk(parts_.config.document(), yaml, mode));
  if (!s.ok()) return s;
  const std::string name = YAML::Load(yaml)["name"].Scalar();  // parsed fine: it was applied
  return get_trunk(name, out);
}

grpc::Status GatewayApi::delete_trunk(const std::string& name, v1::DeleteResponse& out) {
  grpc::Status s = applied(cp::delete_trunk(parts_.config.document(), name));
  out.set_config_generation(parts_.config.generation());
  return s;
}

grpc::Status GatewayApi::list_routes(v1::ListRoutesResponse& out) {
  for (const cp::Route& r : parts_.config.config().routes) fill_route(r, *out.add_routes());
  return grpc::Status::OK;
}

grpc::Status GatewayApi::get_route(const std::string& name, v1::Route& out) {
  for (const cp::Route& r : parts_.config.config().routes)
    if (r.name == name) {
      fill_route(r, out);
      return grpc::Status::OK;
    }
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "no route named '" + name + "'");
}

grpc::Status GatewayApi::put_route(const v1::Route& route, cp::PutMode mode, v1::Route& out) {
  grpc::Status s = applied(cp::put_route(parts_.config.document(), route_node(route), mode));
  if (!s.ok()) return s;
  return get_route(route.name(), out);
}

grpc::Status GatewayApi::delete_route(const std::string& name, v1::DeleteResponse& out) {
  grpc::Status s = applied(cp::delete_route(parts_.config.document(), name));
  out.set_config_generation(parts_.config.generation());
  return s;
}

}  // namespace trunkgate::mgmt
