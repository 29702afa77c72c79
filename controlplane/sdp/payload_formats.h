// The payload formats the gateway reads and writes in SDP: the RFC 3551 static audio types (a
// format without a=rtpmap, as in spec 000's "m=audio 60176 RTP/AVP 18 0 101"), the formats we put
// in our own SDPs, and how a peer's format maps to a codec the data plane handles.
#pragma once

#include <optional>

#include "controlplane/sdp/media_negotiation.h"

namespace trunkgate::cp {

// The encoding of a static audio payload type (RFC 3551 table 4); nullopt for dynamic/unassigned.
std::optional<PayloadFormat> static_format(int pt);

// The codec a peer's format carries (kNone when the data plane has no use for it).
channel::Codec codec_of(const PayloadFormat& format);

// Case-insensitive encoding names: "telephone-event", "CN" (RFC 3389).
bool is_telephone_event(const PayloadFormat& format);
bool is_comfort_noise(const PayloadFormat& format);

// How we write `codec` in our SDP: its static type (RFC 3551), and for G.729 "annexb=no" because
// the data plane's G.729 encoder runs without VAD (TranscodeParams::vad_dtx 0) and SIPconnect 2.0
// section 14.3 says a peer must assume Annex B unless told otherwise.
PayloadFormat our_format(channel::Codec codec);

// telephone-event/8000 with events 0-16 (RFC 4733: DTMF 0-15 plus flash).
PayloadFormat telephone_event_format(int pt);

// CN/8000 (RFC 3389) as payload type `pt`.
PayloadFormat comfort_noise_format(int pt);

}  // namespace trunkgate::cp
