// SIP methods as an enum for the transaction and dialog layers; extension methods are kOther and
// keep their text in the message.
#pragma once

#include <cstdint>
#include <string_view>

namespace trunkgate::sip {

enum class Method : std::uint8_t {
  kOther = 0,
  kInvite,
  kAck,
  kBye,
  kCancel,
  kOptions,
  kRegister,
  kPrack,
  kUpdate,
  kInfo,
  kSubscribe,
  kNotify,
  kRefer,
  kMessage,
  kPublish,
};

// Methods are case-sensitive (RFC 3261 7.1): "invite" is an extension method, not INVITE.
Method method_from_name(std::string_view name);
std::string_view method_name(Method m);  // empty for kOther

}  // namespace trunkgate::sip
