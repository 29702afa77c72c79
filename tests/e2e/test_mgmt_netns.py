#!/usr/bin/env python3
"""End to end: the management API of a running gateway, through trunkgatectl.

trunkgate-dp + trunkgate-cp between namespaces tm-* (b2bua_harness.py's topology), SIPp as the
PBX and the carriers, trunkgatectl on the management socket in the test's work directory. Every
RPC is exercised through the CLI (its --json output is the API's answer), bad requests included;
a call held up by SIPp is listed, inspected and hung up (SIPp sees the BYE); routes change under
load, through the API and through a file reload (SIGHUP and `reload`), without dropping a call.
Needs root; every wait is bounded.
"""
import json
import os
import select
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import b2bua_harness as h  # noqa: E402

CTL = os.path.join(h.BUILD, "mgmt/trunkgatectl")
PBX_NUMBER, CALLED = "14665554321", "19665551234"
DTMF_PCAP = "/usr/share/sip-tester/dtmf_2833_1.pcap"  # Debian sip-tester
TLS_PORT = 7443  # on 127.0.0.1 inside the gateway's namespace


def make_pki(workdir):
    """A CA, a server certificate for 127.0.0.1 and a client certificate (P-256, one day), and
    a second CA that signed nothing the gateway trusts. Returns {name: path}."""
    paths = {}

    def key_and_csr(name, cn):
        paths[name + ".key"] = os.path.join(workdir, name + ".key")
        csr = os.path.join(workdir, name + ".csr")
        h.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes", "-keyout", paths[name + ".key"], "-out", csr, "-subj", f"/CN={cn}")
        return csr

    for ca in ("ca", "other-ca"):
        paths[ca + ".key"] = os.path.join(workdir, ca + ".key")
        paths[ca + ".crt"] = os.path.join(workdir, ca + ".crt")
        h.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", paths[ca + ".key"], "-out",
              paths[ca + ".crt"], "-days", "1", "-subj", f"/CN=tm-{ca}")
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth"),
                      ("client", "extendedKeyUsage=clientAuth")):
        csr = key_and_csr(name, f"tm-{name}")
        extfile = os.path.join(workdir, name + ".ext")
        with open(extfile, "w") as f:
            f.write(ext + "\n")
        paths[name + ".crt"] = os.path.join(workdir, name + ".crt")
        h.run("openssl", "x509", "-req", "-in", csr, "-CA", paths["ca.crt"], "-CAkey",
              paths["ca.key"], "-CAcreateserial", "-out", paths[name + ".crt"], "-days", "1",
              "-extfile", extfile)
    return paths


