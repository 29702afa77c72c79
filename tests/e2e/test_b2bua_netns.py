#!/usr/bin/env python3
"""End to end: calls through trunkgate-cp + trunkgate-dp between network namespaces, with SIPp as
the PBX (PREFIXpbx) and the carriers (PREFIXcar). See b2bua_harness.py for the topology.

ScenarioPairsOnLoopback runs every SIPp UAC/UAS pair straight against each other (no gateway),
so that a failure through the gateway is the gateway's, not the scenarios'.
B2buaCalls runs each call flow through the gateway and checks SIPp's verdict, the media counted
where it arrives, the data plane's counters, the CDRs and that no address of one side reaches the
other. Needs root; bounded in time (every call is short, every wait has a limit).
"""
import hashlib
import os
import re
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import b2bua_harness as h  # noqa: E402

PBX_ADDRESSES = re.compile(r"192\.0\.2\.\d+|2001:db8:1:")
CARRIER_ADDRESSES = re.compile(r"198\.51\.100\.\d+|2001:db8:2:")
SHORT_PCAP_PACKETS = 50  # one second of g711a.pcap


def free_udp_ports(count=4, start=16000):
    """A base port p with p..p+count-1 free on 127.0.0.1 (SIPp binds its media port and +2)."""
    for base in range(start, 60000, 8):
        socks = []
        try:
            for p in range(base, base + count):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise AssertionError("no free UDP ports on 127.0.0.1")


def header(message, *names):
    """The values of the header `names` (long and compact forms) in one SIP message."""
    pattern = r"^(?:%s)[ \t]*:[ \t]*(.*)$" % "|".join(re.escape(n) for n in names)
    return re.findall(pattern, message, re.M | re.I)


def digest_params(value):
    return dict(re.findall(r'(\w+)="?([^",]*)"?', value.split(None, 1)[1]))


def check_digest(test, message, username, password, method="INVITE"):
    """Recomputes the RFC 2617 / RFC 7616 MD5 digest in `message`'s Proxy-Authorization."""
    values = header(message, "Proxy-Authorization")
    test.assertEqual(len(values), 1, message)
    p = digest_params(values[0])
    test.assertEqual(p["username"], username, values[0])
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
    ha1 = md5(f"{username}:{p['realm']}:{password}")
    ha2 = md5(f"{method}:{p['uri']}")
    if "qop" in p:
        expected = md5(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:{p['qop']}:{ha2}")
    else:
        expected = md5(f"{ha1}:{p['nonce']}:{ha2}")
    test.assertEqual(p["response"], expected, f"wrong digest response in:\n{values[0]}")
    return p


def requests(messages, method):
    return [m for m in messages if m.startswith(method + " ")]


def expect_sipp_ok(test, *sipps):
    for s in sipps:
        rc = s.wait()
    for s in sipps:
        test.assertEqual(s.rc, 0, s.report())


class ScenarioPairsOnLoopback(unittest.TestCase):
    """Each pair straight against each other on 127.0.0.1: the scenarios are right on their own."""

    @classmethod
    def setUpClass(cls):
        assert os.geteuid() == 0, "play_pcap_audio needs raw sockets: run as root"
        cls.workdir = f"/tmp/e2eb2bua-loopback{os.getpid()}"
        os.makedirs(cls.workdir, exist_ok=True)
        cls.short_pcap = h.write_short_pcap(h.G711A_PCAP, os.path.join(cls.workdir, "short.pcap"),
                                            SHORT_PCAP_PACKETS)

    def pair(self, uac, uas, uac_kw=None, uas_kw=None, uac_args=(), service="19665551234",
             uas_args=()):
        uas_port, uac_port = free_udp_ports(2, 17000), free_udp_ports(2, 18000)
        uas_media, uac_media = free_udp_ports(4, 19000), free_udp_ports(4, 19500)
        name = f"{self._testMethodName}"
        b = h.Sipp(self.workdir, name + "-uas", h.render_scenario(uas, self.workdir,
                                                                    **(uas_kw or {})),
                   "127.0.0.1", uas_port, uas_media, extra_args=uas_args, timeout_s=20)
        a = h.Sipp(self.workdir, name + "-uac", h.render_scenario(uac, self.workdir,
                                                                    **(uac_kw or {})),
                   "127.0.0.1", uac_port, uac_media, remote=f"127.0.0.1:{uas_port}",
                   service=service, extra_args=uac_args, timeout_s=20)
        expect_sipp_ok(self, a, b)
        return a, b

    def test_call_with_media_both_ways(self):
        self.pair("uac_call", "uas_call", {"play_pcap": self.short_pcap, "pause_ms": 1500},
                  {"play_pcap": self.short_pcap})

    def test_bye_by_callee(self):
        self.pair("uac_bye_by_callee", "uas_bye_by_callee")

    def test_cancel(self):
        self.pair("uac_cancel", "uas_cancel")

    def test_early_media(self):
        self.pair("uac_early_media", "uas_early_media", {"pause_ms": 200},
                  {"play_pcap": self.short_pcap, "pause_ms": 1500})

    def test_hold_resume(self):
        self.pair("uac_hold_resume", "uas_hold_resume", {"pause_ms": 200})

    def test_delayed_offer_against_a_uas_that_offers(self):
        self.pair("uac_delayed_offer", "uas_any_offer",
                  {"play_pcap": self.short_pcap, "pause_ms": 1500})

    def test_early_offer_against_the_any_offer_uas(self):
        self.pair("uac_call", "uas_any_offer")

    def test_407_and_the_digest_check(self):
        uac, uas = self.pair("loopback_uac_407", "uas_407",
                             {"user": "alice", "password": "s3cret"}, {"user": "alice"})
        invites = requests(uas.messages("received"), "INVITE")
        self.assertEqual(len(invites), 2)
        check_digest(self, invites[1], "alice", "s3cret")
        # And the check can fail: the wrong password does not verify.
        with self.assertRaises(AssertionError):
            check_digest(self, invites[1], "alice", "wrong")

    def test_route_advance_reject_and_overload_refusal(self):
        self.pair("uac_overloaded", "uas_reject",
                  uas_kw={"status": "503 Service Unavailable\nRetry-After: 30"})

    def test_8x8_outbound_carrier_side(self):
        uac, uas = self.pair("loopback_uac_407", "uas_8x8_outbound",
                             {"user": h.CARRIER_USER, "password": h.CARRIER_PASSWORD},
                             {"user": h.CARRIER_USER}, service="15559871234")
        check_digest(self, requests(uas.messages("received"), "INVITE")[1], h.CARRIER_USER,
                     h.CARRIER_PASSWORD)

    def test_8x8_inbound(self):
        self.pair("uac_8x8_inbound", "uas_8x8_inbound",
                  uas_kw={"identity_header": "Remote-Party-ID"},
                  uac_args=["-cid_str", "SFOMGC0120080823203451008257@%s"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
