// Validation of a flow's media treatment (schema v2) before the worker takes a pool slot for it.
// Pure: the whole command block is hostile input, every field is checked against precise errors.
#pragma once

#include <cstdint>

#include "dataplane/channel/schema.h"

namespace trunkgate::dp {

// `flow_flags` are the FlowSpec flags of the flow the treatment is for (already validated).
channel::CommandError validate_treatment(const channel::MediaTreatment& t, uint32_t flow_flags);

}  // namespace trunkgate::dp
