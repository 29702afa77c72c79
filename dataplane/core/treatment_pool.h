// A worker's FlowTreatment slots, all allocated at init (treated_flows_per_worker): taking and
// returning a slot on add/delete is a push/pop on a preallocated free list.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/core/flow_treatment.h"

namespace trunkgate::dp {

class TreatmentPool {
 public:
  static constexpr int32_t kNone = -1;

  bool init(unsigned capacity, std::string& error);
  int32_t acquire();           // kNone when every slot is taken
  void release(int32_t slot);  // clears the slot's state (frees codec contexts)
  FlowTreatment& at(int32_t slot) { return slots_[static_cast<size_t>(slot)]; }
  unsigned capacity() const { return capacity_; }
  unsigned in_use() const { return capacity_ - static_cast<unsigned>(free_.size()); }

 private:
  std::unique_ptr<FlowTreatment[]> slots_;
  std::vector<int32_t> free_;  // reserved to capacity: never reallocates
  unsigned capacity_ = 0;
};

}  // namespace trunkgate::dp
