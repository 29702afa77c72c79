#include "dataplane/core/rtp_translation.h"

#include "dataplane/core/checksum.h"

namespace trunkgate::dp {

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
