// GatewayApi's set-up and the System and DataPlane services.
#include "mgmt/server/gateway_api.h"

#include "controlplane/logging/log_fields.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <string>

namespace trunkgate::mgmt {
namespace {

constexpr auto kHeartbeatSample = std::chrono::seconds(1);
// The data plane ticks its heartbeat about every millisecond: unchanged for this long, it is gone
// or stuck.
constexpr auto kHeartbeatStale = std::chrono::seconds(3);

v1::CallEvent to_proto(const cp::CallEvent& e) {
  v1::CallEvent out;
  out.set_kind(cp::to_string(e.kind));
  out.set_call(e.call);
  out.set_inbound_trunk(e.inbound_trunk);
  out.set_calling(e.calling);
  out.set_called(e.called);
  out.set_cause(e.cause);
  if (e.kind == cp::CallEvent::Kind::kDtmf) {
    out.set_digit(std::string(1, e.digit));
    out.set_dtmf_leg(e.dtmf_leg);
    out.set_dtmf_end(e.dtmf_end);
    out.set_dtmf_duration(e.dtmf_duration);
  }
  out.set_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
  return out;
}

void fill_counters(const cp::B2buaStats& s, v1::B2buaCounters& out) {
  out.set_calls_offered(s.calls_offered);
  out.set_calls_answered(s.calls_answered);
  out.set_calls_ended(s.calls_ended);
  out.set_rejected_unknown_source(s.rejected_unknown_source);
  out.set_rejected_overload(s.rejected_overload);
  out.set_rejected_no_route(s.rejected_no_route);
  out.set_rejected_number(s.rejected_number);
  out.set_rejected_media(s.rejected_media);
  out.set_rejected_draining(s.rejected_draining);
  out.set_route_advances(s.route_advances);
  out.set_media_timeouts(s.media_timeouts);
  out.set_in_dialog_unknown(s.in_dialog_unknown);
}

}  // namespace

GatewayApi::GatewayApi(GatewayParts parts) : parts_(std::move(parts)) {
  last_heartbeat_ = parts_.flows.client().heartbeat();
  parts_.b2bua.services().on_call_event = [this](const cp::CallEvent& e) {
    events_.publish(to_proto(e));
  };
  heartbeat_timer_ = parts_.loop.AddTimer(kHeartbeatSample, [this] { sample_heartbeat(); });
}

GatewayApi::~GatewayApi() {
  parts_.loop.CancelTimer(heartbeat_timer_);
  parts_.b2bua.services().on_call_event = nullptr;
  events_.close_all();
}

void GatewayApi::sample_heartbeat() {
  const uint64_t beat = parts_.flows.client().heartbeat();
  if (beat != last_heartbeat_) {
    last_heartbeat_ = beat;
    heartbeat_changed_ = std::chrono::steady_clock::now();
  }
  heartbeat_timer_ = parts_.loop.AddTimer(kHeartbeatSample, [this] { sample_heartbeat(); });
}

grpc::Status GatewayApi::status(v1::GatewayStatus& out) {
  const cp::B2bua& b2bua = parts_.b2bua;
  const cp::CpConfig& config = parts_.config.config();
  const auto now = std::chrono::steady_clock::now();
  const bool dp_alive = now - heartbeat_changed_ < kHeartbeatStale;
  out.set_version(TRUNKGATE_VERSION);
  out.set_live(true);
  out.set_ready(dp_alive && !b2bua.draining());
  out.set_draining(b2bua.draining());
  out.set_drained(b2bua.draining() && b2bua.active_calls() == 0);
  out.set_active_calls(static_cast<uint32_t>(b2bua.active_calls()));
  out.set_config_source(config.source);
  out.set_config_generation(parts_.config.generation());
  out.set_log_level(std::string(spdlog::level::to_string_view(spdlog::get_level()).data(),
                                spdlog::level::to_string_view(spdlog::get_level()).size()));
  out.set_uptime_s(std::chrono::duration_cast<std::chrono::seconds>(now - started_).count());
  out.set_dataplane_instance(config.dataplane_instance);
  out.set_dataplane_alive(dp_alive);
  out.set_dataplane_workers(parts_.flows.client().workers());
  out.set_trunks(static_cast<uint32_t>(config.trunks.size()));
  out.set_routes(static_cast<uint32_t>(config.routes.size()));
  fill_counters(b2bua.stats(), *out.mutable_counters());
  return grpc::Status::OK;
}

grpc::Status GatewayApi::set_drain(bool drain, v1::GatewayStatus& out) {
  if (drain != parts_.b2bua.draining())
    cp::logkv::warn(drain ? "drain on through the management API: new calls get 503"
                          : "drain off through the management API: new calls admitted",
                    "calls", parts_.b2bua.active_calls());
  parts_.b2bua.set_draining(drain);
  return status(out);
}

grpc::Status GatewayApi::reload(v1::ReloadResponse& out) {
  const cp::EditResult r = parts_.config.reload();
  if (!r.document) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, r.message);
  const cp::CpConfig& c = parts_.config.config();
  out.set_config_generation(parts_.config.generation());
  out.set_config_source(c.source);
  out.set_trunks(static_cast<uint32_t>(c.trunks.size()));
  out.set_routes(static_cast<uint32_t>(c.routes.size()));
  return grpc::Status::OK;
}

