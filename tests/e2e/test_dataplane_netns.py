#!/usr/bin/env python3
"""End to end: trunkgate-dp on af_packet ports between network namespaces.

A kernel UDP sender in the "pbx" namespace sends RTP to the gateway's media address; the receiver
in the "carrier" namespace must get every packet with the rewritten headers; ARP is resolved
through the exception path; ping to the gateway works through the TAP; the data plane's counters
agree; flows survive a control-plane detach/reattach. Needs root (namespaces); bounded in time.
"""
import os
import re
import subprocess
import sys
import time
import unittest

BUILD = os.environ.get("TG_BUILD", os.path.join(os.path.dirname(__file__), "../../build"))
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")
PREFIX = "te-"
DP = os.path.join(BUILD, "dataplane/app/trunkgate-dp")
FLOWCTL = os.path.join(BUILD, "tools/flowctl/trunkgate-flowctl")
RTPGEN = os.path.join(BUILD, "tools/rtpgen/trunkgate-rtpgen")
INSTANCE = "e2e%d" % os.getpid()

CONFIG = f"""
instance: {INSTANCE}
workers: 2
memory_mb: 256
hugepages: off
flows_per_worker: 1024
media_ports: 20000-29999
worker_idle_sleep_us: 20
interfaces:
  - name: pbx
    device: net_af_packet0,iface={PREFIX}pbx0,qpairs=2
    tap: {PREFIX}tpbx
    addresses: [192.0.2.1/24, 2001:db8:1::1/64]
  - name: carrier
    device: net_af_packet1,iface={PREFIX}car0,qpairs=2
    tap: {PREFIX}tcar
    addresses: [198.51.100.1/24, 2001:db8:2::1/64]
"""


