#!/usr/bin/env python3
"""End to end: trunkgate-cp's /metrics and its logs, on a running gateway (trunkgate-dp on
af_packet ports + trunkgate-cp between namespaces `to-*`, see b2bua_harness.py), with SIPp calls.

Every scrape is parsed by a strict parser of the text format (prom_text.py, itself checked by
PromTextParser below). The counters must move as the calls say: attempts, answers, failures by
trunk and SIP status (route advance on 503, then 486 back to the caller), per-worker rx/tx;
hostile input (malformed SIP, an INVITE from no trunk's address) is logged within the configured
bound and the rest summarised and counted. Log lines are logfmt, and a call's lines carry the id
its CDR has. Needs root; every wait is bounded.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import b2bua_harness as h  # noqa: E402
import prom_text  # noqa: E402
from test_b2bua_netns import (SHORT_PCAP_PACKETS, GatewayTest, expect_sipp_ok,  # noqa: E402
                             free_udp_ports, header, requests)

METRICS_PORT = 9464  # inside the gateway's namespace: its own loopback, no clash with the host
HOSTILE_LINES = 3    # log.hostile_input_lines for this gateway
PBX_MIN_SE = 1800    # session_timer.min_se of the pbx-limited trunk
SCHEMA_H = os.path.join(h.ROOT, "dataplane/channel/schema.h")
STRANGER_IP = "192.0.2.13"  # in the PBX namespace, but the source of no trunk
REGISTRAR_IP = "198.51.100.12"  # SIPp registrar of the registration-mode trunk "provider"
MONITORED_IP = "198.51.100.13"  # answers the OPTIONS keepalive of the trunk "monitored"


def worker_drop_names():
    """kWorkerDropNames from the schema header, the names /metrics must use."""
    with open(SCHEMA_H) as f:
        text = f.read()
    block = re.search(r"kWorkerDropNames\[kDropCount\] = \{(.*?)\};", text, re.S).group(1)
    return re.findall(r'"(\w+)"', block)


def http_main(method, url):
    """In the gateway's namespace: one request; prints {status, content_type, body} as JSON."""
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            out = {"status": r.status, "content_type": r.headers.get("Content-Type"),
                   "body": r.read().decode()}
    except urllib.error.HTTPError as e:
        out = {"status": e.code, "content_type": e.headers.get("Content-Type"),
               "body": e.read().decode(), "allow": e.headers.get("Allow")}
    print(json.dumps(out))


def send_udp_main(src, dst, count, payload):
    """In a peer namespace: `count` datagrams of `payload` from `src` to `dst` (ADDR:PORT)."""
    host, port = dst.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    for _ in range(int(count)):
        s.sendto(payload.encode(), (host, int(port)))


