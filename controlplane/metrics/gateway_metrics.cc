#include "controlplane/metrics/gateway_metrics.h"

#include <cstring>

#include "controlplane/metrics/exposition.h"

namespace trunkgate::cp {
namespace {

constexpr MetricType kCounter = MetricType::kCounter;
constexpr MetricType kGauge = MetricType::kGauge;

// A family with one sample and no labels.
struct Single {
  std::string_view name;
  MetricType type;
  std::string_view help;
  uint64_t value;
};

void singles(ExpositionWriter& w, std::initializer_list<Single> metrics) {
  for (const Single& m : metrics) w.single(m.name, m.type, m.help, m.value);
}

void call_results(ExpositionWriter& w, const CallCounters::ByTrunk& by_trunk, std::string_view name,
                  std::string_view help) {
  w.family(name, kCounter, help);
  for (const auto& [trunk, counters] : by_trunk)
    for (const auto& [result, count] : counters.results) {
      const std::string code = std::to_string(result.first);
      w.sample({{"trunk", trunk}, {"code", code}, {"reason", result.second}}, count);
    }
}

void call_attempts(ExpositionWriter& w, const CallCounters::ByTrunk& by_trunk,
                   std::string_view name, std::string_view help) {
  w.family(name, kCounter, help);
  for (const auto& [trunk, counters] : by_trunk) w.sample({{"trunk", trunk}}, counters.attempts);
}

void calls(ExpositionWriter& w, const B2bua& b2bua) {
  const B2buaStats& s = b2bua.stats();
  singles(
      w,
      {{"trunkgate_calls_in_progress", kGauge,
        "Calls the B2BUA holds now (set-up, ringing, answered or ending).", b2bua.active_calls()},
       {"trunkgate_invites_total", kCounter,
        "New INVITEs received, before trunk recognition and admission.", s.calls_offered},
       {"trunkgate_calls_answered_total", kCounter, "Calls answered (200 OK to the caller).",
        s.calls_answered},
       {"trunkgate_calls_ended_total", kCounter, "Calls ended and released.", s.calls_ended},
       {"trunkgate_route_advances_total", kCounter,
        "Times a call moved on to the next trunk of its route (408, 5xx, timeout).",
        s.route_advances},
       {"trunkgate_media_timeouts_total", kCounter,
        "Calls ended because no media flowed for media.timeout_s.", s.media_timeouts},
       {"trunkgate_in_dialog_unknown_total", kCounter,
        "In-dialog requests for no known dialog (answered 481).", s.in_dialog_unknown},
       {"trunkgate_transcoding_sessions", kGauge,
        "Calls whose media is transcoded by the data plane now.", b2bua.transcoding_calls()}});
  call_attempts(w, s.calls.inbound(), "trunkgate_call_attempts_total",
                "INVITEs admitted from a trunk (recognised, authenticated); "
                "rate() of it is the calls per second.");
  call_results(w, s.calls.inbound(), "trunkgate_call_results_total",
               "Call attempts by inbound trunk and the final SIP status the gateway answered "
               "the caller (200: answered); reason is the standard phrase of the code.");
  call_attempts(w, s.calls.outbound(), "trunkgate_outbound_attempts_total",
                "INVITEs sent to a trunk (one per target tried; route advance sends more than "
                "one per call).");
  call_results(w, s.calls.outbound(), "trunkgate_outbound_results_total",
               "Outbound INVITEs by trunk and the trunk's final SIP status; code 0 means no "
               "response, with reason timeout or transport_error.");
  w.family("trunkgate_calls_rejected_total", kCounter,
           "Call attempts the gateway refused itself, by cause.");
  w.sample({{"cause", "unknown_source"}}, s.rejected_unknown_source);
  w.sample({{"cause", "overload"}}, s.rejected_overload);
  w.sample({{"cause", "no_route"}}, s.rejected_no_route);
  w.sample({{"cause", "number"}}, s.rejected_number);
  w.sample({{"cause", "media"}}, s.rejected_media);
}

void sip(ExpositionWriter& w, SipEndpoint& endpoint) {
  const SipEndpoint::Stats e = endpoint.stats();
  const sip::TransactionStats& t = endpoint.transactions().stats();
  singles(
      w, {{"trunkgate_sip_udp_received_total", kCounter, "SIP datagrams received over UDP.",
           e.udp_received},
          {"trunkgate_sip_udp_sent_total", kCounter, "SIP datagrams sent over UDP.", e.udp_sent},
          {"trunkgate_sip_send_failures_total", kCounter,
           "SIP messages that could not be sent (any transport).", e.send_failures},
          {"trunkgate_sip_malformed_total", kCounter,
           "SIP messages that did not parse or lacked what transactions match on.", t.malformed},
          {"trunkgate_sip_bad_requests_answered_total", kCounter,
           "Malformed requests answered with 400 and the precise reason.", t.bad_requests_answered},
          {"trunkgate_sip_retransmissions_total", kCounter,
           "Request retransmissions absorbed by their server transaction.", t.retransmissions},
          {"trunkgate_sip_dropped_overload_total", kCounter,
           "New requests dropped over the server-transaction limit.", t.dropped_overload},
          {"trunkgate_sip_server_transactions", kGauge, "Live server transactions.",
           endpoint.transactions().server_count()},
          {"trunkgate_sip_client_transactions", kGauge, "Live client transactions.",
           endpoint.transactions().client_count()}});
}

const char* registration_state_name(RegistrationStatus::State s) {
  switch (s) {
    case RegistrationStatus::State::kRegistering:
      return "registering";
    case RegistrationStatus::State::kRegistered:
      return "registered";
    case RegistrationStatus::State::kFailed:
      return "failed";
    case RegistrationStatus::State::kUnregistered:
      return "unregistered";
  }
  return "unknown";
}

void trunks(ExpositionWriter& w, const MetricsSources& s) {
  w.family("trunkgate_trunk_up", kGauge,
           "1 when the trunk's OPTIONS keepalive finds its peer alive (or no round ended yet), "
           "0 when it is down; only trunks with options_keepalive_s.");
  for (const Trunk& t : s.config.trunks)
    if (t.options_keepalive_s > 0) w.sample({{"trunk", t.name}}, uint64_t{s.monitor.is_up(t.name)});
  w.family("trunkgate_trunk_options_total", kCounter,
           "OPTIONS keepalive requests by trunk and outcome (sent, answered alive, failed).");
  for (const Trunk& t : s.config.trunks) {
    if (t.options_keepalive_s == 0) continue;
    const KeepaliveCounters k = s.monitor.counters(t.name);
    w.sample({{"trunk", t.name}, {"outcome", "sent"}}, k.sent);
    w.sample({{"trunk", t.name}, {"outcome", "answered"}}, k.answered);
    w.sample({{"trunk", t.name}, {"outcome", "failed"}}, k.failed);
  }
  w.family("trunkgate_trunk_registration_state", kGauge,
           "SIPconnect registration mode: 1 for the trunk's current state, 0 for the others.");
  constexpr RegistrationStatus::State kStates[] = {
      RegistrationStatus::State::kRegistering, RegistrationStatus::State::kRegistered,
      RegistrationStatus::State::kFailed, RegistrationStatus::State::kUnregistered};
  for (const Trunk& t : s.config.trunks) {
    const auto status = s.registrations.status(t.name);
    if (!status) continue;
    for (RegistrationStatus::State state : kStates)
      w.sample({{"trunk", t.name}, {"state", registration_state_name(state)}},
               uint64_t{status->state == state});
  }
}

void cdr_and_logs(ExpositionWriter& w, const MetricsSources& s) {
  singles(w, {{"trunkgate_cdr_written_total", kCounter, "CDR lines written.", s.cdr.written()},
              {"trunkgate_cdr_dropped_total", kCounter,
               "CDR lines lost (the retry queue overflowed).", s.cdr.dropped()},
              {"trunkgate_cdr_pending", kGauge, "CDR lines waiting to be written again.",
               s.cdr.pending()}});
  w.family("trunkgate_log_lines_suppressed_total", kCounter,
           "Log lines about hostile input not written (rate limit), by kind of input.");
  for (size_t k = 0; k < kHostileInputKinds; ++k)
    w.sample({{"input", kHostileInputNames[k]}},
             s.b2bua.hostile_log().suppressed(static_cast<HostileInput>(k)));
}

// One family with a sample per worker: `field` picks the counter out of WorkerStats.
template <typename Field>
void per_worker(ExpositionWriter& w, const std::vector<channel::WorkerStats>& workers,
                std::string_view name, MetricType type, std::string_view help, Field field) {
  w.family(name, type, help);
  for (size_t i = 0; i < workers.size(); ++i)
    w.sample({{"worker", std::to_string(i)}}, field(workers[i]));
}

void dataplane_workers(ExpositionWriter& w, const channel::Client& dp) {
  std::vector<channel::WorkerStats> workers;
  for (unsigned i = 0; i < dp.workers(); ++i) workers.push_back(dp.worker_stats(i));
  using WS = channel::WorkerStats;
  per_worker(w, workers, "trunkgate_dp_worker_rx_packets_total", kCounter,
             "Packets a data-plane worker took from its RX queues or handoff ring.",
             [](const WS& s) { return s.rx; });
  per_worker(w, workers, "trunkgate_dp_worker_tx_packets_total", kCounter,
             "Media packets a worker forwarded.", [](const WS& s) { return s.tx; });
  per_worker(w, workers, "trunkgate_dp_worker_handoff_packets_total", kCounter,
             "Packets a worker passed to the worker that owns their flow.",
             [](const WS& s) { return s.handoff; });
  per_worker(w, workers, "trunkgate_dp_worker_exception_packets_total", kCounter,
             "Packets a worker sent to the exception path (kernel).",
             [](const WS& s) { return s.exception; });
  per_worker(w, workers, "trunkgate_dp_worker_transcode_in_packets_total", kCounter,
             "Packets consumed by a transcoding stage (its output is counted in tx).",
             [](const WS& s) { return s.transcode_in; });
  per_worker(w, workers, "trunkgate_dp_worker_events_lost_total", kCounter,
             "Events a worker could not post (event ring full).",
             [](const WS& s) { return s.events_lost; });
  per_worker(w, workers, "trunkgate_dp_worker_flows", kGauge, "Flows in a worker's table.",
             [](const WS& s) { return s.flows; });
  per_worker(w, workers, "trunkgate_dp_worker_treated_flows", kGauge,
             "Flows holding a media-treatment slot (SRTP or transcoding).",
             [](const WS& s) { return s.treated_flows; });
  w.family("trunkgate_dp_worker_commands_total", kCounter,
           "Flow commands a worker applied (ok) or refused (failed).");
  for (size_t i = 0; i < workers.size(); ++i) {
    const std::string id = std::to_string(i);
    w.sample({{"worker", id}, {"result", "ok"}}, workers[i].commands_ok);
    w.sample({{"worker", id}, {"result", "failed"}}, workers[i].commands_failed);
  }
  w.family("trunkgate_dp_worker_drops_total", kCounter,
           "Packets a worker dropped, by reason (every received packet is forwarded, handed "
           "off, sent to the kernel, consumed by transcoding, or counted here once).");
  for (size_t i = 0; i < workers.size(); ++i)
    for (unsigned d = 0; d < channel::kDropCount; ++d)
      w.sample({{"worker", std::to_string(i)}, {"reason", channel::kWorkerDropNames[d]}},
               workers[i].drops[d]);
  w.family("trunkgate_dp_srtp_failures_total", kCounter,
           "SRTP/SRTCP packets dropped: authentication, replay, or invalid (too short, "
           "wrong MKI, key lifetime); also in trunkgate_dp_worker_drops_total.");
  constexpr std::pair<const char*, channel::WorkerDrop> kSrtp[] = {
      {"auth", channel::kDropSrtpAuth},
      {"replay", channel::kDropSrtpReplay},
      {"invalid", channel::kDropSrtpInvalid}};
  for (size_t i = 0; i < workers.size(); ++i)
    for (const auto& [reason, drop] : kSrtp)
      w.sample({{"worker", std::to_string(i)}, {"reason", reason}}, workers[i].drops[drop]);
}

void dataplane_ports(ExpositionWriter& w, const channel::Client& dp) {
  const channel::RegionHeader& h = dp.header();
  std::vector<std::pair<std::string, channel::PortStats>> ports;
  for (unsigned i = 0; i < h.n_interfaces && i < channel::kMaxInterfaces; ++i)
    ports.emplace_back(std::string(h.interfaces[i].name,
                                   strnlen(h.interfaces[i].name, sizeof(h.interfaces[i].name))),
                       dp.port_stats(i));
  using PS = channel::PortStats;
  const struct {
    const char* name;
    const char* help;
    uint64_t PS::*field;
  } kFields[] = {
      {"trunkgate_dp_port_rx_packets_total", "Packets the port received (NIC counter).",
       &PS::ipackets},
      {"trunkgate_dp_port_tx_packets_total", "Packets the port sent.", &PS::opackets},
      {"trunkgate_dp_port_rx_bytes_total", "Bytes the port received.", &PS::ibytes},
      {"trunkgate_dp_port_tx_bytes_total", "Bytes the port sent.", &PS::obytes},
      {"trunkgate_dp_port_rx_missed_total", "Packets the NIC dropped: RX queues full.",
       &PS::imissed},
      {"trunkgate_dp_port_rx_errors_total", "Erroneous packets received.", &PS::ierrors},
      {"trunkgate_dp_port_tx_errors_total", "Packets the port failed to send.", &PS::oerrors},
      {"trunkgate_dp_port_rx_nombuf_total", "RX mbuf allocation failures.", &PS::rx_nombuf},
  };
  for (const auto& f : kFields) {
    w.family(f.name, kCounter, std::string(f.help) + " Published once a second.");
    for (const auto& [name, stats] : ports) w.sample({{"interface", name}}, stats.*(f.field));
  }
  const channel::ExceptionStats e = dp.exception_stats();
  singles(w, {{"trunkgate_dp_exception_to_kernel_total", kCounter,
               "Frames the data plane passed to the kernel (TAP).", e.to_kernel},
              {"trunkgate_dp_exception_from_kernel_total", kCounter,
               "Frames the kernel sent out through the data plane.", e.from_kernel},
              {"trunkgate_dp_exception_dropped_total", kCounter,
               "Exception-path frames refused by a TAP or port, or without an mbuf.", e.dropped},
              {"trunkgate_dp_neighbor_requests_total", kCounter,
               "ARP requests and Neighbor Solicitations the data plane sent.", e.requests_sent},
              {"trunkgate_dp_neighbors_learned_total", kCounter,
               "Next-hop MACs learned from ARP and ND.", e.neighbors_learned},
              {"trunkgate_dp_workers", kGauge, "Data-plane worker cores.", dp.workers()}});
}

}  // namespace

std::string render_metrics(const MetricsSources& sources) {
  ExpositionWriter w;
  calls(w, sources.b2bua);
  sip(w, sources.sip);
  trunks(w, sources);
  cdr_and_logs(w, sources);
  dataplane_workers(w, sources.dataplane);
  dataplane_ports(w, sources.dataplane);
  return w.text();
}

}  // namespace trunkgate::cp
