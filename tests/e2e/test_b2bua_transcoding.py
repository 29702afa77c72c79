#!/usr/bin/env python3
"""End to end: transcoded and SRTP calls through trunkgate-cp + trunkgate-dp (issue 5).

The PBX (SIPp, PREFIXpbx) offers only PCMA and plays g711a.pcap; the carrier trunks accept only
G.729, so the gateway transcodes. On the carrier side SIPp does the signalling (over UDP, or over
TCP behind a TLS relay for the SRTP trunk, since SDES keys travel only over TLS) and writes the
gateway's media address and key from the INVITE it received to trunkgate-mediapeer's control
FIFO; the media peer receives what the gateway sends (unprotecting with libsrtp2), and sends a
G.729 tone back (protected with libsrtp2). The PBX side's media is checked by a sniffer in its
namespace.

Asserted both ways: payload type, payload size, RTP timestamp steps and sequence continuity, the
packet counts, the decoded audio (forward: the level bcg729's own encode/decode of the input
gives; backward: the tone), the data plane's counters and the CDR's codecs and media counters.
Comfort noise: a PBX that offered no CN gets continuous G.711 to the end; one that offered CN 13
gets it in the gateway's answer and, when the carrier's peer goes into DTX (a G.729B SID), one
RFC 3389 CN packet instead of the fill.
Needs root; namespaces tx-*.
"""
import ctypes
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import b2bua_harness as h  # noqa: E402
from test_b2bua_netns import GatewayTest, expect_sipp_ok  # noqa: E402

G729_CARRIER_IP, SRTP_CARRIER_IP = "198.51.100.12", "198.51.100.13"
PEER_PORT = 7000  # the media peer's port, in the carrier's answer
PBX_PACKETS = 50  # of g711a.pcap: 30 ms (240 bytes of PCMA) each, 1.5 s
TO_CARRIER = PBX_PACKETS * 240 // 160  # the same audio in 20 ms G.729 packets
PEER_PACKETS = 50  # the media peer's G.729 tone: one second at 20 ms
TONE_HZ = 1000
# The carrier's own SRTP master key and salt (30 bytes, base64), a fixed test value.
CARRIER_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk"
OTHER_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNl"  # another salt: not what the SDP says
PBX_PCMA_ONLY = {"audio_formats": "8", "audio_attributes": "a=rtpmap:8 PCMA/8000"}
# PCMA and static CN (RFC 3389, no rtpmap): the PBX can receive discontinuous G.711.
PBX_PCMA_CN = {"audio_formats": "8 13", "audio_attributes": "a=rtpmap:8 PCMA/8000"}


def make_certificates(workdir):
    """A test CA, and a certificate from it for the SRTP carrier (its address as DNS name, IP and
    sip: URI) and for the gateway's TLS listener. Returns the paths by name."""
    paths = {n: os.path.join(workdir, n) for n in
             ("ca.pem", "ca.key", "carrier.pem", "carrier.key", "gw.pem", "gw.key")}
    h.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
          "/CN=trunkgate e2e test CA", "-keyout", paths["ca.key"], "-out", paths["ca.pem"])
    for name, address in (("carrier", SRTP_CARRIER_IP), ("gw", h.GW_CAR_IP)):
        csr, ext = os.path.join(workdir, name + ".csr"), os.path.join(workdir, name + ".ext")
        with open(ext, "w") as f:
            f.write(f"subjectAltName=DNS:{address},IP:{address},URI:sip:{address}\n")
        h.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={address}",
              "-keyout", paths[name + ".key"], "-out", csr)
        h.run("openssl", "x509", "-req", "-in", csr, "-CA", paths["ca.pem"], "-CAkey",
              paths["ca.key"], "-CAcreateserial", "-days", "2", "-extfile", ext, "-out",
              paths[name + ".pem"])
    return paths


