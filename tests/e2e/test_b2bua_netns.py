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
SHORT_PCAP_PACKETS = 50  # 1.5 s of g711a.pcap (30 ms, 240-byte PCMA packets)


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
        s.wait()
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


class GatewayTest(unittest.TestCase):
    """Shared by the gateway test classes: one gateway per class, helpers for calls through it."""
    PREFIX = "tb-"
    GATEWAY = h.Gateway  # a subclass may start it differently (configuration, addresses)

    @classmethod
    def setUpClass(cls):
        cls.gw = cls.GATEWAY(cls.PREFIX)
        try:
            cls.gw.start()
        except BaseException:
            cls.gw.stop()
            raise
        cls.short_pcap = h.write_short_pcap(h.G711A_PCAP, os.path.join(cls.gw.workdir,
                                                                        "short.pcap"),
                                            SHORT_PCAP_PACKETS)

    @classmethod
    def tearDownClass(cls):
        cp_rc, dp_rc = cls.gw.stop()
        output = cls.gw.cp_output()
        assert cp_rc == 0, f"trunkgate-cp did not exit cleanly on SIGTERM ({cp_rc}):\n" + \
            output[-6000:]
        assert dp_rc == 0, f"trunkgate-dp did not exit cleanly on SIGINT ({dp_rc})"

    def setUp(self):
        self.cdr_offset = self.gw.cdr_offset()
        self.stats_before = self.gw.dp_stats()
        self.sipps = []

    def tearDown(self):
        for s in self.sipps:
            s.stop()

    # --- helpers ---
    def scenario(self, name, **kw):
        return h.render_scenario(name, self.gw.workdir, **kw)

    def carrier(self, name, local_ip=h.CARRIER_IP, label="carrier", **kw):
        extra = kw.pop("extra_args", ())
        s = self.gw.sipp_carrier(f"{self._testMethodName}-{label}", self.scenario(name, **kw),
                                 local_ip=local_ip, extra_args=extra)
        self.sipps.append(s)
        return s.wait_listening()

    def pbx_uas(self, name, label="pbx", **kw):
        extra = kw.pop("extra_args", ())
        s = self.gw.sipp_pbx(f"{self._testMethodName}-{label}", self.scenario(name, **kw),
                             remote=None, extra_args=extra)
        self.sipps.append(s)
        return s.wait_listening()

    def pbx(self, name, service="19665551234", local_ip=h.PBX_IP, port=5060, label="pbx",
            media_port=6000, **kw):
        extra = kw.pop("extra_args", ())
        s = self.gw.sipp_pbx(f"{self._testMethodName}-{label}", self.scenario(name, **kw),
                             local_ip=local_ip, port=port, media_port=media_port,
                             service=service, extra_args=extra)
        self.sipps.append(s)
        return s

    def carrier_uac(self, name, service, label="carrier", **kw):
        extra = kw.pop("extra_args", ())
        s = self.gw.sipp_carrier(f"{self._testMethodName}-{label}", self.scenario(name, **kw),
                                 remote=f"{h.GW_CAR_IP}:5060", service=service,
                                 extra_args=extra)
        self.sipps.append(s)
        return s

    def cdrs(self, count):
        got = self.gw.cdrs_since(self.cdr_offset, count)
        self.assertEqual(len(got), count, got)
        return got

    def assert_no_leaks(self, pbx_side=(), carrier_side=()):
        """Topology hiding: nothing the PBX receives names a carrier address, and the reverse."""
        for s in pbx_side:
            for m in s.messages("received"):
                self.assertIsNone(CARRIER_ADDRESSES.search(m), f"{s.label} received:\n{m}")
        for s in carrier_side:
            for m in s.messages("received"):
                self.assertIsNone(PBX_ADDRESSES.search(m), f"{s.label} received:\n{m}")

    def wait_flows(self, predicate, what, while_running=None, timeout_s=10):
        """Polls the data plane's flow count (stats blocks, bounded) until `predicate` holds."""
        def flows():
            n = self.gw.dp_stats()["flows"]
            return predicate(n) and (n,)
        alive = None
        if while_running is not None:
            alive = lambda: None if while_running.running() else \
                f"{while_running.label} ended first:\n{while_running.report()}"  # noqa: E731
        return h.wait_until(what, flows, timeout_s, alive=alive)[0]

    def assert_flows_released(self):
        self.wait_flows(lambda n: n == self.stats_before["flows"],
                        f"flows back to {self.stats_before['flows']} after the call")

    def assert_leg(self, leg, trunk):
        self.assertEqual(leg["trunk"], trunk, leg)
        self.assertTrue(leg["call_id"], leg)


