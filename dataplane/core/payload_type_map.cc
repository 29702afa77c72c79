#include "dataplane/core/payload_type_map.h"

#include "dataplane/core/checksum.h"

namespace trunkgate::dp {

uint16_t map_payload_type(uint8_t* rtp, const channel::PayloadTypeMap& map, uint32_t stages,
                          uint16_t payload_sum) {
  const uint8_t pt = rtp[1] & 0x7f;
  uint8_t out = pt;
  if ((stages & channel::kTreatPayloadMap) && pt == map.audio_in) out = map.audio_out;
  else if ((stages & channel::kTreatEventMap) && pt == map.event_in) out = map.event_out;
  if (out == pt) return payload_sum;
  const uint16_t old_word = load_be16(rtp);
  rtp[1] = static_cast<uint8_t>((rtp[1] & 0x80) | out);
  return csum_fold(static_cast<uint32_t>(csum_sub(payload_sum, old_word)) + load_be16(rtp));
}

}  // namespace trunkgate::dp
