#!/usr/bin/env python3
"""Call-rate and concurrency benchmark of trunkgate-cp (with trunkgate-dp anchoring the media).

SIPp UAC in a "pbx" namespace calls through the gateway to a SIPp UAS in a "carrier" namespace
(deploy/netns.sh topology, prefix bn-). Every call is a real B2BUA call: two dialogs, an SDP
offer/answer per leg, four data-plane flows added and removed, one CDR.

  sudo tools/cp-bench/cp-bench.py cps  --rates 500,1000,1500 --calls 10000
  sudo tools/cp-bench/cp-bench.py cps  --rates 200 --calls 2000 --rtp
  sudo tools/cp-bench/cp-bench.py hold --calls 50000 --rate 500

cps:  for each rate, N calls of zero duration (with --rtp: SIPp's uac_pcap scenario, which plays
      g711a.pcap through the data plane for its 8 s and then hangs up); prints calls, failed,
      achieved rate (zero-duration calls only) and the control plane's CPU use (fraction of one
      core, over the run).
hold: ramps to N concurrent calls and holds them; prints trunkgate-cp's resident memory before
      and with the calls up, and bytes per call.
The gateway has two media addresses per side, so up to about 55,000 calls fit (a port range per
address, 10000-65534).
Every wait is bounded; everything started is stopped, namespaces removed.
"""
import argparse
import csv
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
PREFIX = "bn-"
INSTANCE = f"cpbench{os.getpid()}"
WORK = f"/tmp/{INSTANCE}"

DP_CONFIG = f"""
instance: {INSTANCE}
workers: 1
memory_mb: 1024
hugepages: auto
flows_per_worker: 262144
media_ports: 10000-65534
worker_idle_sleep_us: 20
interfaces:
  - name: pbx
    device: net_af_packet0,iface={PREFIX}pbx0
    tap: {PREFIX}tpbx
    addresses: [192.0.2.1/24, 192.0.2.2/24]
  - name: carrier
    device: net_af_packet1,iface={PREFIX}car0
    tap: {PREFIX}tcar
    addresses: [198.51.100.1/24, 198.51.100.2/24]
"""

CP_CONFIG = f"""
dataplane: {{instance: {INSTANCE}}}
listen:
  - {{transport: udp, address: 192.0.2.1, port: 5060}}
  - {{transport: udp, address: 198.51.100.1, port: 5060}}
cdr: {{path: {WORK}/cdr.jsonl}}
media: {{timeout_s: 0}}  # held calls send no RTP
log: {{level: info}}
trunks:
  - name: pbx
    peer: {{host: 192.0.2.10, port: 5060, transport: udp}}
    media_interface: pbx
    inbound: {{sources: [192.0.2.10/32]}}
    codecs: [PCMU, PCMA]
    identity: pai
  - name: carrier
    peer: {{host: 198.51.100.10, port: 5060, transport: udp}}
    media_interface: carrier
    inbound: {{sources: [198.51.100.10/32]}}
    codecs: [PCMU, PCMA, G729]
    identity: rpid
routes:
  - {{name: default, prefix: "", trunks: [carrier]}}
"""


def ns(name, *cmd):
    return ["ip", "netns", "exec", PREFIX + name] + list(cmd)