def options_responder_main(address, max_s):
    """In a peer namespace: answers every OPTIONS to ADDRESS:5060 with 200 until SIGTERM or
    `max_s` seconds. Prints 'ready' once bound."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((address, 5060))
    s.settimeout(0.2)
    done = []
    signal.signal(signal.SIGTERM, lambda *_: done.append(1))
    deadline = time.monotonic() + float(max_s)
    print("ready", flush=True)
    while not done and time.monotonic() < deadline:
        try:
            data, peer = s.recvfrom(65535)
        except (socket.timeout, InterruptedError):
            continue
        lines = data.decode(errors="replace").split("\r\n")
        if not lines[0].startswith("OPTIONS "):
            continue
        keep = [l for l in lines[1:] if re.match(r"(?i)(via|from|to|call-id|cseq)\s*:", l)]
        keep = [l + ";tag=mon1" if re.match(r"(?i)to\s*:", l) else l for l in keep]
        s.sendto(("SIP/2.0 200 OK\r\n" + "\r\n".join(keep) +
                  "\r\nContent-Length: 0\r\n\r\n").encode(), peer)


class PromTextParser(unittest.TestCase):
    """The parser the gateway test relies on refuses what the format refuses."""

    GOOD = ('# HELP a_total Help with \\\\ and \\n.\n# TYPE a_total counter\n'
            'a_total{x="q\\"uo\\\\te\\n",y="2"} 3\na_total 1 1700000000000\n'
            '# TYPE g gauge\ng NaN\ng{k="v"} -Inf\n')

    def test_accepts_the_format(self):
        f = prom_text.parse(self.GOOD)
        self.assertEqual(f["a_total"].type, "counter")
        self.assertEqual(f["a_total"].help, "Help with \\ and \n.")
        self.assertEqual(f["a_total"].value(x='q"uo\\te\n', y="2"), 3)
        self.assertEqual(f["g"].value(k="v"), float("-inf"))

    def test_refuses_what_the_format_does_not_allow(self):
        bad = {
            "no final line feed": "a 1",
            "bad escape in a label": 'a{x="\\t"} 1\n',
            "label twice": 'a{x="1",x="2"} 1\n',
            "reserved label": 'a{__x="1"} 1\n',
            "bad label name": 'a{1x="1"} 1\n',
            "unterminated value": 'a{x="1} 1\n',
            "bad value": "a 1,5\n",
            "TYPE after samples": "a 1\n# TYPE a gauge\n",
            "second TYPE": "# TYPE a gauge\n# TYPE a gauge\n",
            "unknown type": "# TYPE a countr\n",
            "family interleaved": "a 1\nb 1\na{x=\"1\"} 2\n",
            "sample twice": "a 1\na 2\n",
            "negative counter": "# TYPE a counter\na -1\n",
            "bad metric name": "1a 1\n",
            "bad HELP escape": "# HELP a \\t\n",
        }
        for what, text in bad.items():
            with self.subTest(what):
                with self.assertRaises(ValueError):
                    prom_text.parse(text)


def gateway_cp_config(instance, cdr_path):
    config = h.cp_config(instance, cdr_path).replace(
        "log: {level: debug}",
        f"log: {{level: debug, hostile_input_lines: {HOSTILE_LINES}, "
        f"hostile_input_interval_s: 2}}")
    assert "hostile_input_lines" in config, "the harness' cp configuration changed"
    more_trunks = f"""  - name: provider
    peer: {{host: {REGISTRAR_IP}, port: 5060, transport: udp}}
    media_interface: carrier
    mode: register
    registration: {{registrar: {REGISTRAR_IP}, aor: "sip:+19665550100@{REGISTRAR_IP}"}}
    outbound_credentials: {{username: "+19665550100", password: "e2e-secret"}}
    codecs: [PCMA, PCMU]
    identity: pai
  - name: monitored
    peer: {{host: {MONITORED_IP}, port: 5060, transport: udp}}
    media_interface: carrier
    inbound: {{sources: [{MONITORED_IP}/32]}}
    codecs: [PCMA]
    identity: rpid
    options_keepalive_s: 1