class B2buaCalls(GatewayTest):
    PBX_TO_CARRIER = "19665551234"  # the default route: carrier

    def test_basic_call_with_media_both_ways(self):
        packets = h.pcap_packet_count(h.G711A_PCAP)
        at_pbx, at_carrier = self.gw.sniffer("pbx"), self.gw.sniffer("car")
        car = self.carrier("uas_call", play_pcap=h.G711A_PCAP)
        # The caller hangs up once its 7 s of audio are out (and the callee's, started at the ACK).
        pbx = self.pbx("uac_call", play_pcap=h.G711A_PCAP, pause_ms=8000)
        during = self.wait_flows(lambda n: n >= self.stats_before["flows"] + 2,
                                 "media flows programmed during the call", while_running=pbx)
        expect_sipp_ok(self, pbx, car)
        to_pbx, to_carrier = at_pbx.stop(), at_carrier.stop()
        after = self.gw.dp_stats()
        drops = {k: v - self.stats_before[k] for k, v in after.items()
                 if k.startswith("drop_") and v != self.stats_before[k]}
        to_carrier["dp drops"] = to_pbx["dp drops"] = drops
        # Every packet arrives, from one gateway port to one destination each way.
        received = lambda c: {k: v for k, v in c.items() if k != "dp drops"}  # noqa: E731
        self.assertEqual(sum(received(to_carrier).values()), packets, to_carrier)
        self.assertEqual(sum(received(to_pbx).values()), packets, to_pbx)
        self.assertEqual(len(received(to_carrier)), 1, to_carrier)
        self.assertEqual(len(received(to_pbx)), 1, to_pbx)
        self.assertGreaterEqual(during, 2)
        self.assertEqual(after["tx"] - self.stats_before["tx"], 2 * packets)
        self.assert_flows_released()
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assertEqual(cdr["ended_by"], "inbound", cdr)
        self.assertIn(self.PBX_TO_CARRIER, cdr["called"], cdr)
        self.assertGreater(cdr["answer_ms"], 0, cdr)
        self.assertGreaterEqual(cdr["end_ms"], cdr["answer_ms"], cdr)
        self.assert_leg(cdr["inbound"], "pbx")
        self.assert_leg(cdr["outbound"], "carrier")
        self.assertEqual(cdr["inbound"]["codec"], "PCMA", cdr)
        self.assertEqual(cdr["outbound"]["codec"], "PCMA", cdr)
        # Each leg's flow counted what that leg's peer sent.
        self.assertEqual(cdr["inbound"]["packets_received"], packets, cdr)
        self.assertEqual(cdr["outbound"]["packets_received"], packets, cdr)
        self.assert_no_leaks([pbx], [car])

    def test_bye_from_the_callee(self):
        car = self.carrier("uas_bye_by_callee", pause_ms=300)
        pbx = self.pbx("uac_bye_by_callee")
        expect_sipp_ok(self, pbx, car)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assertEqual(cdr["ended_by"], "outbound", cdr)
        self.assertEqual(cdr["outbound"]["disconnect_cause"], "BYE", cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [car])

    def test_bye_from_the_caller(self):
        car = self.carrier("uas_call")
        pbx = self.pbx("uac_call", pause_ms=300)
        expect_sipp_ok(self, pbx, car)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["ended_by"], "inbound", cdr)
        self.assertEqual(cdr["inbound"]["disconnect_cause"], "BYE", cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [car])

    def test_cancel_before_answer(self):
        car = self.carrier("uas_cancel")
        pbx = self.pbx("uac_cancel")
        expect_sipp_ok(self, pbx, car)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 487, cdr)
        self.assertEqual(cdr["ended_by"], "inbound", cdr)
        self.assertEqual(cdr["answer_ms"], 0, cdr)
        self.assertEqual(cdr["inbound"]["disconnect_cause"], "CANCEL", cdr)
        self.assert_leg(cdr["outbound"], "carrier")
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [car])

    def test_early_media_reaches_the_caller_before_the_answer(self):
        at_pbx = self.gw.sniffer("pbx")
        car = self.carrier("uas_early_media", play_pcap=self.short_pcap, pause_ms=1500)
        pbx = self.pbx("uac_early_media", pause_ms=200)
        expect_sipp_ok(self, pbx, car)
        to_pbx = at_pbx.stop()
        self.assertEqual(sum(to_pbx.values()), SHORT_PCAP_PACKETS, to_pbx)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assertEqual(cdr["outbound"]["packets_received"], SHORT_PCAP_PACKETS, cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [car])

    def test_hold_and_resume(self):
        car = self.carrier("uas_hold_resume")
        pbx = self.pbx("uac_hold_resume", pause_ms=200)
        expect_sipp_ok(self, pbx, car)
        self.assertEqual(len(requests(car.messages("received"), "INVITE")), 3)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [car])

    def test_delayed_offer_from_the_pbx(self):
        at_carrier = self.gw.sniffer("car")
        car = self.carrier("uas_any_offer")
        pbx = self.pbx("uac_delayed_offer", play_pcap=self.short_pcap, pause_ms=1500)
        expect_sipp_ok(self, pbx, car)
        to_carrier = at_carrier.stop()
        # The PBX's media (sent once its answer went out in the ACK) reaches the carrier.
        self.assertEqual(sum(to_carrier.values()), SHORT_PCAP_PACKETS, to_carrier)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assertEqual(cdr["inbound"]["packets_received"], SHORT_PCAP_PACKETS, cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [car])

    def test_carrier_407_is_answered_with_the_trunk_credentials(self):
        car = self.carrier("uas_407", user=h.CARRIER_USER, pause_ms=300)
        pbx = self.pbx("uac_bye_by_callee")
        expect_sipp_ok(self, pbx, car)
        invites = requests(car.messages("received"), "INVITE")
        self.assertEqual(len(invites), 2, invites)
        p = check_digest(self, invites[1], h.CARRIER_USER, h.CARRIER_PASSWORD)
        self.assertEqual(p["realm"], "carrier.test")
        # The PBX never sees the challenge: the gateway answers it (one final response: 200).
        self.assertFalse([m for m in pbx.messages("received") if m.startswith("SIP/2.0 407")])
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [car])

    def test_route_advances_to_the_next_carrier_on_503(self):
        first = self.carrier("uas_reject", status="503 Service Unavailable", label="carrier")
        second = self.carrier("uas_call", local_ip=h.CARRIER2_IP, label="carrier2")
        pbx = self.pbx("uac_call", service="19775551234", pause_ms=300)
        expect_sipp_ok(self, pbx, first, second)
        self.assertEqual(len(requests(first.messages("received"), "INVITE")), 1)
        self.assertEqual(len(requests(second.messages("received"), "INVITE")), 1)
        # The PBX sees the answer, never the first carrier's 503.
        self.assertFalse([m for m in pbx.messages("received") if m.startswith("SIP/2.0 503")])
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assert_leg(cdr["outbound"], "carrier2")
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [first, second])

    def test_overloaded_trunk_refuses_with_503_and_retry_after(self):
        # pbx-limited admits one call at a time (limits: {max_calls: 1}).
        car = self.carrier("uas_call")
        first = self.pbx("uac_call", local_ip=h.PBX_LIMITED_IP, pause_ms=3000, label="first")
        self.wait_flows(lambda n: n >= self.stats_before["flows"] + 2,
                        "the first call's media flows", while_running=first)
        second = self.pbx("uac_overloaded", local_ip=h.PBX_LIMITED_IP, port=5062, label="second",
                          media_port=6100)
        expect_sipp_ok(self, second)
        self.assertTrue(first.running(), "the first call must still be up when the second comes")
        expect_sipp_ok(self, first, car)
        self.assertEqual(len(requests(car.messages("received"), "INVITE")), 1)
        cdrs = sorted(self.cdrs(2), key=lambda c: c["final_status"])
        self.assertEqual([c["final_status"] for c in cdrs], [200, 503], cdrs)
        self.assertEqual(cdrs[1]["ended_by"], "gateway", cdrs)
        self.assert_leg(cdrs[1]["inbound"], "pbx-limited")
        self.assert_flows_released()
        self.assert_no_leaks([first, second], [car])


if __name__ == "__main__":
    unittest.main(verbosity=2)
