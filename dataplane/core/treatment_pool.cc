#include "dataplane/core/treatment_pool.h"

#include <new>

namespace trunkgate::dp {

bool TreatmentPool::init(unsigned capacity, std::string& error) {
  slots_.reset(new (std::nothrow) FlowTreatment[capacity]);
  if (capacity != 0 && slots_ == nullptr) {
    error = "treatment pool: cannot allocate " + std::to_string(capacity) + " slots of " +
            std::to_string(sizeof(FlowTreatment)) + " bytes: lower treated_flows_per_worker";
    return false;
  }
  capacity_ = capacity;
  free_.clear();
  free_.reserve(capacity);
  // Lowest slots first, so a lightly used pool touches little memory.
  for (unsigned i = capacity; i > 0; --i) free_.push_back(static_cast<int32_t>(i - 1));
  return true;
}

int32_t TreatmentPool::acquire() {
  if (free_.empty()) return kNone;
  const int32_t slot = free_.back();
  free_.pop_back();
  return slot;
}

void TreatmentPool::release(int32_t slot) {
  clear_treatment(at(slot));
  free_.push_back(slot);
}

}  // namespace trunkgate::dp