def run(*cmd, ns=None, check=True, timeout=30):
    full = (["ip", "netns", "exec", ns] if ns else []) + list(cmd)
    p = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(full)} -> {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def flowctl(*args, check=True):
    return run(FLOWCTL, "--instance", INSTANCE, *args, ns=PREFIX + "gw", check=check)


def rtpgen(*args):
    return run(RTPGEN, "--tx-netns", PREFIX + "pbx", "--rx-netns", PREFIX + "car", *args,
               check=False, timeout=60)


def parse_kv(line):
    return {k: v for k, v in re.findall(r"(\w+)=([^\s]+)", line)}


class DataplaneNetns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Not a skip: a run that cannot create namespaces has not tested anything.
        assert os.geteuid() == 0, "this test needs root (network namespaces, TAPs)"
        run(os.path.join(ROOT, "deploy/netns.sh"), "up", PREFIX)
        cls.config = f"/tmp/{INSTANCE}.yaml"
        with open(cls.config, "w") as f:
            f.write(CONFIG)
        cls.log = open(f"/tmp/{INSTANCE}.log", "w+")
        cls.dp = subprocess.Popen(["ip", "netns", "exec", PREFIX + "gw", DP, "--config",
                                   cls.config], stdout=cls.log, stderr=subprocess.STDOUT)
        # Ready when a client can attach: poll with a bound, not a sleep.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if flowctl("interfaces", check=False).returncode == 0:
                break
            if cls.dp.poll() is not None:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("trunkgate-dp did not become ready in 30 s")
        if cls.dp.poll() is not None:
            cls.log.seek(0)
            raise AssertionError("trunkgate-dp exited:\n" + cls.log.read())

    @classmethod
    def tearDownClass(cls):
        rc = None
        if getattr(cls, "dp", None):
            cls.dp.send_signal(2)
            try:
                rc = cls.dp.wait(timeout=20)
            except subprocess.TimeoutExpired:
                cls.dp.kill()
        run(os.path.join(ROOT, "deploy/netns.sh"), "down", PREFIX, check=False)
        cls.log.seek(0)
        output = cls.log.read()
        cls.log.close()
        assert rc == 0, "trunkgate-dp did not stop cleanly on SIGINT:\n" + output
        # Media next hops (198.51.100.10, 2001:db8:2::10) were resolved by ARP/ND through the
        # exception path: nothing else gives the data plane their MACs in this test.
        learned = re.search(r"exception path: .* learned=(\d+)", output)
        assert learned and int(learned.group(1)) >= 2, "no neighbor learned:\n" + output

    def stats(self):
        """Counters summed over the workers."""
        total = {}
        for line in flowctl("stats").stdout.splitlines():
            if not line.startswith("worker"):
                continue
            for k, v in parse_kv(line).items():
                total[k] = total.get(k, 0) + int(v)
        return total

    def test_0_two_workers_in_software_dispatch_mode(self):
        # af_packet offers two queue pairs but no rte_flow: the port must fall back, and say so.
        self.log.seek(0)
        log = self.log.read()
        self.assertIn("software dispatch (rte_flow rule refused", log)
        self.assertIn("2 worker(s)", log)

    def test_1_ping_reaches_the_gateway_through_the_tap(self):
        p = run("ping", "-c", "3", "-i", "0.2", "-W", "2", "192.0.2.1", ns=PREFIX + "pbx")
        # Exactly one answer each: the kernel must see the frames through the TAP only.
        self.assertIn("3 received", p.stdout)
        self.assertNotIn("DUP", p.stdout)
        run("ping", "-c", "2", "-i", "0.2", "-W", "2", "198.51.100.1", ns=PREFIX + "car")
        run("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", "2001:db8:2::1", ns=PREFIX + "car")

    def test_2_rtp_streams_arrive_complete_with_rewritten_headers(self):
        streams = 4
        for i in range(streams):
            flowctl("add", "--key", f"192.0.2.1:{20000 + 2 * i}",
                    "--remote", f"198.51.100.10:{30000 + 2 * i}",
                    "--source", f"198.51.100.1:{22000 + 2 * i}", "--iface", "1")
        before = self.stats()
        # The carrier side must see packets from the gateway's address and port, not the PBX's.
        cap = subprocess.Popen(["ip", "netns", "exec", PREFIX + "car", "tcpdump", "-nli", "car0",
                                "--immediate-mode", "-c", "5",
                                "udp and src host 198.51.100.1 and src port 22000"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        armed = [cap.stderr.readline() for _ in range(2)]  # a notice, then "listening on"
        self.assertIn("listening on", "".join(armed))  # the capture is armed
        p = rtpgen("--dst", "192.0.2.1:20000", "--rx-bind", "198.51.100.10:30000",
                   "--streams", str(streams), "--packets", "100", "--interval-ms", "5",
                   "--src-port", "40000", "--drain-ms", "500")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        r = parse_kv(p.stdout)
        self.assertEqual(int(r["sent"]), 400)
        self.assertEqual(int(r["received"]), 400, p.stdout)
        self.assertEqual(int(r["duplicates"]), 0)
        self.assertEqual(int(r["foreign"]), 0)
        out, _ = cap.communicate(timeout=20)
        cap.stderr.close()
        self.assertEqual(len(out.strip().splitlines()), 5, out)
        self.assertIn("198.51.100.1.22000 > 198.51.100.10.30000", out)
        after = self.stats()
        self.assertEqual(after["tx"] - before["tx"], 400)
        # Streams alternate owners (port >> 1) % 2: the dispatching worker handed half over.
        self.assertGreaterEqual(after["handoff"] - before["handoff"], 200)
        q = parse_kv(flowctl("query", "--key", "192.0.2.1:20000").stdout.splitlines()[-1])
        self.assertEqual(int(q["packets"]), 100)
        # The carrier's MAC came from ARP through the exception path; the main lcore publishes
        # its counters once a second, so poll them (bounded).
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            line = [l for l in flowctl("stats").stdout.splitlines() if l.startswith("exception")]
            exc = parse_kv(line[0])
            if int(exc["learned"]) >= 1:
                break
            time.sleep(0.2)
        self.assertGreaterEqual(int(exc["learned"]), 1, line)
        self.assertGreaterEqual(int(exc["requests"]), 1, line)
        self.assertGreater(int(exc["to_kernel"]), 0, line)

    def test_3_unknown_ports_in_the_media_range_are_dropped_and_counted(self):
        before = self.stats()["drop_unknown_flow"]
        p = rtpgen("--dst", "192.0.2.1:29000", "--rx-bind", "198.51.100.10:31000",
                   "--packets", "20", "--interval-ms", "2", "--drain-ms", "300",
                   "--expect-loss-max", "100")
        self.assertEqual(parse_kv(p.stdout)["received"], "0")
        self.assertEqual(self.stats()["drop_unknown_flow"] - before, 20)

    def test_4_flows_keep_forwarding_across_control_plane_detach_and_reattach(self):
        flowctl("add", "--key", "192.0.2.1:21000", "--remote", "198.51.100.10:32000",
                "--source", "198.51.100.1:21002", "--iface", "1")
        # Each flowctl run is a client that attaches and detaches; a dump from a new client
        # still sees the flow, and traffic flows with no client attached at all.
        self.assertIn("key=192.0.2.1:21000", flowctl("dump").stdout)
        p = rtpgen("--dst", "192.0.2.1:21000", "--rx-bind", "198.51.100.10:32000",
                   "--packets", "50", "--interval-ms", "2", "--drain-ms", "300")
        self.assertEqual(parse_kv(p.stdout)["received"], "50", p.stdout)
        out = flowctl("del", "--key", "192.0.2.1:21000").stdout
        self.assertIn("packets=50", out)

    def test_5_ipv6_media(self):
        flowctl("add", "--key", "[2001:db8:1::1]:24000", "--remote", "[2001:db8:2::10]:34000",
                "--source", "[2001:db8:2::1]:24002", "--iface", "1")
        p = rtpgen("--dst", "[2001:db8:1::1]:24000", "--rx-bind", "[2001:db8:2::10]:34000",
                   "--packets", "50", "--interval-ms", "2", "--drain-ms", "500")
        self.assertEqual(parse_kv(p.stdout)["received"], "50", p.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
