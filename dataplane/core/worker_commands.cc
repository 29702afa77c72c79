// Applying control commands on the worker that owns the flow. Every command is validated here,
// where the tables are, and answered with exactly one kCommandOk or kCommandError event.
#include <rte_ethdev.h>
#include <rte_ring_elem.h>

#include "dataplane/core/treatment_validation.h"
#include "dataplane/core/worker.h"

namespace trunkgate::dp {
namespace {

using channel::CommandError;
using channel::CommandType;
using channel::EventType;
using channel::Family;

bool usable_family(Family f) { return f == Family::kIPv4 || f == Family::kIPv6; }

bool unspecified(const channel::IpAddr& a) {
  const unsigned len = a.family == Family::kIPv4 ? 4 : 16;
  for (unsigned i = 0; i < len; ++i)
    if (a.bytes[i] != 0) return false;
  return true;
}

bool multicast(const channel::IpAddr& a) {
  return a.family == Family::kIPv4 ? (a.bytes[0] & 0xf0) == 0xe0 : a.bytes[0] == 0xff;
}

}  // namespace

unsigned Worker::apply_commands() {
  channel::Command cmds[kCommandsPerPoll];
  const unsigned n = rte_ring_dequeue_burst_elem(s_.commands, cmds, sizeof(channel::Command),
                                                 kCommandsPerPoll, nullptr);
  for (unsigned i = 0; i < n; ++i) apply(cmds[i]);
  return n;
}

CommandError Worker::validate(const channel::FlowSpec& spec) const {
  const std::vector<Interface>& ifaces = *s_.interfaces;
  if (!usable_family(spec.key.addr.family) || !usable_family(spec.source.addr.family) ||
      spec.remote.addr.family != spec.source.addr.family)
    return CommandError::kBadFamily;
  if (!s_.media.contains(spec.key.port)) return CommandError::kPortOutOfRange;
  if (channel::owner_of_port(spec.key.port, s_.n_workers) != s_.index)
    return CommandError::kWrongWorker;
  if (!is_gateway_address(ifaces, spec.key.addr)) return CommandError::kNotLocalAddress;
  if (spec.out_interface >= ifaces.size()) return CommandError::kBadInterface;
  if (!has_address(ifaces[spec.out_interface], spec.source.addr) || spec.source.port == 0)
    return CommandError::kNotLocalAddress;
  if (spec.remote.port == 0 || unspecified(spec.remote.addr) || multicast(spec.remote.addr))
    return CommandError::kBadRemote;
  if ((spec.flags & ~channel::kFlowAllFlags) != 0 ||
      ((spec.flags & channel::kFlowRtcp) && (spec.flags & channel::kFlowRtcpMux)) ||
      ((spec.flags & channel::kFlowStrictSource) && !(spec.flags & channel::kFlowLatch)) ||
      ((spec.flags & channel::kFlowReportEvents) &&
       ((spec.flags & channel::kFlowRtcp) || spec.event_pt > 127)))
    return CommandError::kBadFlags;
  if (spec.reverse.addr.family != Family::kNone && !usable_family(spec.reverse.addr.family))
    return CommandError::kBadFamily;
  if (spec.dscp > 63) return CommandError::kBadDscp;
  return CommandError::kNone;
}

void Worker::resolve_next_hop(FlowEntry& e) {
  const Interface& iface = (*s_.interfaces)[e.spec.out_interface];
  e.next_hop = make_neighbor_key(e.spec.out_interface, next_hop(iface, e.remote.addr));
  e.neighbor = s_.neighbors->find(e.next_hop);
  e.neighbor_requested = 0;
  if (e.neighbor == NeighborTable::kNone) e.neighbor_requested = s_.neighbors->request(e.next_hop);
}

// Points the flow at a new destination: new headers, new next hop.
void Worker::retarget(FlowEntry& e, const channel::Endpoint& remote) {
  const Interface& iface = (*s_.interfaces)[e.spec.out_interface];
  TemplateParams tp{};
  std::copy(std::begin(iface.mac), std::end(iface.mac), tp.src_mac);
  tp.vlan = iface.vlan;
  tp.dscp = e.spec.dscp;
  tp.source = e.spec.source;
  tp.destination = remote;
  e.remote = remote;
  build_template(tp, e.tmpl);  // families were validated
  resolve_next_hop(e);
}

CommandError Worker::program(FlowEntry& e, const channel::FlowSpec& spec) {
  const Interface& iface = (*s_.interfaces)[spec.out_interface];
  e.spec = spec;
  e.spec.key = canonical_key(spec.key).key;
  e.flags = spec.flags | (e.flags & kEntryInternalFlags);
  e.out_port = iface.port_id;
  e.tx_offload = iface.tx_checksum_offload;
  e.latched = 0;
  e.peer = {};
  e.timed_out = 0;
  e.timeout_tsc = static_cast<uint64_t>(spec.timeout_ms) * ms_tsc_;
  e.last_seen_tsc = now_;
  e.xlate = RtpTranslation{};
  e.xlate.out_ssrc = spec.out_ssrc;
  e.events = media::TelephoneEventReceiver{};
  retarget(e, spec.remote);
  return CommandError::kNone;
}

void Worker::apply(const channel::Command& cmd) {
  const channel::FlowSpec& spec = cmd.spec;
  CommandError err = CommandError::kNone;
  FlowEntry* e = nullptr;
  bool deleted = false;
  if (cmd.hdr.version != channel::kSchemaVersion) {
    err = CommandError::kBadVersion;
  } else {
    switch (static_cast<CommandType>(cmd.hdr.type)) {
      case CommandType::kAddFlow:
        err = validate(spec);
        if (err == CommandError::kNone) err = validate_treatment(cmd.treatment, spec.flags);
        if (err == CommandError::kNone) e = flows_.insert(spec.key, err);
        if (e != nullptr) err = attach_treatment(*e, cmd.treatment);
        if (err == CommandError::kNone) {
          program(*e, spec);
        } else if (e != nullptr) {
          flows_.erase(spec.key);
          e = nullptr;
        }
        break;
      case CommandType::kModifyFlow:
        err = validate(spec);
        if (err == CommandError::kNone) err = validate_treatment(cmd.treatment, spec.flags);
        if (err == CommandError::kNone) {
          e = flows_.find(spec.key);
          if (e == nullptr) err = CommandError::kNoSuchFlow;
          else err = attach_treatment(*e, cmd.treatment);
          if (err == CommandError::kNone) program(*e, spec);
        }
        break;
      case CommandType::kDeleteFlow:
      case CommandType::kQueryFlow:
        e = flows_.find(spec.key);
        if (e == nullptr) err = CommandError::kNoSuchFlow;
        deleted = e != nullptr && cmd.hdr.type == static_cast<uint16_t>(CommandType::kDeleteFlow);
        break;
      case CommandType::kDumpFlows:
        if (dumping_) emit(EventType::kDumpDone, dump_seq_, CommandError::kNone, {}, nullptr);
        dumping_ = true;
        dump_seq_ = cmd.hdr.seq;
        dump_cursor_ = 0;
        break;
      default:
        err = CommandError::kUnknownType;
    }
  }
  if (err != CommandError::kNone) {
    ++c_.commands_failed;
    emit(EventType::kCommandError, cmd.hdr.seq, err, spec.key, nullptr);
    return;
  }
  ++c_.commands_ok;
  emit(EventType::kCommandOk, cmd.hdr.seq, err, spec.key, e);
  if (cmd.hdr.type == static_cast<uint16_t>(CommandType::kQueryFlow))
    emit(EventType::kFlowStats, cmd.hdr.seq, err, e->spec.key, e);
  if (deleted) {
    drop_held(*e);  // counted in the final counters the deletion reports
    emit(EventType::kFlowDeleted, cmd.hdr.seq, err, e->spec.key, e);
    remove(*e);
  }
}

void Worker::remove(FlowEntry& e) {
  detach_treatment(e);
  flows_.erase(e.spec.key);
}

}  // namespace trunkgate::dp