routes:"""
    assert config.count("\nroutes:") == 1, "the harness' cp configuration changed"
    config = config.replace("routes:", more_trunks, 1)
    # pbx-limited asks for session timers of at least 30 min (RFC 4028), so a shorter
    # Session-Expires from it is refused with 422.
    limits = "    limits: {max_calls: 1}\n"
    assert config.count(limits) == 1, "the harness' cp configuration changed"
    config = config.replace(limits, limits + f"    session_timer: {{min_se: {PBX_MIN_SE}, "
                            f"expires: {PBX_MIN_SE}}}\n")
    return config + f"metrics: {{address: 127.0.0.1, port: {METRICS_PORT}}}\n"


class MetricsGateway(h.Gateway):
    """The harness' gateway with its own shm instance, /metrics on, a tight hostile-log bound,
    one more address in the PBX namespace that no trunk has, and two more carrier-side trunks:
    "provider" registers with a SIPp registrar (which must then see the removal), "monitored"
    has an OPTIONS keepalive answered by options_responder_main."""

    def __init__(self, prefix):
        super().__init__(prefix)
        self.instance = f"e2eops{os.getpid()}"
        self.registrar = self.responder = None

    def start(self):
        h.run(os.path.join(h.ROOT, "deploy/netns.sh"), "up", self.prefix)
        h.run("ip", "addr", "add", h.PBX_LIMITED_IP + "/24", "dev", "pbx0", ns=self.ns_pbx)
        h.run("ip", "addr", "add", STRANGER_IP + "/24", "dev", "pbx0", ns=self.ns_pbx)
        for ip in (h.CARRIER2_IP, REGISTRAR_IP, MONITORED_IP):
            h.run("ip", "addr", "add", ip + "/24", "dev", "car0", ns=self.ns_car)
        self._start_dp()
        # Both listen before trunkgate-cp starts: it registers and sends OPTIONS at once.
        self.registrar = h.Sipp(self.workdir, "registrar",
                                h.render_scenario("uas_registrar", self.workdir), REGISTRAR_IP,
                                5060, 6300, ns=self.ns_car, timeout_s=240).wait_listening()
        self.responder = subprocess.Popen(
            ["ip", "netns", "exec", self.ns_car, sys.executable, os.path.abspath(__file__),
             "options_responder", MONITORED_IP, "240"], stdout=subprocess.PIPE, text=True)
        assert self.responder.stdout.readline().strip() == "ready", "OPTIONS responder"
        self.start_cp(gateway_cp_config(self.instance, self.cdr_path))

    def stop(self):
        """Stops the gateway (trunkgate-cp unregisters on SIGTERM), then the peers."""
        rcs = super().stop()
        if self.registrar is not None:
            try:
                h.wait_until("the registrar's end (the removal REGISTER)",
                             lambda: not self.registrar.running(), 5)
            except AssertionError:
                pass  # its rc says so
            self.registrar.stop()
            self.registrar.rc = self.registrar.proc.returncode
        if self.responder is not None and self.responder.poll() is None:
            self.responder.send_signal(signal.SIGTERM)
            self.responder.wait(timeout=5)
            self.responder.stdout.close()
        return rcs

    def http(self, path, method="GET"):
        p = h.run(sys.executable, os.path.abspath(__file__), "http", method,
                  f"http://127.0.0.1:{METRICS_PORT}{path}", ns=self.ns_gw)
        return json.loads(p.stdout)

    def scrape(self):
        r = self.http("/metrics")
        assert r["status"] == 200, r
        assert r["content_type"] == "text/plain; version=0.0.4; charset=utf-8", r
        return prom_text.parse(r["body"])


class MetricsAndLogs(GatewayTest):
    PREFIX = "to-"
    GATEWAY = MetricsGateway

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        # The registration was removed on shutdown (REGISTER with Expires: 0, answered).
        assert cls.gw.registrar.rc == 0, cls.gw.registrar.report()

    def counter(self, families, name, **labels):
        self.assertIn(name, families)
        return families[name].get(**labels)

    def wait_metric(self, what, predicate, timeout_s=10):
        """Scrapes until `predicate(families)` holds (the data plane publishes port counters
        once a second, worker counters every poll; CDRs follow the call's end)."""
        return h.wait_until(what, lambda: (lambda f: predicate(f) and f)(self.gw.scrape()),
                            timeout_s)

    def test_families_types_and_help(self):
        f = self.gw.scrape()
        expected = {
            "trunkgate_calls_in_progress": "gauge",
            "trunkgate_call_attempts_total": "counter",
            "trunkgate_call_results_total": "counter",
            "trunkgate_outbound_attempts_total": "counter",
            "trunkgate_outbound_results_total": "counter",
            "trunkgate_calls_rejected_total": "counter",
            "trunkgate_transcoding_sessions": "gauge",
            "trunkgate_trunk_up": "gauge",
            "trunkgate_trunk_registration_state": "gauge",
            "trunkgate_sip_malformed_total": "counter",
            "trunkgate_log_lines_suppressed_total": "counter",
            "trunkgate_dp_worker_rx_packets_total": "counter",
            "trunkgate_dp_worker_tx_packets_total": "counter",
            "trunkgate_dp_worker_drops_total": "counter",
            "trunkgate_dp_srtp_failures_total": "counter",
            "trunkgate_dp_port_rx_packets_total": "counter",
            "trunkgate_dp_workers": "gauge",
        }
        for name, kind in expected.items():
            self.assertIn(name, f)
            self.assertEqual(f[name].type, kind, name)
            self.assertTrue(f[name].help, name)
        # Every family has HELP and TYPE, and every counter ends in _total.
        for name, fam in f.items():
            self.assertIsNotNone(fam.type, name)
            self.assertIsNotNone(fam.help, name)
            if fam.type == "counter":
                self.assertTrue(name.endswith("_total"), name)
        self.assertEqual(f["trunkgate_dp_workers"].value(), 1)
        # Every admitted attempt has exactly one result, or is still in progress.
        self.assertEqual(sum(f["trunkgate_call_attempts_total"].samples.values()),
                         sum(f["trunkgate_call_results_total"].samples.values()) +
                         f["trunkgate_calls_in_progress"].value())
        # Every drop reason of the schema, for the one worker.
        drops = f["trunkgate_dp_worker_drops_total"].samples
        self.assertEqual({dict(k)["reason"] for k in drops}, set(worker_drop_names()))
        self.assertEqual({dict(k)["worker"] for k in drops}, {"0"})
        self.assertEqual({dict(k)["interface"]
                          for k in f["trunkgate_dp_port_rx_packets_total"].samples},
                         {"pbx", "carrier"})

    def test_registration_and_keepalive_states(self):
        f = self.wait_metric(
            "provider registered, monitored answering OPTIONS",
            lambda f: f["trunkgate_trunk_registration_state"].get(trunk="provider",
                                                                  state="registered") == 1 and
            f["trunkgate_trunk_options_total"].get(trunk="monitored", outcome="answered") >= 2)
        states = {dict(k)["state"]: v for k, v in f["trunkgate_trunk_registration_state"].samples
                  .items() if dict(k)["trunk"] == "provider"}
        self.assertEqual(states, {"registering": 0, "registered": 1, "failed": 0,
                                  "unregistered": 0})
        # Only trunks in registration mode have a state; only monitored trunks an up/down.
        self.assertEqual({dict(k)["trunk"] for k in f["trunkgate_trunk_registration_state"]
                          .samples}, {"provider"})
        self.assertEqual(f["trunkgate_trunk_up"].samples, {frozenset({("trunk", "monitored")}): 1})
        self.assertEqual(f["trunkgate_trunk_options_total"].value(trunk="monitored",
                                                                   outcome="failed"), 0)
        self.assertGreaterEqual(f["trunkgate_trunk_options_total"].value(trunk="monitored",
                                                                         outcome="sent"),
                                f["trunkgate_trunk_options_total"].value(trunk="monitored",
                                                                         outcome="answered"))
        self.assertRegex(self.gw.cp_output(), r'msg=registered trunk=provider')

    def test_other_paths_and_methods_are_refused(self):
        self.assertEqual(self.gw.http("/")["status"], 404)
        self.assertEqual(self.gw.http("/metrics/x")["status"], 404)
        refused = self.gw.http("/metrics", method="POST")
        self.assertEqual(refused["status"], 405)
        self.assertEqual(refused["allow"], "GET, HEAD")
        self.assertEqual(self.gw.http("/metrics", method="HEAD")["status"], 200)

    def test_scrapes_are_served_without_a_thread_of_their_own(self):
        # libmicrohttpd runs on trunkgate-cp's event loop, which serves the scrape itself: no
        # thread is started for the metrics server or for a scrape. (gRPC's management server
        # has threads of its own; they hand every RPC to the loop too.)
        pid = self.gw.cp.pid  # `ip netns exec` execs trunkgate-cp in place
        with open(f"/proc/{pid}/comm") as f:
            self.assertEqual(f.read().strip(), "trunkgate-cp")

        def threads():
            names = {}
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    names[tid] = f.read().strip()
            return names
        before = threads()
        self.assertFalse([n for n in before.values() if "MHD" in n or "http" in n.lower()],
                         before)
        for _ in range(3):
            self.gw.scrape()
            self.assertEqual(threads(), before)

    def test_an_answered_call_moves_the_call_and_worker_counters(self):
        before = self.gw.scrape()
        packets = SHORT_PCAP_PACKETS  # self.short_pcap
        car = self.carrier("uas_call", play_pcap=self.short_pcap)
        pbx = self.pbx("uac_call", play_pcap=self.short_pcap, pause_ms=3000)
        during = self.wait_metric(
            "the call in progress", lambda f: f["trunkgate_calls_in_progress"].value() == 1)
        self.assertEqual(during["trunkgate_calls_in_progress"].value(), 1)
        expect_sipp_ok(self, pbx, car)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)

        def handled(f):
            """Media packets worker 0 forwarded or dropped (every packet is one or the other)."""
            return (f["trunkgate_dp_worker_tx_packets_total"].value(worker="0") +
                    sum(f["trunkgate_dp_worker_drops_total"].samples.values()))

        after = self.wait_metric(
            "call counters after the call",
            lambda f: f["trunkgate_calls_in_progress"].value() == 0 and
            handled(f) >= handled(before) + 2 * packets)

        def delta(name, **labels):
            return self.counter(after, name, **labels) - self.counter(before, name, **labels)

        self.assertEqual(delta("trunkgate_invites_total"), 1)
        self.assertEqual(delta("trunkgate_call_attempts_total", trunk="pbx"), 1)
        self.assertEqual(delta("trunkgate_call_results_total", trunk="pbx", code="200",
                               reason="OK"), 1)
        self.assertEqual(delta("trunkgate_outbound_attempts_total", trunk="carrier"), 1)
        self.assertEqual(delta("trunkgate_outbound_results_total", trunk="carrier", code="200",
                               reason="OK"), 1)
        self.assertEqual(delta("trunkgate_calls_answered_total"), 1)
        self.assertEqual(delta("trunkgate_calls_ended_total"), 1)
        self.assertEqual(delta("trunkgate_cdr_written_total"), 1)
        # The media both ways went through worker 0: every packet the peers sent was forwarded
        # or counted under a drop reason (the first one toward a peer whose MAC is not resolved
        # yet may be a no_neighbor drop), and /metrics agrees with trunkgate-flowctl, which
        # reads the same blocks.
        self.assertEqual(handled(after) - handled(before), 2 * packets)
        self.assertGreaterEqual(delta("trunkgate_dp_worker_tx_packets_total", worker="0"),
                                2 * packets - 2)
        self.assertGreaterEqual(delta("trunkgate_dp_worker_rx_packets_total", worker="0"),
                                2 * packets)
        self.assertEqual(self.gw.dp_stats()["tx"],
                         after["trunkgate_dp_worker_tx_packets_total"].value(worker="0"))
        self.assertEqual(after["trunkgate_transcoding_sessions"].value(), 0)
        self.assert_flows_released()
        # Logs: logfmt lines, and the call's lines carry its CDR id.
        log = self.gw.cp_output()
        call = cdr["id"]
        self.assertRegex(log, rf'msg="call started" call={call} trunk=pbx sip_call_id=\S+')
        self.assertRegex(log, rf'msg="call ended" call={call} ended_by=inbound cause=BYE')

    def test_failures_by_trunk_and_cause(self):
        before = self.gw.scrape()
        # Route "1977...": carrier answers 503 (the gateway advances), carrier2 486 (returned).
        first = self.carrier("uas_reject", status="503 Service Unavailable", label="carrier")
        second = self.carrier("uas_reject", status="486 Busy Here", local_ip=h.CARRIER2_IP,
                              label="carrier2")
        pbx = self.pbx("uac_rejected", service="19775551234", status="486", headers="")
        expect_sipp_ok(self, pbx, first, second)
        self.assertEqual(len(requests(first.messages("received"), "INVITE")), 1)
        self.assertEqual(len(requests(second.messages("received"), "INVITE")), 1)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 486, cdr)
        after = self.wait_metric(
            "the refused call's result",
            lambda f: f["trunkgate_call_results_total"].get(trunk="pbx", code="486",
                                                            reason="Busy Here") >
            before["trunkgate_call_results_total"].get(trunk="pbx", code="486",
                                                       reason="Busy Here"))

        def delta(name, **labels):
            return self.counter(after, name, **labels) - self.counter(before, name, **labels)

        self.assertEqual(delta("trunkgate_call_attempts_total", trunk="pbx"), 1)
        self.assertEqual(delta("trunkgate_call_results_total", trunk="pbx", code="486",
                               reason="Busy Here"), 1)
        self.assertEqual(delta("trunkgate_outbound_results_total", trunk="carrier", code="503",
                               reason="Service Unavailable"), 1)
        self.assertEqual(delta("trunkgate_outbound_results_total", trunk="carrier2", code="486",
                               reason="Busy Here"), 1)
        self.assertEqual(delta("trunkgate_outbound_attempts_total", trunk="carrier"), 1)
        self.assertEqual(delta("trunkgate_outbound_attempts_total", trunk="carrier2"), 1)
        self.assertEqual(delta("trunkgate_route_advances_total"), 1)
        self.assertEqual(delta("trunkgate_calls_answered_total"), 0)
        self.assertEqual(after["trunkgate_calls_in_progress"].value(), 0)

    def test_session_interval_too_small_is_refused_with_422_and_counted(self):
        before = self.gw.scrape()
        pbx = self.pbx("uac_rejected", local_ip=h.PBX_LIMITED_IP, label="pbx-limited",
                       status="422", headers="\n      Supported: timer\n      Session-Expires: 120")
        expect_sipp_ok(self, pbx)
        (refusal,) = [m for m in pbx.messages("received") if m.startswith("SIP/2.0 422 ")]
        self.assertEqual(header(refusal, "Min-SE"), [str(PBX_MIN_SE)], refusal)
        (cdr,) = self.cdrs(1)
        self.assertEqual((cdr["final_status"], cdr["ended_by"]), (422, "gateway"), cdr)
        self.assertEqual(cdr["inbound"]["trunk"], "pbx-limited", cdr)
        after = self.wait_metric(
            "the 422's result",
            lambda f: f["trunkgate_call_results_total"].get(
                trunk="pbx-limited", code="422", reason="Session Interval Too Small") >
            before["trunkgate_call_results_total"].get(
                trunk="pbx-limited", code="422", reason="Session Interval Too Small"))
        # That is the only result pbx-limited's calls gained (no code="0" next to it).
        def results(families):
            return {k: v for k, v in families["trunkgate_call_results_total"].samples.items()
                    if ("trunk", "pbx-limited") in k}
        gained = {k: v - results(before).get(k, 0) for k, v in results(after).items()
                  if v != results(before).get(k, 0)}
        self.assertEqual(gained, {frozenset({("trunk", "pbx-limited"), ("code", "422"),
                                             ("reason", "Session Interval Too Small")}): 1},
                         gained)

    def test_hostile_input_is_logged_within_the_bound_and_counted(self):
        before = self.gw.scrape()
        log_offset = len(self.gw.cp_output())
        garbage = 20
        h.run(sys.executable, os.path.abspath(__file__), "send_udp", h.PBX_IP,
              f"{h.GW_PBX_IP}:5060", str(garbage), "garbage\r\nnot: sip\r\n\r\n", ns=self.gw.ns_pbx)
        # An INVITE from an address of no trunk: 403 and one more hostile line.
        stranger = self.pbx("uac_rejected", local_ip=STRANGER_IP, port=5064, media_port=6200,
                            label="stranger", status="403", headers="")
        expect_sipp_ok(self, stranger)

        def summaries(text):
            return [int(n) for n in re.findall(
                r'msg="hostile input lines suppressed" input=malformed_sip suppressed=(\d+)',
                text)]

        def new_log():
            return self.gw.cp_output()[log_offset:]

        # The suppressed lines are summarised once the 2 s interval is over.
        h.wait_until("the summary of suppressed malformed-SIP lines",
                     lambda: summaries(new_log()), 15)
        after = self.wait_metric(
            "malformed datagrams counted",
            lambda f: f["trunkgate_sip_malformed_total"].value() -
            before["trunkgate_sip_malformed_total"].value() >= garbage)
        text = new_log()
        logged = re.findall(r'msg="malformed SIP dropped" input=malformed_sip source=192\.0\.2\.10:'
                            r'\d+ error=', text)
        suppressed = sum(summaries(text))
        # Every datagram is either logged or counted as suppressed; never more than the bound
        # per interval (the 20 arrive within one interval unless the machine stalls).
        self.assertEqual(len(logged) + suppressed, garbage, text)
        self.assertGreaterEqual(len(logged), HOSTILE_LINES, text)
        self.assertGreater(suppressed, 0, text)
        self.assertEqual(after["trunkgate_sip_malformed_total"].value() -
                         before["trunkgate_sip_malformed_total"].value(), garbage)
        self.assertEqual(
            after["trunkgate_log_lines_suppressed_total"].value(input="malformed_sip") -
            before["trunkgate_log_lines_suppressed_total"].value(input="malformed_sip"),
            suppressed)
        self.assertRegex(text, r'msg="INVITE from a source of no trunk: 403" '
                               rf'input=unknown_source source={re.escape(STRANGER_IP)}:5064')
        self.assertEqual(after["trunkgate_calls_rejected_total"].value(cause="unknown_source") -
                         before["trunkgate_calls_rejected_total"].value(cause="unknown_source"), 1)
        # Every line trunkgate-cp wrote is logfmt with a UTC timestamp, a level and a message.
        line = re.compile(r'ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z '
                          r'level=(trace|debug|info|warning|error|critical) msg=("[^"]+"|\S+)')
        for l in self.gw.cp_output().splitlines():
            self.assertRegex(l, line)


