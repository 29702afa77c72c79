#include "dataplane/app/eal_setup.h"

#include <sched.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace trunkgate::dp {

HugepageState probe_hugepages() {
  HugepageState s;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  unsigned long value = 0;
  std::string unit;
  while (meminfo >> key >> value) {
    if (key == "HugePages_Free:") s.free_pages = value;
    if (key == "Hugepagesize:") s.page_kb = value;
    std::getline(meminfo, unit);
  }
  std::ifstream mounts("/proc/mounts");
  std::string line;
  while (std::getline(mounts, line))
    if (line.find(" hugetlbfs ") != std::string::npos) s.mounted = true;
  return s;
}

bool is_pci_address(const std::string& device) {
  static const std::regex pci(R"(^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7](,.*)?$)");
  return std::regex_match(device, pci);
}

namespace {

bool cpu_allowed(unsigned cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return false;
  return cpu < CPU_SETSIZE && CPU_ISSET(cpu, &set);
}

std::string allowed_cpus_text() {
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof(set), &set);
  std::string out;
  for (unsigned c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) out += (out.empty() ? "" : ",") + std::to_string(c);
  return out;
}

}  // namespace

bool plan_eal(const DpConfig& config, const HugepageState& huge, EalPlan& plan,
              std::string& error) {
  plan = EalPlan{};
  const unsigned lcores = config.workers + 1;
  std::vector<unsigned> cpus = config.cpus;
  if (cpus.empty()) {
    for (unsigned c = 0; c < CPU_SETSIZE && cpus.size() < lcores; ++c)
      if (cpu_allowed(c)) cpus.push_back(c);
  }
  if (cpus.empty()) {
    error = "no CPU is available to this process";
    return false;
  }
  for (unsigned c : cpus) {
    if (!cpu_allowed(c)) {
      error = "cpus: CPU " + std::to_string(c) + " does not exist or is not allowed (allowed: " +
              allowed_cpus_text() + ")";
      return false;
    }
  }
  // More lcores than CPUs: the last CPUs are shared. Works (tests, small machines), but workers
  // then compete for a core, so it is said at start-up.
  std::string lcore_map;
  for (unsigned l = 0; l < lcores; ++l) {
    const unsigned cpu = cpus[std::min<size_t>(l, cpus.size() - 1)];
    lcore_map += (l ? "," : "") + std::to_string(l) + "@" + std::to_string(cpu);
  }
  plan.args = {"trunkgate-dp", "--lcores=" + lcore_map, "--main-lcore=0", "--no-telemetry", "--log-level=" + config.dpdk_log_level,
               "--file-prefix=trunkgate-" + config.instance};

  const unsigned long need_pages =
      huge.page_kb == 0 ? 0 : (static_cast<unsigned long>(config.memory_mb) * 1024) / huge.page_kb;
  const bool huge_ok = huge.mounted && huge.free_pages > 0 && huge.free_pages >= need_pages;
  if (config.hugepages == HugepageMode::kRequired && !huge_ok) {
    error = "hugepages: required, but " + std::to_string(huge.free_pages) + " free pages of " +
            std::to_string(huge.page_kb) + " kB" + (huge.mounted ? "" : " and no hugetlbfs mount") +
            " cannot hold memory_mb=" + std::to_string(config.memory_mb) +
            " (run deploy/setup-hugepages.sh)";
    return false;
  }
  plan.hugepages = config.hugepages != HugepageMode::kOff && huge_ok;
  plan.args.push_back("-m");
  plan.args.push_back(std::to_string(config.memory_mb));
  // No runtime files either way: --in-memory with hugepages; --no-huge implies legacy memory,
  // which --in-memory rejects, so it gets --no-shconf instead.
  plan.args.push_back(plan.hugepages ? "--in-memory" : "--no-shconf");
  if (plan.hugepages) {
    plan.memory_note = "hugepages: " + std::to_string(config.memory_mb) + " MB from " +
                       std::to_string(huge.free_pages) + " free " + std::to_string(huge.page_kb) +
                       " kB pages";
  } else {
    plan.args.push_back("--no-huge");
    plan.memory_note = "ordinary memory (--no-huge): " + std::to_string(config.memory_mb) +
                       " MB; " +
                       (config.hugepages == HugepageMode::kOff
                            ? "hugepages: off in the configuration"
                            : "not enough free hugepages (" + std::to_string(huge.free_pages) +
                                  " free, " + (huge.mounted ? "mounted" : "no hugetlbfs mount") +
                                  ")");
  }
  bool any_pci = false;
  for (const InterfaceConfig& i : config.interfaces) {
    if (!is_pci_address(i.device)) continue;
    any_pci = true;
    plan.args.push_back("-a");
    plan.args.push_back(i.device);
  }
  if (!any_pci) plan.args.push_back("--no-pci");
  return true;
}

}  // namespace trunkgate::dp
