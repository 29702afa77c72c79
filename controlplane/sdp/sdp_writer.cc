#include "controlplane/sdp/sdp_writer.h"

#include <algorithm>

#include "controlplane/sdp/sdes.h"

namespace trunkgate::cp {
namespace {

const char* direction_attribute(MediaDirection d) {
  switch (d) {
    case MediaDirection::kSendOnly:
      return "sendonly";
    case MediaDirection::kRecvOnly:
      return "recvonly";
    case MediaDirection::kInactive:
      return "inactive";
    case MediaDirection::kSendRecv:
      break;
  }
  return "sendrecv";
}

void write_audio(const LocalMedia& local, const OurAudio& audio, std::string& out) {
  out += "m=audio " + std::to_string(local.rtp_port) + (audio.secure ? " RTP/SAVP" : " RTP/AVP");
  for (const PayloadFormat& f : audio.formats) out += " " + std::to_string(f.pt);
  out += "\r\n";
  for (const PayloadFormat& f : audio.formats) {
    out += "a=rtpmap:" + std::to_string(f.pt) + " " + f.encoding + "/" +
           std::to_string(f.clock_rate) + "\r\n";
    if (!f.fmtp.empty()) out += "a=fmtp:" + std::to_string(f.pt) + " " + f.fmtp + "\r\n";
  }
  out += "a=ptime:" + std::to_string(audio.ptime_ms) + "\r\n";
  out += std::string("a=") + direction_attribute(audio.direction) + "\r\n";
  for (const SdesKey& key : audio.keys) out += "a=crypto:" + format_crypto(key) + "\r\n";
}

}  // namespace

std::string write_sdp(const LocalMedia& local, const OurAudio& audio, unsigned audio_index,
                      const std::vector<std::string>& refused) {
  const char* family = local.address.find(':') == std::string::npos ? "IP4" : "IP6";
  std::string out = "v=0\r\n";
  out += "o=trunkgate " + std::to_string(local.session_id) + " " + std::to_string(local.version) +
         " IN " + family + " " + local.address + "\r\n";
  out += "s=trunkgate\r\n";
  out += std::string("c=IN ") + family + " " + local.address + "\r\n";
  out += "t=0 0\r\n";
  const std::size_t audio_at = std::min<std::size_t>(audio_index, refused.size());
  for (std::size_t r = 0; r <= refused.size(); ++r) {
    if (r == audio_at) write_audio(local, audio, out);
    if (r < refused.size()) out += "m=" + refused[r] + "\r\n";
  }
  return out;
}

}  // namespace trunkgate::cp
