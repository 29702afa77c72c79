// Bridges the message layer's generic auth-param parser (sip/message/auth_header.h) to the digest
// parameter sets of this folder: unquotes the values and refuses schemes other than Digest.
#pragma once

#include <optional>

#include "sip/auth/digest_params.h"
#include "sip/message/auth_header.h"

namespace trunkgate::sip {

std::optional<DigestChallenge> ChallengeFromHeader(const AuthHeader& header);
std::optional<DigestCredentials> CredentialsFromHeader(const AuthHeader& header);

}  // namespace trunkgate::sip