grpc::Status GatewayApi::set_log_level(const std::string& level, v1::SetLogLevelResponse& out) {
  if (!cp::is_log_level(level))
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "level: '" + level + "' is not one of " + cp::kLogLevels);
  const auto previous = spdlog::level::to_string_view(spdlog::get_level());
  out.set_previous(std::string(previous.data(), previous.size()));
  spdlog::set_level(spdlog::level::from_str(level));
  out.set_level(level);
  cp::logkv::info("log level changed through the management API", "level", level, "previous",
                  out.previous());
  return grpc::Status::OK;
}

grpc::Status GatewayApi::dataplane_stats(v1::DataPlaneStats& out) {
  const channel::Client& c = parts_.flows.client();
  const channel::RegionHeader& h = c.header();
  out.set_instance(std::string(h.instance, strnlen(h.instance, sizeof(h.instance))));
  out.set_pid(h.dp_pid);
  out.set_alive(std::chrono::steady_clock::now() - heartbeat_changed_ < kHeartbeatStale);
  out.set_media_port_min(h.media_port_min);
  out.set_media_port_max(h.media_port_max);
  auto& totals = *out.mutable_drops_total();
  for (unsigned w = 0; w < c.workers(); ++w) {
    const channel::WorkerStats s = c.worker_stats(w);
    v1::WorkerCounters& wc = *out.add_workers();
    wc.set_worker(w);
    auto& m = *wc.mutable_counters();
    m["rx"] = s.rx;
    m["tx"] = s.tx;
    m["handoff"] = s.handoff;
    m["exception"] = s.exception;
    m["transcode_in"] = s.transcode_in;
    m["commands_ok"] = s.commands_ok;
    m["commands_failed"] = s.commands_failed;
    m["events_lost"] = s.events_lost;
    m["flows"] = s.flows;
    m["loops"] = s.loops;
    m["treated_flows"] = s.treated_flows;
    for (unsigned d = 0; d < channel::kDropCount; ++d) {
      (*wc.mutable_drops())[channel::kWorkerDropNames[d]] = s.drops[d];
      totals[channel::kWorkerDropNames[d]] += s.drops[d];
    }
  }
  for (unsigned i = 0; i < h.n_interfaces && i < channel::kMaxInterfaces; ++i) {
    const channel::InterfaceInfo& info = h.interfaces[i];
    const channel::PortStats p = c.port_stats(i);
    v1::PortCounters& pc = *out.add_ports();
    pc.set_interface(std::string(info.name, strnlen(info.name, sizeof(info.name))));
    for (unsigned a = 0; a < info.n_addresses && a < channel::kMaxAddressesPerInterface; ++a)
      pc.add_addresses(channel::to_string(info.addresses[a]) + "/" +
                       std::to_string(info.prefix_len[a]));
    auto& m = *pc.mutable_counters();
    m["ipackets"] = p.ipackets;
    m["opackets"] = p.opackets;
    m["ibytes"] = p.ibytes;
    m["obytes"] = p.obytes;
    m["imissed"] = p.imissed;
    m["ierrors"] = p.ierrors;
    m["oerrors"] = p.oerrors;
    m["rx_nombuf"] = p.rx_nombuf;
  }
  const channel::ExceptionStats e = c.exception_stats();
  auto& x = *out.mutable_exception_path();
  x["to_kernel"] = e.to_kernel;
  x["from_kernel"] = e.from_kernel;
  x["dropped"] = e.dropped;
  x["requests_sent"] = e.requests_sent;
  x["neighbors_learned"] = e.neighbors_learned;
  return grpc::Status::OK;
}

}  // namespace trunkgate::mgmt