class Mgmt(unittest.TestCase):
    PREFIX = "tm-"

    @classmethod
    def setUpClass(cls):
        h.require_binaries(CTL)
        cls.gw = h.Gateway(cls.PREFIX, instance_tag="e2emgmt")
        cls.socket = os.path.join(cls.gw.workdir, "mgmt.sock")
        try:
            cls.pki = make_pki(cls.gw.workdir)
            cls.management = (
                f"management:\n  socket: {cls.socket}\n"
                f"  tcp: {{address: 127.0.0.1, port: {TLS_PORT}, certificate: "
                f"{cls.pki['server.crt']}, private_key: {cls.pki['server.key']}, "
                f"client_ca: {cls.pki['ca.crt']}}}\n")
            cls.gw.start(cls.management)
        except BaseException:
            cls.gw.stop()
            raise
        cls.short_pcap = h.write_short_pcap(h.G711A_PCAP, os.path.join(cls.gw.workdir,
                                                                        "short.pcap"), 50)

    @classmethod
    def tearDownClass(cls):
        cp_rc, dp_rc = cls.gw.stop()
        assert cp_rc == 0, f"trunkgate-cp did not exit cleanly ({cp_rc}):\n" + \
            cls.gw.cp_output()[-6000:]
        assert dp_rc == 0, f"trunkgate-dp did not exit cleanly ({dp_rc})"
        assert not os.path.exists(cls.socket), "trunkgate-cp left its management socket behind"

    def setUp(self):
        self.sipps = []
        self.procs = []

    def tearDown(self):
        for s in self.sipps:
            s.stop()
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=5)
        # Every test leaves the gateway as it found it: the file's configuration, not draining.
        self.write_config(self.original_config())
        self.ctl("drain", "off")
        self.ctl("reload")

    # --- helpers ---
    def ctl(self, *args, check=True, socket=None):
        p = subprocess.run([CTL, "--socket", socket or self.socket, *args], capture_output=True,
                           text=True, timeout=30)
        if check and p.returncode != 0:
            raise AssertionError(f"trunkgatectl {' '.join(args)} -> {p.returncode}\n"
                                 f"{p.stdout}\n{p.stderr}\n{self.gw.cp_output()[-3000:]}")
        return p

    def ctl_json(self, *args):
        return json.loads(self.ctl("--json", *args).stdout)

    def refused(self, expected_rc, *args, socket=None):
        """trunkgatectl's stderr for a request that must fail with `expected_rc`."""
        p = self.ctl(*args, check=False, socket=socket)
        self.assertEqual(p.returncode, expected_rc, f"{args}: {p.stdout}{p.stderr}")
        self.assertEqual(p.stdout, "", "nothing on stdout for a refusal")
        self.assertNotIn("Traceback", p.stderr)
        return p.stderr.strip()

    def sipp(self, side, name, label, **kw):
        extra = kw.pop("extra_args", ())
        calls = kw.pop("calls", 1)
        timeout_s = kw.pop("timeout_s", 30)
        scenario = h.render_scenario(name, self.gw.workdir, **kw)
        label = f"{self._testMethodName}-{label}"
        if side == "pbx":
            s = self.gw.sipp_pbx(label, scenario, service=CALLED, extra_args=extra, calls=calls,
                                 timeout_s=timeout_s)
        else:
            s = self.gw.sipp_carrier(label, scenario, local_ip=side, extra_args=extra,
                                     calls=calls, timeout_s=timeout_s)
        self.sipps.append(s)
        return s

    def calls(self, *filters):
        return self.ctl_json("calls", *filters).get("calls", [])

    def write_config(self, text):
        with open(os.path.join(self.gw.workdir, "cp.yaml"), "w") as f:
            f.write(text)

    def original_config(self):
        return h.cp_config(self.gw.instance, self.gw.cdr_path) + self.management

    # --- System ---
    def test_status_version_log_level_and_stats(self):
        s = self.ctl_json("status")
        self.assertTrue(s["live"])
        self.assertTrue(s["ready"], s)
        self.assertTrue(s["dataplane_alive"], s)
        self.assertFalse(s["draining"])
        self.assertEqual(s["version"], "0.1.0")
        self.assertEqual((s["trunks"], s["routes"]), (4, 4))
        self.assertEqual(s["dataplane_instance"], self.gw.instance)
        self.assertIn("version:", self.ctl("status").stdout)

        r = self.ctl_json("log-level", "info")
        self.assertEqual(r["previous"], "debug")  # the test configuration's level
        self.assertEqual(self.ctl_json("status")["log_level"], "info")
        self.ctl("log-level", "debug")
        self.assertEqual(self.refused(1, "log-level", "loud"),
                         "trunkgatectl: invalid argument: level: 'loud' is not one of trace, "
                         "debug, info, warn, error, critical, off")

        st = self.ctl_json("stats")
        self.assertEqual(st["instance"], self.gw.instance)
        self.assertTrue(st["alive"])
        self.assertEqual(len(st["workers"]), 1)
        self.assertEqual(sorted(p["interface"] for p in st["ports"]), ["carrier", "pbx"])
        self.assertIn("unknown_flow", st["drops_total"])
        self.assertGreater(int(st["workers"][0]["counters"]["loops"]), 0)
        table = self.ctl("stats").stdout
        self.assertIn("WORKER", table)
        self.assertIn("198.51.100.1/24", table)

    def test_unreachable_gateway_and_bad_usage_are_clear(self):
        missing = os.path.join(self.gw.workdir, "nothing.sock")
        self.assertEqual(self.refused(3, "status", socket=missing),
                         f"trunkgatectl: no management socket at {missing}: is trunkgate-cp "
                         "running? (--socket PATH or --instance NAME for another one)")
        plain = os.path.join(self.gw.workdir, "cp.yaml")
        self.assertEqual(self.refused(2, "status", socket=plain),
                         f"trunkgatectl: {plain} is not a socket (--socket PATH)")
        # A socket nobody serves (a gateway that died without removing it).
        import socket as sock
        stale = os.path.join(self.gw.workdir, "stale.sock")
        if os.path.exists(stale):
            os.unlink(stale)
        s = sock.socket(sock.AF_UNIX, sock.SOCK_STREAM)
        s.bind(stale)
        s.close()
        err = self.refused(3, "--timeout", "2", "status", socket=stale)
        self.assertTrue(err.startswith(f"trunkgatectl: cannot reach trunkgate-cp at unix:{stale}")
                        or err.startswith(f"trunkgatectl: trunkgate-cp at unix:{stale} did not "
                                          "answer"), err)
        self.assertIn("unknown command 'frobnicate'", self.refused(2, "frobnicate"))
        self.assertIn("call ID", self.refused(2, "call", "abc"))

    def test_tls_tcp_needs_a_trusted_client_certificate(self):
        def tcp_ctl(*tls):
            return h.run(CTL, "--tcp", f"127.0.0.1:{TLS_PORT}", "--timeout", "5", *tls, "--json",
                         "status", ns=self.gw.ns_gw, check=False)
        ok = tcp_ctl("--ca", self.pki["ca.crt"], "--cert", self.pki["client.crt"], "--key",
                     self.pki["client.key"])
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertTrue(json.loads(ok.stdout)["live"])
        for tls in (("--ca", self.pki["ca.crt"]),  # no client certificate
                    ("--ca", self.pki["other-ca.crt"], "--cert", self.pki["client.crt"],
                     "--key", self.pki["client.key"])):  # a server it does not trust
            p = tcp_ctl(*tls)
            self.assertEqual(p.returncode, 3, f"{tls}: {p.stdout}{p.stderr}")
            self.assertTrue(p.stderr.startswith(f"trunkgatectl: cannot reach trunkgate-cp at "
                                                f"127.0.0.1:{TLS_PORT}"), p.stderr)
        p = tcp_ctl("--insecure")  # plain TCP against the TLS listener
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)

    def test_plain_tcp_is_refused_at_start_up_unless_allowed(self):
        path = os.path.join(self.gw.workdir, "plain-tcp.yaml")
        for tcp, rc in (("{address: 127.0.0.1, port: 7444}", 2),
                        ("{address: 127.0.0.1, port: 7444, insecure: true}", 0)):
            with open(path, "w") as f:
                f.write(h.cp_config(self.gw.instance, self.gw.cdr_path) +
                        f"management: {{tcp: {tcp}}}\n")
            p = h.run(h.CP, "--config", path, "--check-config", check=False)
            self.assertEqual(p.returncode, rc, p.stdout + p.stderr)
            if rc != 0:
                self.assertIn("management.tcp: refusing unauthenticated TCP: give certificate "
                              "and private_key (TLS), or set insecure: true to allow plain TCP",
                              p.stderr)

    # --- Trunks and routes ---
    def test_trunks_and_routes_read_create_update_delete(self):
        trunks = {t["name"]: t for t in self.ctl_json("trunks")["trunks"]}
        self.assertEqual(sorted(trunks), ["carrier", "carrier2", "pbx", "pbx-limited"])
        self.assertEqual(trunks["pbx-limited"]["max_calls"], 1)
        self.assertEqual(trunks["carrier"]["identity"], "rpid")
        self.assertEqual(trunks["pbx"]["codecs"], ["PCMA", "PCMU"])
        self.assertIn("198.51.100.11:5060", self.ctl("trunks").stdout)
        routes = {r["name"]: r for r in self.ctl_json("routes")["routes"]}
        self.assertEqual(routes["advance"]["trunks"], ["carrier", "carrier2"])
        self.assertEqual(self.ctl_json("route", "get", "to-pbx")["prefix"], "1466555")
        gen = int(self.ctl_json("status")["config_generation"])

        t = self.ctl_json("trunk", "create", "{name: carrier3, peer: {host: 198.51.100.12, port: "
                          "5070}, media_interface: carrier, inbound: {sources: "
                          "[198.51.100.12/32]}, codecs: [PCMU]}")
        self.assertEqual((t["name"], t["peer_port"], t["codecs"]), ("carrier3", 5070, ["PCMU"]))
        self.assertEqual(self.ctl_json("trunk", "get", "carrier3")["peer_host"], "198.51.100.12")
        definition = os.path.join(self.gw.workdir, "carrier3.yaml")
        with open(definition, "w") as f:
            f.write("name: carrier3\npeer: {host: 198.51.100.13}\nmedia_interface: carrier\n"
                    "inbound: {sources: [198.51.100.13]}\nsrtp: off\n")
        self.assertEqual(self.ctl_json("trunk", "update", "@" + definition)["peer_host"],
                         "198.51.100.13")
        r = self.ctl_json("route", "create", "uk", "--prefix", "44", "--trunks",
                          "carrier3,carrier")
        self.assertEqual(r["trunks"], ["carrier3", "carrier"])
        self.assertRegex(self.refused(1, "trunk", "delete", "carrier3"),
                         r"^trunkgatectl: invalid argument: api: route 'uk': no trunk "
                         r"named 'carrier3'$")
        self.assertEqual(self.ctl_json("route", "update", "uk", "--prefix", "4420", "--trunks",
                                       "carrier")["prefix"], "4420")
        self.assertEqual(int(self.ctl_json("status")["config_generation"]), gen + 4)
        self.assertEqual(self.ctl_json("status")["config_source"], "api")

        # Bad requests: precise errors, nothing changed.
        self.assertEqual(self.refused(1, "trunk", "get", "nope"),
                         "trunkgatectl: not found: no trunk named 'nope'")
        bad = ("{name: bad, peer: {host: 1.2.3.4}, media_interface: carrier, "
               "inbound: {sources: [1.2.3.4]}, codecs: [OPUS]}")
        self.assertEqual(self.refused(1, "trunk", "create", bad),
                         f"trunkgatectl: invalid argument: api:1:{bad.index('[OPUS') + 1}: "
                         "codecs: 'OPUS' is not one of PCMU, PCMA, G729")
        self.assertEqual(self.refused(1, "trunk", "create", "{name: bad, peer: {host: 1.2.3.4}, "
                                      "media_interface: nowhere, inbound: {sources: [1.2.3.4]}}"),
                         "trunkgatectl: invalid argument: api: trunk 'bad': media_interface "
                         "'nowhere' is not a data-plane interface with an address (the data "
                         "plane has: pbx, carrier)")
        self.assertEqual(self.refused(1, "trunk", "create", "{name: pbx}"),
                         "trunkgatectl: already exists: trunk 'pbx' exists (update it instead)")
        self.assertEqual(self.refused(1, "trunk", "update", "{name: nope}"),
                         "trunkgatectl: not found: no trunk named 'nope'")
        self.assertEqual(self.refused(1, "route", "update", "uk", "--trunks", "ghost"),
                         "trunkgatectl: invalid argument: api: route 'uk': no trunk named "
                         "'ghost'")
        self.assertEqual(self.refused(1, "route", "create", "uk", "--trunks", "carrier"),
                         "trunkgatectl: already exists: route 'uk' exists (update it instead)")
        self.assertEqual(self.refused(1, "route", "delete", "nope"),
                         "trunkgatectl: not found: no route named 'nope'")
        self.assertEqual(int(self.ctl_json("status")["config_generation"]), gen + 4)

        self.ctl("route", "delete", "uk")
        self.ctl("trunk", "delete", "carrier3")
        self.assertNotIn("carrier3", self.ctl("trunks").stdout)
        self.assertEqual(int(self.ctl_json("status")["config_generation"]), gen + 6)

    def test_reload_of_an_invalid_file_changes_nothing(self):
        gen = self.ctl_json("status")["config_generation"]
        self.write_config(self.original_config().replace("codecs: [PCMA, PCMU]\n    identity: pai",
                                                         "codecs: [PCMA, OPUS]\n    identity: pai",
                                                         1))
        path = os.path.join(self.gw.workdir, "cp.yaml")
        err = self.refused(1, "reload")
        self.assertTrue(err.startswith(f"trunkgatectl: invalid argument: {path}:"), err)
        self.assertTrue(err.endswith("codecs: 'OPUS' is not one of PCMU, PCMA, G729"), err)
        os.kill(self.gw.cp.pid, signal.SIGHUP)  # refused the same way, logged
        h.wait_until("the SIGHUP reload refusal in trunkgate-cp's log",
                     lambda: self.gw.cp_output().count("configuration change refused") >= 2, 10)
        self.write_config(self.original_config().replace("port: 5060}\n  - {transport: udp, "
                                                         "address: 198.51.100.1",
                                                         "port: 5062}\n  - {transport: udp, "
                                                         "address: 198.51.100.1", 1))
        self.assertEqual(self.refused(1, "reload"),
                         "trunkgatectl: invalid argument: listen: changing the SIP listeners "
                         "needs a restart of trunkgate-cp")
        self.assertEqual(self.ctl_json("status")["config_generation"], gen)
        self.write_config(self.original_config())

    # --- Calls ---
    def start_watch(self, count):
        """`trunkgatectl --json watch --count COUNT`, once it says it is watching."""
        watch = subprocess.Popen([CTL, "--socket", self.socket, "--json", "watch", "--count",
                                  str(count)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.procs.append(watch)
        ready, _, _ = select.select([watch.stderr], [], [], 10)
        self.assertTrue(ready, "trunkgatectl watch did not start within 10 s")
        self.assertIn("watching call events", watch.stderr.readline())
        return watch

    def watched(self, watch, count):
        """The events `watch` printed (JSON lines), all `count` of them."""
        try:
            out, _ = watch.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            watch.kill()
            raise AssertionError(f"trunkgatectl watch --count {count} did not get {count} "
                                 "events; it printed:\n" + watch.communicate()[0])
        return [json.loads(l) for l in out.splitlines()]

    def test_call_listed_inspected_watched_and_hung_up(self):
        watch = self.start_watch(3)
        carrier = self.sipp(h.CARRIER_IP, "uas_call", "carrier", play_pcap=self.short_pcap)
        carrier.wait_listening()
        pbx = self.sipp("pbx", "uac_wait_bye", "pbx", play_pcap=self.short_pcap)
        call = h.wait_until("the call confirmed in `trunkgatectl calls`",
                            lambda: [c for c in self.calls("--state", "confirmed")], 15,
                            alive=lambda: None if pbx.running() else pbx.report())[0]
        self.assertEqual(call["calling"], "+" + PBX_NUMBER)
        self.assertEqual(call["called"], "+" + CALLED)
        self.assertEqual((call["inbound"]["trunk"], call["outbound"]["trunk"]), ("pbx", "carrier"))
        self.assertEqual(call["route"], "default")
        self.assertEqual(call["inbound"]["codec"], "PCMA")
        self.assertFalse(call["inbound"]["srtp"])
        cid = str(call["id"])
        # Filters.
        self.assertEqual([c["id"] for c in self.calls("--trunk", "carrier")], [call["id"]])
        self.assertEqual(self.calls("--trunk", "carrier2"), [])
        self.assertEqual([c["id"] for c in self.calls("--number", "9665551")], [call["id"]])
        self.assertEqual(self.calls("--number", "000000"), [])
        self.assertIn("invalid argument: state: 'bogus'", self.refused(1, "calls", "--state",
                                                                      "bogus"))
        table = self.ctl("calls").stdout
        self.assertIn(f"{cid}  ", table)
        self.assertIn("pbx PCMA", table)

        # Both legs with their flows' counters; the PBX's audio reaches the inbound flow.
        def inbound_packets():
            c = self.ctl_json("call", cid)
            return sum(int(f["packets"]) for f in c["inbound"]["flows"]) > 0 and c
        got = h.wait_until("media counted on the inbound leg's flow", inbound_packets, 15)
        self.assertEqual(got["counters_error"], "")
        self.assertEqual(len(got["inbound"]["flows"]), 2)  # RTP and RTCP
        self.assertEqual(got["outbound"]["remote_media"].split(":")[0], h.CARRIER_IP)
        self.assertTrue(got["inbound"]["local_media"].startswith(h.GW_PBX_IP + ":"))
        text = self.ctl("call", cid).stdout
        self.assertIn("inbound leg", text)
        self.assertIn("outbound leg", text)
        self.assertIn("packets=", text)
        self.assertEqual(self.refused(1, "call", "999999"), "trunkgatectl: not found: no call 999999")
        self.assertEqual(self.refused(1, "hangup", "999999"),
                         "trunkgatectl: not found: no call 999999")

        offset = self.gw.cdr_offset()
        self.assertEqual(self.ctl("hangup", cid).stdout, f"call {cid} ended\n")
        for s in (pbx, carrier):
            self.assertEqual(s.wait(), 0, s.report())  # both saw the gateway's BYE
        self.assertTrue(any(m.startswith("BYE ") for m in pbx.messages("received")))
        cdr = self.gw.cdrs_since(offset, 1)[0]
        self.assertEqual(cdr["id"], cid)
        self.assertIn("hangup by operator", json.dumps(cdr))
        h.wait_until("no call left", lambda: self.calls() == [], 10)

        events = self.watched(watch, 3)
        self.assertEqual([(e["kind"], e["call"]) for e in events],
                         [("setup", cid), ("answer", cid), ("end", cid)])
        self.assertEqual(events[0]["calling"], "+" + PBX_NUMBER)
        self.assertEqual(events[2]["cause"], "hangup by operator")

    def test_rfc4733_digit_from_the_pbx_is_watched(self):
        # SIPp's dtmf_2833_1.pcap: digit 1 as RFC 4733 (PT 101, which the PBX and the carrier
        # both offer), its end packet sent three times; one start and one end event for it.
        watch = self.start_watch(5)
        carrier = self.sipp(h.CARRIER_IP, "uas_call", "carrier")
        carrier.wait_listening()
        pbx = self.sipp("pbx", "uac_call", "pbx", play_pcap=DTMF_PCAP, pause_ms=1500)
        for s in (pbx, carrier):
            self.assertEqual(s.wait(), 0, s.report())
        events = self.watched(watch, 5)
        self.assertEqual([e["kind"] for e in events], ["setup", "answer", "dtmf", "dtmf", "end"],
                         events)
        self.assertEqual(len({e["call"] for e in events}), 1, events)
        start, end = events[2], events[3]
        self.assertEqual((start["digit"], start["dtmf_leg"], start["dtmf_end"]),
                         ("1", "inbound", False), start)
        self.assertEqual((end["digit"], end["dtmf_leg"], end["dtmf_end"]), ("1", "inbound", True),
                         end)
        self.assertGreater(end["dtmf_duration"], 0, end)

    def test_drain_refuses_new_calls_and_reports_drained(self):
        s = self.ctl_json("drain", "on")
        self.assertTrue(s["draining"])
        self.assertTrue(s["drained"])  # no call in progress
        self.assertFalse(s["ready"])
        self.assertIn("draining: new calls are refused with 503", self.ctl("drain").stdout)
        before = self.ctl_json("status")["counters"]
        pbx = self.sipp("pbx", "uac_overloaded", "pbx")
        self.assertEqual(pbx.wait(), 0, pbx.report())
        after = self.ctl_json("status")["counters"]
        self.assertEqual(int(after.get("rejected_draining", 0)),
                         int(before.get("rejected_draining", 0)) + 1)
        s = self.ctl_json("drain", "off")
        self.assertFalse(s["draining"])
        self.assertTrue(s["ready"])

    # --- Live reconfiguration ---
    def first_call_after(self, last_id, alive):
        """The first call admitted after call `last_id`, once confirmed (its outbound trunk is
        known by then)."""
        def newer():
            return [c for c in self.calls("--state", "confirmed") if int(c["id"]) > last_id]
        return h.wait_until(f"a call after call {last_id} confirmed", newer, 20, alive=alive)[0]

    def last_call_id(self):
        return max([int(c["id"]) for c in self.calls()] + [0])

    def test_route_changes_under_load_keep_established_calls(self):
        """30 calls at 5 per second, each held 1.5 s: the default route moves to carrier2 through
        the API, then back to carrier through a file reload (SIGHUP). No call fails (every
        established call ends with the caller's BYE answered), and new calls follow each change."""
        total = 30
        carrier = self.sipp(h.CARRIER_IP, "uas_call", "carrier", calls=1000, timeout_s=60)
        carrier2 = self.sipp(h.CARRIER2_IP, "uas_call", "carrier2", calls=1000, timeout_s=60)
        carrier.wait_listening()
        carrier2.wait_listening()
        offset = self.gw.cdr_offset()
        pbx = self.sipp("pbx", "uac_call", "pbx", pause_ms=1500, calls=total, timeout_s=60,
                        extra_args=["-r", "5", "-rp", "1000"])
        alive = lambda: None if pbx.running() or pbx.proc.returncode == 0 else pbx.report()  # noqa
        h.wait_until("3 calls established at carrier",
                     lambda: len(self.calls("--state", "confirmed", "--trunk", "carrier")) >= 3,
                     20, alive=alive)
        self.ctl("route", "update", "default", "--trunks", "carrier2")
        call = self.first_call_after(self.last_call_id(), alive)
        self.assertEqual(call["outbound"]["trunk"], "carrier2", call)
        self.assertGreater(len(self.calls("--trunk", "carrier")), 0,
                           "calls at carrier must still be up after the change")
        gen = int(self.ctl_json("status")["config_generation"])
        self.write_config(self.original_config())  # default -> carrier again
        os.kill(self.gw.cp.pid, signal.SIGHUP)
        h.wait_until("the SIGHUP reload in force",
                     lambda: int(self.ctl_json("status")["config_generation"]) > gen, 10)
        call = self.first_call_after(self.last_call_id(), alive)
        self.assertEqual(call["outbound"]["trunk"], "carrier", call)
        self.assertEqual(pbx.wait(), 0, pbx.report())  # every call of the 30 succeeded
        cdrs = sorted(self.gw.cdrs_since(offset, total), key=lambda c: int(c["id"]))
        self.assertEqual(len(cdrs), total)
        for c in cdrs:
            self.assertEqual((c["final_status"], c["ended_by"]), (200, "inbound"), c)
        # The outbound trunk in call order: carrier, then carrier2, then carrier again.
        runs = []
        for c in cdrs:
            if not runs or runs[-1] != c["outbound"]["trunk"]:
                runs.append(c["outbound"]["trunk"])
        self.assertEqual(runs, ["carrier", "carrier2", "carrier"])
        carrier.stop()
        carrier2.stop()
        invites = [sum(1 for m in s.messages("received") if m.startswith("INVITE "))
                   for s in (carrier, carrier2)]
        self.assertEqual(sum(invites), total, invites)
        self.assertEqual(invites[1], sum(1 for c in cdrs if c["outbound"]["trunk"] == "carrier2"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