class TranscodingGateway(h.Gateway):
    """The B2BUA gateway with two G.729-only carriers: carrier-g729 (UDP) and carrier-srtp (TLS,
    SRTP required); calls to 1729... go to the first, 1730... to the second."""
    INSTANCE = "e2etx"

    def start(self):
        self.certs = make_certificates(self.workdir)
        super().start()

    def peer_addresses(self):
        return [(self.ns_car, "car0", G729_CARRIER_IP), (self.ns_car, "car0", SRTP_CARRIER_IP)]

    def cp_config(self):
        c = self.certs
        listen = (f"  - {{transport: tls, address: {h.GW_CAR_IP}, port: 5061, "
                  f"certificate: {c['gw.pem']}, private_key: {c['gw.key']}, ca: {c['ca.pem']}}}")
        trunks = f"""  - name: carrier-g729
    peer: {{host: {G729_CARRIER_IP}, port: 5060, transport: udp}}
    media_interface: carrier
    inbound: {{sources: [{G729_CARRIER_IP}/32]}}
    codecs: [G729]
    identity: rpid
  - name: carrier-srtp
    peer: {{host: {SRTP_CARRIER_IP}, port: 5061, transport: tls}}
    media_interface: carrier
    inbound: {{sources: [{SRTP_CARRIER_IP}/32]}}
    codecs: [G729]
    srtp: required
    identity: rpid"""
        routes = """  - {name: g729, prefix: "1729", trunks: [carrier-g729]}
  - {name: srtp, prefix: "1730", trunks: [carrier-srtp]}"""
        return h.cp_config(self.instance, self.cdr_path, listen, trunks, routes)


def pcap_pcma(pcap_path, packets):
    """The linear audio of the first `packets` RTP packets (PCMA) of a pcap."""
    samples = []
    for _, frame in h.pcap_records(pcap_path)[1][:packets]:
        rtp = frame[14 + 20 + 8:]  # Ethernet, IPv4 without options, UDP
        assert rtp[1] & 0x7F == 8, "not PCMA"
        samples.extend(h.alaw_decode(c) for c in rtp[12:])
    return samples


