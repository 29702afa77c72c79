// SIPp's RFC 2833 captures (dtmf_2833_*.pcap): relayed with the payload type remapped
// (101 -> 96), every capture yields exactly its digit once with SIPp's duration, despite SIPp
// repeating the end packet with the same sequence number; played in-band, spandsp detects it.
#include <gtest/gtest.h>
#include <spandsp.h>

#include <string>
#include <vector>

#include "media/dtmf/telephone_event.h"
#include "media/dtmf/telephone_event_receiver.h"
#include "media/dtmf/telephone_events_to_inband.h"
#include "media/rtp/rtp_header.h"
#include "tests/media/pcap_rtp.h"

namespace trunkgate::media {
namespace {

struct Capture {
  const char* file;
  char digit;
};

class SippDtmfCapture : public ::testing::TestWithParam<Capture> {};

TEST_P(SippDtmfCapture, RelayedWithPtRemapYieldsTheDigitOnceAndPlaysInBand) {
  const std::string path = std::string("/usr/share/sip-tester/") + GetParam().file;
  auto packets = test::udp_payloads_from_pcap(path);
  ASSERT_FALSE(packets.empty()) << path << " (Debian package sip-tester)";
  TelephoneEventReceiver receiver;
  TelephoneEventsToInband player;
  std::vector<TelephoneEventReport> reports;
  std::vector<int16_t> pcm(8000, 0);
  std::size_t rendered = 0;
  for (auto& packet : packets) {
    RtpHeader h;
    ASSERT_EQ(parse_rtp(packet, h), RtpError::ok);
    ASSERT_EQ(h.payload_type, 101);
    write_rtp_fixed_header(packet.data(), 96, h.marker, h.sequence, h.timestamp, h.ssrc);  // relay
    RtpHeader relayed;
    ASSERT_EQ(parse_rtp(packet, relayed), RtpError::ok);
    EXPECT_EQ(relayed.payload_type, 96);
    const auto payload = std::span<const uint8_t>(packet).subspan(relayed.header_length, relayed.payload_length);
    TelephoneEvent e;
    ASSERT_EQ(parse_telephone_event(payload, e), TelephoneEventError::ok);
    TelephoneEventReport out[TelephoneEventReceiver::kMaxReports];
    const std::size_t n = receiver.on_event(e, relayed.timestamp, out);
    reports.insert(reports.end(), out, out + n);
    TelephoneEventReport ignored[TelephoneEventReceiver::kMaxReports];
    player.on_packet(payload, relayed.timestamp, ignored);
    player.render(pcm.data() + rendered, 160);  // one packet per 20 ms, as captured
    rendered += 160;
  }
  while (rendered + 160 <= pcm.size() && player.render(pcm.data() + rendered, 160)) rendered += 160;
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].kind, TelephoneEventReport::Kind::began);
  EXPECT_EQ(reports[1].kind, TelephoneEventReport::Kind::ended);
  EXPECT_EQ(dtmf_event_to_char(reports[1].event), GetParam().digit);
  EXPECT_EQ(reports[1].duration, 2240);  // SIPp's 280 ms
  dtmf_rx_state_t* rx = dtmf_rx_init(nullptr, nullptr, nullptr);
  dtmf_rx(rx, pcm.data(), static_cast<int>(pcm.size()));
  char digits[8] = {};
  dtmf_rx_get(rx, digits, 7);
  dtmf_rx_free(rx);
  EXPECT_EQ(std::string(digits), std::string(1, GetParam().digit));
}

INSTANTIATE_TEST_SUITE_P(
    AllDigits, SippDtmfCapture,
    ::testing::Values(Capture{"dtmf_2833_0.pcap", '0'}, Capture{"dtmf_2833_1.pcap", '1'},
                      Capture{"dtmf_2833_2.pcap", '2'}, Capture{"dtmf_2833_3.pcap", '3'},
                      Capture{"dtmf_2833_4.pcap", '4'}, Capture{"dtmf_2833_5.pcap", '5'},
                      Capture{"dtmf_2833_6.pcap", '6'}, Capture{"dtmf_2833_7.pcap", '7'},
                      Capture{"dtmf_2833_8.pcap", '8'}, Capture{"dtmf_2833_9.pcap", '9'},
                      Capture{"dtmf_2833_star.pcap", '*'}, Capture{"dtmf_2833_pound.pcap", '#'}),
    [](const auto& info) {
      const char d = info.param.digit;
      return d == '*' ? std::string("star") : d == '#' ? std::string("pound") : std::string(1, d);
    });

}  // namespace
}  // namespace trunkgate::media
