// OPTIONS keepalive (RFC 3261 11; SIPconnect 2.0 Annex B 17.4: "Sending an OPTIONS request
// periodically", with a configurable interval, options_keepalive_s) for every trunk that asks for
// it, so routing can skip trunks whose peer is down.
//
// Every options_keepalive_s the trunk's peer is resolved (SipServices::resolve: RFC 3263 for
// names) and one OPTIONS goes to each target. A round succeeds when any target is alive, and
// fails otherwise. Rounds never overlap: a round still waiting for Timer F when the next is due
// starts the next as soon as it ends.
//
// Alive means any final response except 503 (decided in trunk_monitor.cc). A trunk goes down
// after `failures_before_down` failed rounds in a row and comes back up on the first successful
// one. Until its first round ends a trunk counts as up, so calls are not refused at start-up.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "controlplane/config/trunk.h"
#include "controlplane/signaling/sip_services.h"

namespace trunkgate::cp {

struct KeepaliveCounters {
  uint64_t sent = 0;      // OPTIONS requests handed to the transaction layer
  uint64_t answered = 0;  // alive answers
  uint64_t failed = 0;    // timeouts, transport errors, 503, unsendable, names that do not resolve
};

struct TrunkMonitorOptions {
  // 1: a single OPTIONS timeout already spans Timer F (64*T1, 32 s) with ten retransmissions
  // over UDP, so one failed round is strong evidence; raise it for lossy paths.
  unsigned failures_before_down = 1;
};

class TrunkMonitor {
 public:
  using ChangeCallback = std::function<void(const std::string& trunk, bool up)>;

  // `services` and `trunks` must outlive the monitor.
  TrunkMonitor(SipServices& services, const std::vector<Trunk>& trunks,
               ChangeCallback on_change = {}, TrunkMonitorOptions options = {});
  ~TrunkMonitor();
  TrunkMonitor(const TrunkMonitor&) = delete;
  TrunkMonitor& operator=(const TrunkMonitor&) = delete;

  // Sends the first round to every monitored trunk now, then every interval.
  void start();

  // False only for a monitored trunk that is down; unmonitored and unknown trunks are up.
  bool is_up(const std::string& trunk) const;
  // Zero for trunks without keepalive.
  KeepaliveCounters counters(const std::string& trunk) const;

 private:
  struct Monitored {
    const Trunk* trunk = nullptr;
    bool up = true;
    unsigned failed_rounds = 0;
    KeepaliveCounters counters;
    uint32_t cseq = 0;
    sip::TimerId timer = 0;
    bool round_running = false;
    bool round_due = false;           // the interval passed while a round was running
    unsigned outstanding = 0;         // OPTIONS of the running round without an outcome yet
    bool round_alive = false;         // some target of the running round answered
    std::chrono::seconds hold_off{};  // Retry-After of a 503 in this round
  };

  void on_timer(Monitored& m);
  void start_round(Monitored& m);
  void send_round(Monitored& m, const std::vector<sip::TransportTarget>& targets);
  bool send_options(Monitored& m, const sip::TransportTarget& target);
  void on_outcome(Monitored& m, bool alive);
  void end_round(Monitored& m);
  void schedule(Monitored& m, std::chrono::seconds delay);

  SipServices& services_;
  ChangeCallback on_change_;
  TrunkMonitorOptions options_;
  std::map<std::string, Monitored, std::less<>> trunks_;
  // Transaction and resolver callbacks may outlive the monitor; they hold this weakly.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace trunkgate::cp
