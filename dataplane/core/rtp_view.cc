#include "dataplane/core/rtp_view.h"

#include "dataplane/core/checksum.h"

namespace trunkgate::dp {

RtpKind classify_rtp(const uint8_t* payload, uint16_t len) {
  constexpr unsigned kRtpHeaderLen = 12;
  constexpr unsigned kRtcpHeaderLen = 8;
  if (len < kRtcpHeaderLen || (payload[0] >> 6) != 2) return RtpKind::kInvalid;
  const uint8_t second = payload[1];
  if (second >= 192 && second <= 223) return RtpKind::kRtcp;
  unsigned header = kRtpHeaderLen + (payload[0] & 0x0fu) * 4u;
  if (len < header) return RtpKind::kInvalid;
  if (payload[0] & 0x10) {  // header extension: 4-byte header plus length words
    if (len < header + 4) return RtpKind::kInvalid;
    header += 4 + load_be16(payload + header + 2) * 4u;
    if (len < header) return RtpKind::kInvalid;
  }
  if (payload[0] & 0x20) {  // padding: the last byte counts it, itself included
    const uint8_t pad = payload[len - 1];
    if (pad == 0 || header + pad > len) return RtpKind::kInvalid;
  }
  return RtpKind::kRtp;
}

uint16_t translate_rtp(uint8_t* rtp, RtpTranslation& st, uint16_t sum) {
  const uint16_t in_seq = load_be16(rtp + 2);
  const uint32_t in_ts = load_be32(rtp + 4);
  const uint32_t in_ssrc = load_be32(rtp + 8);
  const bool first = !st.started;
  if (first) {
    st.started = 1;
    st.in_ssrc = in_ssrc;
    st.seq_delta = 0;
    st.ts_delta = 0;
  } else if (in_ssrc != st.in_ssrc) {
    st.in_ssrc = in_ssrc;
    st.seq_delta = static_cast<uint16_t>(st.last_out_seq + 1 - in_seq);
    st.ts_delta = st.last_out_ts + kSsrcChangeTimestampGap - in_ts;
  }
  const uint16_t out_seq = static_cast<uint16_t>(in_seq + st.seq_delta);
  const uint32_t out_ts = in_ts + st.ts_delta;
  // Track the newest output so a later SSRC change continues from it (modulo wrap).
  if (first || static_cast<int16_t>(out_seq - st.last_out_seq) > 0) {
    st.last_out_seq = out_seq;
    st.last_out_ts = out_ts;
  }
  sum = csum_sub(sum, in_seq);
  sum = csum_sub32(sum, in_ts);
  sum = csum_sub32(sum, in_ssrc);
  store_be16(rtp + 2, out_seq);
  store_be32(rtp + 4, out_ts);
  store_be32(rtp + 8, st.out_ssrc);
  sum = csum_add32(csum_add32(csum_fold(static_cast<uint32_t>(sum) + out_seq), out_ts), st.out_ssrc);
  return sum;
}

uint16_t translate_rtcp(uint8_t* rtcp, const RtpTranslation& st, uint16_t sum) {
  sum = csum_sub32(sum, load_be32(rtcp + 4));
  store_be32(rtcp + 4, st.out_ssrc);
  return csum_add32(sum, st.out_ssrc);
}

}  // namespace trunkgate::dp
