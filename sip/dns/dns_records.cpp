#include "sip/dns/dns_records.h"

#include <openssl/rand.h>

#include <algorithm>
#include <optional>

#include "sip/message/text.h"

namespace trunkgate::sip {
namespace {

std::optional<TransportProtocol> NaptrServiceProtocol(std::string_view service) {
  if (iequals(service, "SIP+D2U")) return TransportProtocol::kUdp;
  if (iequals(service, "SIP+D2T")) return TransportProtocol::kTcp;
  if (iequals(service, "SIPS+D2T")) return TransportProtocol::kTls;
  return std::nullopt;
}

// Removes and returns one record of a same-priority group by RFC 2782's weighted draw.
SrvRecord DrawByWeight(std::vector<SrvRecord>& group, const RandomSource& random) {
  std::uint32_t total = 0;
  for (const SrvRecord& record : group) total += record.weight;
  const std::uint32_t draw = random(total);
  std::uint32_t running = 0;
  auto chosen = group.begin();
  for (auto it = group.begin(); it != group.end(); ++it) {
    running += it->weight;
    if (running >= draw) {
      chosen = it;
      break;
    }
  }
  SrvRecord record = std::move(*chosen);
  group.erase(chosen);
  return record;
}

}  // namespace

RandomSource DefaultRandomSource() {
  return [](std::uint32_t bound) -> std::uint32_t {
    std::uint32_t value = 0;
    RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof value);
    return bound == UINT32_MAX ? value : value % (bound + 1);
  };
}

std::vector<SrvRecord> OrderSrvRecords(std::vector<SrvRecord> records, const RandomSource& random) {
  std::erase_if(records, [](const SrvRecord& r) { return r.target.empty() || r.target == "."; });
  // Zero weights first within each priority, as RFC 2782 asks before the draw.
  std::stable_sort(records.begin(), records.end(), [](const SrvRecord& a, const SrvRecord& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.weight == 0 && b.weight != 0;
  });
  std::vector<SrvRecord> ordered;
  ordered.reserve(records.size());
  auto group_begin = records.begin();
  while (group_begin != records.end()) {
    const auto group_end = std::find_if(group_begin, records.end(), [&](const SrvRecord& r) {
      return r.priority != group_begin->priority;
    });
    std::vector<SrvRecord> group(std::make_move_iterator(group_begin),
                                 std::make_move_iterator(group_end));
    while (!group.empty()) ordered.push_back(DrawByWeight(group, random));
    group_begin = group_end;
  }
  return ordered;
}

std::vector<SipNaptrTarget> SelectSipNaptrs(std::vector<NaptrRecord> records, bool tls_only) {
  std::stable_sort(records.begin(), records.end(), [](const NaptrRecord& a, const NaptrRecord& b) {
    return a.order != b.order ? a.order < b.order : a.preference < b.preference;
  });
  std::vector<SipNaptrTarget> targets;
  for (const NaptrRecord& record : records) {
    const auto protocol = NaptrServiceProtocol(record.service);
    if (!protocol || !iequals(record.flags, "s") || record.replacement.empty()) continue;
    if (tls_only && *protocol != TransportProtocol::kTls) continue;
    targets.push_back({*protocol, record.replacement});
  }
  return targets;
}

}  // namespace trunkgate::sip
