#include "controlplane/trunks/trunk_monitor.h"

#include "controlplane/trunks/out_of_dialog_request.h"

namespace trunkgate::cp {
namespace {

// Any final response proves that the peer's SIP stack is running and reachable: 200, but also
// 403/404/405/481 from peers that refuse OPTIONS from strangers or do not implement it (RFC 3261
// 11.2 lets a UAS answer OPTIONS like an INVITE, so a peer busy or refusing still answers). The
// exception is 503: the peer says it cannot take requests now (overload or maintenance, RFC 3261
// 21.5.4), which is what the keepalive exists to detect (SIPconnect 17.4 "timely detection of SIP
// peer failure"), so calls should go elsewhere. A 408 reaches us as on_failure (Timer F).
bool proves_alive(const sip::SipMessage& response) {
  return response.status_code() != 503;
}

std::chrono::seconds retry_after(const sip::SipMessage& response) {
  const auto value = response.retry_after();
  return value ? std::chrono::seconds(value->seconds) : std::chrono::seconds(0);
}

}  // namespace

TrunkMonitor::TrunkMonitor(SipServices& services, const std::vector<Trunk>& trunks,
                           ChangeCallback on_change, TrunkMonitorOptions options)
    : services_(services), on_change_(std::move(on_change)), options_(options) {
  if (options_.failures_before_down == 0) options_.failures_before_down = 1;
  for (const Trunk& trunk : trunks) {
    if (trunk.options_keepalive_s > 0) trunks_[trunk.name].trunk = &trunk;
  }
}

TrunkMonitor::~TrunkMonitor() {
  for (auto& [name, m] : trunks_) {
    if (m.timer != 0) services_.scheduler().Cancel(m.timer);
  }
}

void TrunkMonitor::start() {
  for (auto& [name, m] : trunks_) start_round(m);
}

bool TrunkMonitor::is_up(const std::string& trunk) const {
  const auto it = trunks_.find(trunk);
  return it == trunks_.end() || it->second.up;
}

KeepaliveCounters TrunkMonitor::counters(const std::string& trunk) const {
  const auto it = trunks_.find(trunk);
  return it == trunks_.end() ? KeepaliveCounters{} : it->second.counters;
}

void TrunkMonitor::schedule(Monitored& m, std::chrono::seconds delay) {
  if (m.timer != 0) services_.scheduler().Cancel(m.timer);
  m.timer = services_.scheduler().Schedule(delay, [this, &m] { on_timer(m); });
}

void TrunkMonitor::on_timer(Monitored& m) {
  m.timer = 0;
  if (m.round_running) {
    m.round_due = true;
  } else {
    start_round(m);
  }
}

void TrunkMonitor::start_round(Monitored& m) {
  m.round_running = true;
  m.round_due = false;
  m.round_alive = false;
  m.hold_off = std::chrono::seconds(0);
  schedule(m, std::chrono::seconds(m.trunk->options_keepalive_s));
  std::weak_ptr<char> alive = alive_;
  services_.resolve(*m.trunk, [this, &m, alive](std::vector<sip::TransportTarget> targets) {
    if (!alive.expired()) send_round(m, targets);
  });
}

void TrunkMonitor::send_round(Monitored& m, const std::vector<sip::TransportTarget>& targets) {
  // Counted before sending: a synchronous outcome must not end the round while others are due.
  m.outstanding = static_cast<unsigned>(targets.size()) + 1;
  for (const sip::TransportTarget& target : targets) {
    if (!send_options(m, target)) {
      ++m.counters.failed;
      --m.outstanding;
    }
  }
  if (targets.empty()) ++m.counters.failed;  // the name does not resolve
  if (--m.outstanding == 0) end_round(m);
}

bool TrunkMonitor::send_options(Monitored& m, const sip::TransportTarget& target) {
  const std::string local = services_.local_hostport(target);
  if (local.empty()) return false;
  const std::string from_uri = "sip:" + local;
  const std::string peer_uri = "sip:" + host_port(m.trunk->peer_host, m.trunk->peer_port);
  const std::string call_id = random_token();
  const std::string tag = random_token();
  sip::SipMessage request = make_out_of_dialog_request({.method = "OPTIONS",
                                                        .request_uri = peer_uri,
                                                        .from_uri = from_uri,
                                                        .from_tag = tag,
                                                        .to_uri = peer_uri,
                                                        .call_id = call_id,
                                                        .cseq = ++m.cseq});
  request.add_header(sip::HeaderId::kContact, "<" + contact_uri(local, target) + ">");
  request.add_header(sip::HeaderId::kAccept, "application/sdp");  // RFC 3261 11.1
  std::weak_ptr<char> alive = alive_;
  sip::ClientTransactionUser user{
      .on_response =
          [this, &m, alive](const sip::SipMessage& response) {
            if (alive.expired() || response.status_code() < 200) return;
            if (!proves_alive(response)) m.hold_off = std::max(m.hold_off, retry_after(response));
            on_outcome(m, proves_alive(response));
          },
      .on_failure =
          [this, &m, alive](std::string_view) {
            if (!alive.expired()) on_outcome(m, false);
          },
  };
  if (!services_.send_request(std::move(request), target, std::move(user))) return false;
  ++m.counters.sent;
  return true;
}

void TrunkMonitor::on_outcome(Monitored& m, bool alive) {
  ++(alive ? m.counters.answered : m.counters.failed);
  m.round_alive = m.round_alive || alive;
  if (--m.outstanding == 0) end_round(m);
}

void TrunkMonitor::end_round(Monitored& m) {
  m.round_running = false;
  const bool was_up = m.up;
  if (m.round_alive) {
    m.failed_rounds = 0;
    m.up = true;
  } else if (++m.failed_rounds >= options_.failures_before_down) {
    m.up = false;
  }
  if (m.up != was_up && on_change_) on_change_(m.trunk->name, m.up);
  // RFC 3261 21.5.4: no new request to a peer that answered 503 before its Retry-After.
  if (m.hold_off > std::chrono::seconds(m.trunk->options_keepalive_s)) {
    schedule(m, m.hold_off);
  } else if (m.round_due) {
    start_round(m);
  }
}

}  // namespace trunkgate::cp
