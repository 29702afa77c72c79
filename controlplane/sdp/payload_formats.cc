#include "controlplane/sdp/payload_formats.h"

#include <strings.h>

#include <array>

namespace trunkgate::cp {
namespace {

struct StaticType {
  const char* encoding;  // nullptr: unassigned
  uint32_t clock_rate;
};

// RFC 3551 section 6, table 4 (audio).
constexpr std::array<StaticType, 19> kStaticTypes = {{
    {"PCMU", 8000}, {nullptr, 0},    {nullptr, 0},    {"GSM", 8000},  {"G723", 8000},
    {"DVI4", 8000}, {"DVI4", 16000}, {"LPC", 8000},   {"PCMA", 8000}, {"G722", 8000},
    {"L16", 44100}, {"L16", 44100},  {"QCELP", 8000}, {"CN", 8000},   {"MPA", 90000},
    {"G728", 8000}, {"DVI4", 11025}, {"DVI4", 22050}, {"G729", 8000},
}};

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::optional<PayloadFormat> static_format(int pt) {
  if (pt < 0 || pt >= static_cast<int>(kStaticTypes.size())) return std::nullopt;
  const StaticType& t = kStaticTypes[static_cast<std::size_t>(pt)];
  if (t.encoding == nullptr) return std::nullopt;
  return PayloadFormat{pt, t.encoding, t.clock_rate, {}};
}

channel::Codec codec_of(const PayloadFormat& format) {
  return format.clock_rate == 8000 ? codec_from_name(format.encoding) : channel::Codec::kNone;
}

bool is_telephone_event(const PayloadFormat& format) {
  return same_name(format.encoding, "telephone-event");
}

bool is_comfort_noise(const PayloadFormat& format) {
  return same_name(format.encoding, "CN");
}

PayloadFormat our_format(channel::Codec codec) {
  switch (codec) {
    case channel::Codec::kPcmu:
      return {0, "PCMU", 8000, {}};
    case channel::Codec::kPcma:
      return {8, "PCMA", 8000, {}};
    case channel::Codec::kG729:
      return {18, "G729", 8000, "annexb=no"};
    case channel::Codec::kNone:
      break;
  }
  return {};
}

PayloadFormat telephone_event_format(int pt) {
  return {pt, "telephone-event", 8000, "0-16"};
}

PayloadFormat comfort_noise_format(int pt) {
  return {pt, "CN", 8000, {}};
}

bool is_g711(channel::Codec c) {
  return c == channel::Codec::kPcmu || c == channel::Codec::kPcma;
}

bool bridgeable(channel::Codec a, channel::Codec b) {
  using channel::Codec;
  if (a == Codec::kNone || b == Codec::kNone) return false;
  return a == b || (is_g711(a) && b == Codec::kG729) || (a == Codec::kG729 && is_g711(b));
}

channel::Codec codec_from_name(std::string_view name) {
  if (same_name(name, "PCMU")) return channel::Codec::kPcmu;
  if (same_name(name, "PCMA")) return channel::Codec::kPcma;
  if (same_name(name, "G729")) return channel::Codec::kG729;
  return channel::Codec::kNone;
}

const char* codec_name(channel::Codec codec) {
  switch (codec) {
    case channel::Codec::kPcmu:
      return "PCMU";
    case channel::Codec::kPcma:
      return "PCMA";
    case channel::Codec::kG729:
      return "G729";
    case channel::Codec::kNone:
      break;
  }
  return "none";
}

}  // namespace trunkgate::cp
