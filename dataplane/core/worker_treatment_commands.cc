// Giving flows their media treatment: a TreatmentPool slot configured from the command's
// MediaTreatment block (already validated). Runs on the worker between bursts, never per packet.
#include <cstring>

#include "dataplane/core/worker.h"

namespace trunkgate::dp {

using channel::CommandError;

// Replaces the flow's treatment with `t`, or leaves the flow exactly as it was on error. An
// identical block keeps the running state (SRTP rollover counters and replay windows, codec
// history), so a modify that only moves the remote does not disturb the media.
CommandError Worker::attach_treatment(FlowEntry& e, const channel::MediaTreatment& t) {
  const bool treated = e.flags & kEntryTreated;
  if (t.stages == 0) {
    detach_treatment(e);
    return CommandError::kNone;
  }
  if (treated && std::memcmp(&treatments_.at(e.treatment).spec, &t, sizeof(t)) == 0)
    return CommandError::kNone;
  const int32_t slot = treatments_.acquire();
  if (slot == TreatmentPool::kNone) return CommandError::kTreatmentFull;
  const CommandError err = configure_treatment(*engine_, t, treatments_.at(slot));
  if (err != CommandError::kNone) {
    treatments_.release(slot);
    return err;
  }
  detach_treatment(e);
  e.treatment = slot;
  e.flags |= kEntryTreated;
  if (t.stages & channel::kTreatSrtpIn) e.flags |= kEntrySrtpIn;
  return CommandError::kNone;
}

void Worker::detach_treatment(FlowEntry& e) {
  if (e.flags & kEntryTreated) treatments_.release(e.treatment);
  e.flags &= ~kEntryInternalFlags;
  e.treatment = TreatmentPool::kNone;
}

}  // namespace trunkgate::dp