class UacRejectedOnLoopback(unittest.TestCase):
    """uac_rejected.xml against uas_reject.xml straight on 127.0.0.1: the pair is right alone."""

    def test_pair(self):
        workdir = f"/tmp/e2eops-loopback{os.getpid()}"
        os.makedirs(workdir, exist_ok=True)
        uas_port, uac_port = free_udp_ports(2, 17100), free_udp_ports(2, 18100)
        uas = h.Sipp(workdir, "uas", h.render_scenario("uas_reject", workdir,
                                                       status="486 Busy Here"),
                     "127.0.0.1", uas_port, free_udp_ports(4, 19100), timeout_s=20)
        uac = h.Sipp(workdir, "uac", h.render_scenario("uac_rejected", workdir, status="486",
                                                          headers=""),
                     "127.0.0.1", uac_port, free_udp_ports(4, 19600),
                     remote=f"127.0.0.1:{uas_port}", service="19665551234", timeout_s=20)
        expect_sipp_ok(self, uac, uas)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "http":
        http_main(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "send_udp":
        send_udp_main(*sys.argv[2:6])
    elif len(sys.argv) > 1 and sys.argv[1] == "options_responder":
        options_responder_main(sys.argv[2], sys.argv[3])
    else:
        unittest.main(verbosity=2)
