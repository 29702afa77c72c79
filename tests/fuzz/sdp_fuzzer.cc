// libFuzzer target: parse_sdp on arbitrary bytes, the typed attribute views, serialize_sdp and a
// re-parse of the serialized text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/sdp/session_description.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sdp = trunkgate::sip::sdp;
  const auto parsed = sdp::parse_sdp(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed) return 0;
  for (const sdp::Media& m : parsed->media) {
    (void)m.rtpmaps();
    (void)m.fmtp(101);
    (void)m.ptime();
    (void)m.cryptos();
    (void)m.rtcp_port();
    (void)parsed->connection_for(m);
    (void)parsed->direction_for(m);
  }
  (void)sdp::parse_sdp(sdp::serialize_sdp(*parsed));
  return 0;
}
