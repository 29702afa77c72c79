// Turning the configuration into an EAL command line: which lcores on which CPUs, hugepages or
// ordinary memory, PCI or not. Decided before rte_eal_init because EAL cannot be initialised twice.
#pragma once

#include <string>
#include <vector>

#include "dataplane/app/config.h"

namespace trunkgate::dp {

struct EalPlan {
  std::vector<std::string> args;
  bool hugepages = false;
  std::string memory_note;  // printed at start: which memory and why
};

// Free hugepages of the default size and whether a hugetlbfs is mounted.
struct HugepageState {
  unsigned long free_pages = 0;
  unsigned long page_kb = 0;
  bool mounted = false;
};
HugepageState probe_hugepages();

bool plan_eal(const DpConfig& config, const HugepageState& huge, EalPlan& plan,
              std::string& error);

bool is_pci_address(const std::string& device);

}  // namespace trunkgate::dp
