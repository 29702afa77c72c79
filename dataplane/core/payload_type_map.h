// Payload-type rewriting on relayed RTP (audio PT and RFC 4733 telephone-event PT), keeping the
// payload's ones'-complement sum current so the UDP checksum still needs no payload walk.
#pragma once

#include <cstdint>

#include "dataplane/channel/schema.h"

namespace trunkgate::dp {

// `rtp` is a validated RTP header; `stages` says which of the map's pairs apply. Returns the
// updated payload sum. The marker bit is kept.
uint16_t map_payload_type(uint8_t* rtp, const channel::PayloadTypeMap& map, uint32_t stages,
                          uint16_t payload_sum);

}  // namespace trunkgate::dp