def g729_reference_rms(samples):
    """The RMS level of `samples` after bcg729 (the reference) encoded them without VAD, as our
    SDP's annexb=no asks, and decoded them again."""
    lib = ctypes.CDLL("libbcg729.so.0")
    lib.initBcg729EncoderChannel.restype = ctypes.c_void_p
    lib.initBcg729DecoderChannel.restype = ctypes.c_void_p
    encoder = ctypes.c_void_p(lib.initBcg729EncoderChannel(ctypes.c_uint8(0)))
    decoder = ctypes.c_void_p(lib.initBcg729DecoderChannel())
    energy = 0
    for i in range(0, len(samples) - 79, 80):
        bits, length, out = (ctypes.c_uint8 * 10)(), ctypes.c_uint8(), (ctypes.c_int16 * 80)()
        lib.bcg729Encoder(encoder, (ctypes.c_int16 * 80)(*samples[i:i + 80]), bits,
                          ctypes.byref(length))
        lib.bcg729Decoder(decoder, bits, length, 0, 0, 0, out)
        energy += sum(x * x for x in out)
    lib.closeBcg729EncoderChannel(encoder)
    lib.closeBcg729DecoderChannel(decoder)
    return (energy / (len(samples) // 80 * 80)) ** 0.5


class TranscodedCalls(GatewayTest):
    PREFIX = "tx-"
    GATEWAY = TranscodingGateway

    @classmethod
    def setUpClass(cls):
        h.require_binaries(h.MEDIAPEER)
        super().setUpClass()
        assert h.pcap_packet_count(cls.short_pcap) == PBX_PACKETS, cls.short_pcap
        samples = pcap_pcma(cls.short_pcap, PBX_PACKETS)
        assert len(samples) == TO_CARRIER * 160, "g711a.pcap is no longer 30 ms per packet"
        cls.reference_rms = g729_reference_rms(samples)

    def setUp(self):
        super().setUp()
        self.peer = None

    def tearDown(self):
        super().tearDown()
        if self.peer:
            self.peer.stop()

    def carrier_with_mediapeer(self, carrier_ip, srtp, send_key, peer_args=()):
        """SIPp as the carrier, passing the gateway's media address (and SRTP key of tag 1) from
        the INVITE to trunkgate-mediapeer, which answers on PEER_PORT. The carrier's SDP gives
        CARRIER_KEY; the media peer protects with `send_key`; `peer_args` go to it as well."""
        args = ["--bind", f"{carrier_ip}:{PEER_PORT}", "--codec", "g729", "--packets",
                PEER_PACKETS, "--tone-hz", TONE_HZ, "--send-after-rx", "--expect", TO_CARRIER,
                "--idle-ms", 2000, "--max-ms", 20000, *peer_args]
        if srtp:
            args += ["--srtp-out", send_key]
        self.peer = h.MediaPeer(self.gw.ns_car, self.gw.workdir,
                                f"{self._testMethodName}-mediapeer", args)
        kw = dict(offer_profile="RTP/AVP", key_action="", answer_profile="RTP/AVP",
                  answer_attribute="a=ptime:20", references="c_line,m_line",
                  contact=f"sip:carrier@{carrier_ip}:5060", peer_port=PEER_PORT,
                  mediapeer_command=self.to_control("[$gw_ip]:[$gw_port]"))
        if srtp:
            kw.update(offer_profile="RTP/SAVP", answer_profile="RTP/SAVP",
                      key_action='<ereg regexp="a=crypto:1 AES_CM_128_HMAC_SHA1_80 '
                                 'inline:([A-Za-z0-9+/]+)" search_in="body" check_it="true" '
                                 'assign_to="crypto_line,gw_key" />',
                      answer_attribute=f"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{CARRIER_KEY}",
                      references="c_line,m_line,crypto_line",
                      contact=f"sip:carrier@{carrier_ip}:5061;transport=tls",
                      mediapeer_command=self.to_control("[$gw_ip]:[$gw_port] [$gw_key]"))
        scenario = self.scenario("uas_mediapeer", **kw)
        label = f"{self._testMethodName}-carrier"
        if srtp:  # SIPp over TCP on 5070; the gateway's TLS connection ends in a relay on 5061
            s = self.gw.sipp_carrier(label, scenario, local_ip=carrier_ip, port=5070, tcp=True)
        else:
            s = self.gw.sipp_carrier(label, scenario, local_ip=carrier_ip)
        self.sipps.append(s)
        return s.wait_listening()

    def to_control(self, line):
        """The shell command SIPp's exec runs to hand `line` (SIPp variables filled in) to the
        media peer; bounded, since opening a FIFO nobody reads would wait forever."""
        return f"echo '{line}' | timeout 10 tee {self.peer.control} > /dev/null"

    def call(self, service, carrier_ip, srtp, send_key=CARRIER_KEY, pbx_audio=PBX_PCMA_ONLY,
             peer_args=()):
        at_pbx = self.gw.sniffer("pbx")
        try:
            car = self.carrier_with_mediapeer(carrier_ip, srtp, send_key, peer_args)
            self.pbx_sipp = self.pbx("uac_call", service=service, play_pcap=self.short_pcap,
                                     pause_ms=3000, **pbx_audio)
            expect_sipp_ok(self, self.pbx_sipp, car)
        finally:
            at_pbx.stop()
        return self.peer.report(), at_pbx.rtp(TONE_HZ), car

    def srtp_call(self, send_key=CARRIER_KEY):
        """A call to the SRTP carrier (TLS through the relay); checks the gateway's offer."""
        relay = h.TlsRelay(self.gw.ns_car, f"{SRTP_CARRIER_IP}:5061", self.gw.certs["carrier.pem"],
                           self.gw.certs["carrier.key"], f"{SRTP_CARRIER_IP}:5070")
        try:
            report, to_pbx, car = self.call("17305551234", SRTP_CARRIER_IP, True, send_key)
        finally:
            relay.stop()
        (invite,) = [m for m in car.messages("received") if m.startswith("INVITE ")]
        self.assertRegex(invite, r"m=audio \d+ RTP/SAVP 18[ \r\n]")
        self.assertIn("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:", invite)
        return report, to_pbx

    def check_at_carrier(self, report):
        after = self.gw.dp_stats()
        delta = {k: v - self.stats_before[k] for k, v in after.items() if v != self.stats_before[k]}
        why = f"media peer: {report}\n{self.peer.errors()}\ndata plane: {delta}"
        # At the carrier: the PBX's 30 ms PCMA as G.729 (PT 18) repacketized at the carrier's
        # 20 ms, two 10-byte frames per packet, timestamps 160 apart, no gap, one stream; under
        # SRTP every packet authenticated by libsrtp2.
        self.assertEqual(report["sent"], PEER_PACKETS, why)
        self.assertEqual(report["received"], TO_CARRIER, why)
        self.assertEqual(report["pt"], {"18": TO_CARRIER}, why)
        self.assertEqual(report["payload_bytes"], {"20": TO_CARRIER}, why)
        self.assertEqual(report["ts_steps"], {"160": TO_CARRIER - 1}, why)
        self.assertEqual((report["missing"], report["out_of_order"]), (0, 0), why)
        self.assertEqual(report["ssrcs"], 1, why)
        self.assertEqual(report["srtp_failures"], {}, why)
        # The audio is what bcg729 makes of g711a.pcap (the same frames, in order).
        self.assertAlmostEqual(report["decoded_rms"], self.reference_rms,
                               delta=0.01 * self.reference_rms, msg=why)

    def check_at_pbx(self, to_pbx):
        # PCMA (PT 8), 160 bytes per 20 ms, the media peer's tone; then, once the peer has gone
        # quiet, the silence timer's comfort noise until the call ends: the PBX did not offer CN,
        # so its G.711 never stops (SIPconnect 2.0 section 14.3). One continuous stream.
        self.assertEqual(len(to_pbx), 1, to_pbx)
        (back,) = to_pbx.values()
        n = back["received"]
        self.assertGreaterEqual(n, PEER_PACKETS, back)
        self.assertEqual(back["pt"], {"8": n}, back)
        self.assertEqual(back["payload_bytes"], {"160": n}, back)
        self.assertEqual(back["ts_steps"], {"160": n - 1}, back)
        self.assertEqual((back["missing"], back["out_of_order"], back["ssrcs"]), (0, 0, 1), back)
        self.assertGreater(back["tone_fraction"], 0.8, back)  # the fill is quiet
        self.to_pbx_packets = n

    def check_counters_and_cdr(self, trunk):
        after = self.gw.dp_stats()
        delta = {k: after[k] - self.stats_before[k] for k in after}
        drops = {k: v for k, v in delta.items() if k.startswith("drop_") and v}
        # Every packet of both directions went through the transcoder and out, none dropped.
        self.assertEqual(drops, {}, delta)
        self.assertEqual(delta["transcode_in"], PBX_PACKETS + PEER_PACKETS, delta)
        self.assertEqual(delta["tx"], TO_CARRIER + self.to_pbx_packets, delta)
        self.assert_flows_released()
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assert_leg(cdr["outbound"], trunk)
        self.assertEqual(cdr["inbound"]["codec"], "PCMA", cdr)
        self.assertEqual(cdr["outbound"]["codec"], "G729", cdr)
        # What each peer sent and was sent, as the peers counted it.
        self.assertEqual(cdr["inbound"]["packets_received"], PBX_PACKETS, cdr)
        self.assertEqual(cdr["inbound"]["packets_sent"], self.to_pbx_packets, cdr)
        self.assertEqual(cdr["outbound"]["packets_received"], PEER_PACKETS, cdr)
        self.assertEqual(cdr["outbound"]["packets_sent"], TO_CARRIER, cdr)
        for leg in ("inbound", "outbound"):
            self.assertEqual(cdr[leg]["packets_dropped"], 0, cdr)

    def test_pcma_caller_to_g729_carrier_is_transcoded_both_ways(self):
        report, to_pbx, car = self.call("17295551234", G729_CARRIER_IP, srtp=False)
        (invite,) = [m for m in car.messages("received") if m.startswith("INVITE ")]
        # The gateway offers the carrier only what its trunk allows: G.729, plain RTP.
        self.assertRegex(invite, r"m=audio \d+ RTP/AVP 18[ \r\n]")
        self.assertNotIn("a=crypto", invite)
        self.check_at_carrier(report)
        self.check_at_pbx(to_pbx)
        self.check_counters_and_cdr("carrier-g729")

    def test_pbx_offering_cn_gets_cn_for_the_carriers_sid_instead_of_fill(self):
        # The carrier's media peer ends its tone with a G.729 Annex B SID (DTX): the PBX, which
        # offered CN 13, gets it as one RFC 3389 CN packet and then nothing (no fill) until the
        # call ends. The G.729 carrier is offered no CN (never next to G.729 alone).
        report, to_pbx, car = self.call("17295551234", G729_CARRIER_IP, srtp=False,
                                        pbx_audio=PBX_PCMA_CN,
                                        peer_args=["--sid-after", PEER_PACKETS - 1])
        (invite,) = [m for m in car.messages("received") if m.startswith("INVITE ")]
        self.assertRegex(invite, r"m=audio \d+ RTP/AVP 18[ \r\n]")
        self.assertNotRegex(invite, r"m=audio [^\r\n]* 13\b")
        self.assertNotIn("CN/", invite)
        (ok,) = [m for m in self.pbx_sipp.messages("received")
                 if m.startswith("SIP/2.0 200") and re.search(r"CSeq: *1 INVITE", m)]
        self.assertRegex(ok, r"m=audio \d+ RTP/AVP 8 13\r?\n")
        self.assertIn("a=rtpmap:13 CN/8000", ok)
        self.check_at_carrier(report)
        self.assertEqual(len(to_pbx), 1, to_pbx)
        (back,) = to_pbx.values()
        tone = PEER_PACKETS - 1
        self.assertEqual(back["received"], PEER_PACKETS, back)  # the tone and one CN, no fill
        self.assertEqual(back["pt"], {"8": tone, "13": 1}, back)
        self.assertEqual(back["payload_bytes"], {"160": tone, "1": 1}, back)  # RFC 3389: a level
        self.assertEqual(back["ts_steps"], {"160": PEER_PACKETS - 1}, back)  # CN at the SID's time
        self.assertEqual((back["missing"], back["out_of_order"], back["ssrcs"]), (0, 0, 1), back)
        self.assertGreater(back["tone_fraction"], 0.8, back)
        self.to_pbx_packets = PEER_PACKETS
        self.check_counters_and_cdr("carrier-g729")

    def test_srtp_carrier_leg_is_transcoded_and_protected_both_ways(self):
        report, to_pbx = self.srtp_call()
        self.check_at_carrier(report)
        self.check_at_pbx(to_pbx)
        self.check_counters_and_cdr("carrier-srtp")

    def test_srtp_from_the_carrier_under_another_key_is_dropped_and_counted(self):
        report, to_pbx = self.srtp_call(send_key=OTHER_KEY)
        self.check_at_carrier(report)  # the other direction is unaffected
        self.assertEqual(to_pbx, {}, "nothing that fails authentication reaches the PBX")
        after = self.gw.dp_stats()
        delta = {k: after[k] - self.stats_before[k] for k in after}
        drops = {k: v for k, v in delta.items() if k.startswith("drop_") and v}
        self.assertEqual(drops, {"drop_srtp_auth": PEER_PACKETS}, delta)
        self.assertEqual(delta["transcode_in"], PBX_PACKETS, delta)
        self.assertEqual(delta["tx"], TO_CARRIER, delta)
        self.assert_flows_released()
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["outbound"]["packets_received"], PEER_PACKETS, cdr)
        self.assertEqual(cdr["outbound"]["packets_dropped"], PEER_PACKETS, cdr)
        self.assertEqual(cdr["inbound"]["packets_sent"], 0, cdr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
