// The SDP the gateway sends a leg: one audio stream at the gateway's address, nothing else of the
// peer's (RFC 3264 offers and answers are built from what was negotiated, not copied).
#pragma once

#include <string>
#include <vector>

#include "controlplane/sdp/media_negotiation.h"

namespace trunkgate::cp {

struct OurAudio {
  bool secure = false;                 // RTP/SAVP with `keys`, else RTP/AVP
  std::vector<PayloadFormat> formats;  // in m= order, telephone-event included
  unsigned ptime_ms = 20;
  MediaDirection direction = MediaDirection::kSendRecv;
  std::vector<SdesKey> keys;
};

// v=0, o=trunkgate <session_id> <version> IN IP4|IP6 <address>, s=trunkgate, c=, t=0 0, then the
// m= lines: `refused` (as PeerStream::refused_media words them) around our audio stream at
// `audio_index`, so that an answer mirrors the offer's m= lines.
std::string write_sdp(const LocalMedia& local, const OurAudio& audio, unsigned audio_index = 0,
                      const std::vector<std::string>& refused = {});

}  // namespace trunkgate::cp
