// SDES keys (RFC 4568) as the gateway's SDP code uses them: a=crypto values read and written
// through the media library's parser and formatter (the data plane's SRTP stages are built and
// tested against the same code), fresh keys from OpenSSL's CSPRNG, and the data plane's
// SrtpParams for a negotiated key.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "controlplane/sdp/media_negotiation.h"
#include "dataplane/channel/schema.h"

namespace trunkgate::cp {

// The value of one a=crypto attribute (after "a=crypto:"). nullopt with `error` when it is
// malformed or uses a suite, session parameter or MKI the data plane does not support.
std::optional<SdesKey> parse_crypto(std::string_view value, std::string& error);

// "<tag> <suite> inline:<key||salt>[|lifetime][|mki:length]", the value of an a=crypto attribute.
// The lifetime is written only when the key has one (SIPconnect 2.0 section 14.4: our offers carry
// neither lifetime nor MKI).
std::string format_crypto(const SdesKey& key);

// A fresh random master key and salt for `suite`, without lifetime or MKI.
SdesKey generate_key(channel::SrtpSuite suite, uint32_t tag);

// One SRTP direction for the data plane (replay window: the data plane's default, 128).
channel::SrtpParams srtp_params(const SdesKey& key);

// Cryptographically random bytes (OpenSSL RAND_bytes); throws std::runtime_error when the CSPRNG
// fails, since no key or RTP stream parameter may be predictable.
void random_bytes(void* out, std::size_t size);

}  // namespace trunkgate::cp