def wait_until(what, check, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise SystemExit(f"cp-bench: timed out waiting for {what}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def last_stat(path):
    with open(path) as f:
        rows = list(csv.reader(f, delimiter=";"))
    if len(rows) < 2:
        return None
    return dict(zip(rows[0], rows[-1]))


class Bench:
    def __init__(self, build):
        self.build = build
        self.procs = []

    def start(self, rtp=False):
        os.makedirs(WORK, exist_ok=True)
        # SIPp's uac_pcap scenario plays pcap/g711a.pcap relative to its working directory.
        if not os.path.exists(f"{WORK}/pcap"):
            os.symlink("/usr/share/sip-tester", f"{WORK}/pcap")
        subprocess.run([os.path.join(ROOT, "deploy/netns.sh"), "up", PREFIX], check=True,
                       capture_output=True)
        for name, text in (("dp.yaml", DP_CONFIG), ("cp.yaml", CP_CONFIG)):
            with open(os.path.join(WORK, name), "w") as f:
                f.write(text)
        self.dp = self.spawn(ns("gw", os.path.join(self.build, "dataplane/app/trunkgate-dp"),
                                "--config", f"{WORK}/dp.yaml"), "dp.log")
        flowctl = ns("gw", os.path.join(self.build, "tools/flowctl/trunkgate-flowctl"),
                     "--instance", INSTANCE, "interfaces")
        wait_until("trunkgate-dp (see dp.log)", lambda: self.alive(self.dp, "dp.log") and
                   subprocess.run(flowctl, capture_output=True).returncode == 0, 60)
        self.cp = self.spawn(ns("gw", os.path.join(self.build, "controlplane/app/trunkgate-cp"),
                                "--config", f"{WORK}/cp.yaml"), "cp.log")
        wait_until("trunkgate-cp", lambda: "running" in open(f"{WORK}/cp.log").read(), 30)
        if rtp:
            # uac_pcap offers PCMA only, and SIPp's built-in uas always answers PCMU: the test
            # suite's basic-call UAS answers PCMA, and echoes the caller's RTP back.
            with open(os.path.join(ROOT, "tests/e2e/sipp/uas_call.xml")) as f:
                scenario = f.read().replace("@PLAY@", "")
            with open(f"{WORK}/uas_call.xml", "w") as f:
                f.write(scenario)
            uas = ["-sf", f"{WORK}/uas_call.xml", "-rtp_echo"]
        else:
            uas = ["-sn", "uas"]
        self.uas = self.spawn(ns("car", "sipp", *uas, "-i", "198.51.100.10", "-p", "5060",
                                 "-nostdin", "-max_socket", "65000"), "uas.log")

    @staticmethod
    def alive(proc, log):
        if proc.poll() is not None:
            raise SystemExit(f"cp-bench: {log[:-4]} exited: " + open(f"{WORK}/{log}").read()[-600:])
        return True

    def spawn(self, cmd, log):
        p = subprocess.Popen(cmd, stdout=open(os.path.join(WORK, log), "w"),
                             stderr=subprocess.STDOUT, cwd=WORK)
        self.procs.append(p)
        return p

    def uac(self, rate, calls, duration_ms, limit, stat, extra=(), scenario="uac"):
        return self.spawn(ns("pbx", "sipp", "-sn", scenario, "192.0.2.1:5060", "-i", "192.0.2.10",
                             "-p", "5061", "-s", "19665551234", "-r", str(rate), "-m", str(calls),
                             "-d", str(duration_ms), "-l", str(limit), "-nostdin",
                             "-trace_stat", "-stf", stat, "-fd", "1", *extra),
                          os.path.basename(stat) + ".log")

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        subprocess.run([os.path.join(ROOT, "deploy/netns.sh"), "down", PREFIX],
                       capture_output=True)


def run_cps(bench, rates, calls, rtp):
    print(f"{'rate':>6} {'calls':>7} {'ok':>7} {'failed':>6} {'retrans':>7} {'achieved':>9} "
          f"{'cp core':>8}")
    for rate in rates:
        stat = f"{WORK}/cps-{rate}.csv"
        cpu0, t0 = cpu_seconds(bench.cp.pid), time.monotonic()
        # uac_pcap holds each call for its 8 s of audio: allow for the calls that overlap.
        limit = rate * 12 if rtp else max(100, rate * 4)
        uac = bench.uac(rate, calls, 0, limit, stat, ("-timeout", "150s"),
                        "uac_pcap" if rtp else "uac")
        uac.wait(timeout=calls / rate + 160)
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds(bench.cp.pid) - cpu0
        s = last_stat(stat) or {}
        ok, failed = int(s.get("SuccessfulCall(C)", 0)), int(s.get("FailedCall(C)", 0))
        retrans = int(s.get("Retransmissions(C)", 0))
        # With --rtp every call lasts 9 s: the run's length is no call rate, and SIPp's own
        # pacing (-r) is what was offered.
        achieved = f"{'-':>8}" if rtp else f"{ok / elapsed:>8.0f}"
        print(f"{rate:>6} {calls:>7} {ok:>7} {failed:>6} {retrans:>7} {achieved}/s "
              f"{cpu / elapsed:>8.2f}", flush=True)


def run_hold(bench, calls, rate):
    base = rss_bytes(bench.cp.pid)
    stat = f"{WORK}/hold.csv"
    uac = bench.uac(rate, calls, 3600_000, calls, stat, ("-timeout", "3700s"))
    progress = [time.monotonic()]

    def up():
        s = last_stat(stat) if os.path.exists(stat) else None
        if s and time.monotonic() - progress[0] >= 5:
            progress[0] = time.monotonic()
            print(f"  {s.get('CurrentCall')} calls up", flush=True)
        if s is not None and int(s.get("FailedCall(C)", 0)) > 0:
            raise SystemExit(f"cp-bench: {s['FailedCall(C)']} calls failed while ramping up "
                             f"(see {WORK})")
        return s is not None and int(s.get("CurrentCall", 0)) >= calls
    wait_until(f"{calls} concurrent calls", up, calls / rate + 120)
    time.sleep(2)  # let the last ACKs land before reading the memory
    held = rss_bytes(bench.cp.pid)
    s = last_stat(stat)
    print(f"concurrent calls: {s.get('CurrentCall')}, failed so far: "
          f"{s.get('FailedCall(C)')}")
    print(f"trunkgate-cp RSS: {base / 2**20:.1f} MiB idle, {held / 2**20:.1f} MiB with the calls "
          f"up: {(held - base) / calls:.0f} bytes per call")
    uac.send_signal(signal.SIGTERM)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    sub = parser.add_subparsers(dest="mode", required=True)
    cps = sub.add_parser("cps")
    cps.add_argument("--rates", default="500,1000")
    cps.add_argument("--calls", type=int, default=10000)
    cps.add_argument("--rtp", action="store_true", help="calls play g711a.pcap (uac_pcap)")
    hold = sub.add_parser("hold")
    hold.add_argument("--calls", type=int, default=10000)
    hold.add_argument("--rate", type=int, default=500)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("cp-bench: needs root (network namespaces)")
    bench = Bench(args.build)
    try:
        bench.start(getattr(args, "rtp", False))
        if args.mode == "cps":
            run_cps(bench, [int(r) for r in args.rates.split(",")], args.calls, args.rtp)
        else:
            run_hold(bench, args.calls, args.rate)
    finally:
        bench.stop()
        print(f"logs and CDRs: {WORK}")


if __name__ == "__main__":
    sys.exit(main())
