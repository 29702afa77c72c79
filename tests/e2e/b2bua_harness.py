#!/usr/bin/env python3
"""End-to-end harness for trunkgate-cp + trunkgate-dp between network namespaces.

Topology (deploy/netns.sh up PREFIX): SIPp "PBX" in PREFIXpbx (192.0.2.10, plus 192.0.2.12 for
the rate-limited trunk), the gateway in PREFIXgw (192.0.2.1 / 198.51.100.1 on trunkgate-dp's
TAPs), SIPp "carriers" in PREFIXcar (198.51.100.10 = carrier, 198.51.100.11 = carrier2).

Media is counted where it arrives: a sniffer (AF_PACKET, in the receiving namespace) counts the
UDP packets the gateway sends from its media port range. It does not need the destination port,
so it is right whether the gateway sends to the port in the SDP or to a latched source port.

Every wait is bounded and every process started here is stopped by its pid. Also usable as a
command (inside a namespace) for the helpers: `sniff`, `options` and `tls-relay`.
"""
import json
import math
import os
import re
import select
import signal
import socket
import ssl
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "../..")
BUILD = os.environ.get("TG_BUILD", os.path.join(ROOT, "build"))
DP = os.path.join(BUILD, "dataplane/app/trunkgate-dp")
CP = os.path.join(BUILD, "controlplane/app/trunkgate-cp")
FLOWCTL = os.path.join(BUILD, "tools/flowctl/trunkgate-flowctl")
MEDIAPEER = os.path.join(BUILD, "tools/mediapeer/trunkgate-mediapeer")
SIPP_DIR = os.path.join(HERE, "sipp")
G711A_PCAP = "/usr/share/sip-tester/g711a.pcap"  # Debian sip-tester: 236 RTP packets, PCMA, 30 ms
MEDIA_PORTS = (20000, 29999)

PBX_IP, PBX_LIMITED_IP, GW_PBX_IP = "192.0.2.10", "192.0.2.12", "192.0.2.1"
CARRIER_IP, CARRIER2_IP, GW_CAR_IP = "198.51.100.10", "198.51.100.11", "198.51.100.1"


def run(*cmd, ns=None, check=True, timeout=30):
    full = (["ip", "netns", "exec", ns] if ns else []) + [str(c) for c in cmd]
    p = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(full)} -> {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def parse_kv(line):
    return {k: v for k, v in re.findall(r"(\w+)=([^\s]+)", line)}


def wait_until(what, predicate, timeout_s, alive=None, interval_s=0.1):
    """Polls `predicate` until it returns a true value or `timeout_s` passes (AssertionError).
    `alive` (optional) is checked too: a process that died fails the wait at once."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if alive is not None:
            problem = alive()
            if problem:
                raise AssertionError(f"while waiting for {what}: {problem}")
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout_s} s")
        time.sleep(interval_s)


# ---------------------------------------------------------------------------------------------
# pcap helpers


def pcap_records(path):
    """(header, [(record header, data)]) of a classic little-endian pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic == 0xA1B2C3D4, f"{path}: not a little-endian microsecond pcap"
    records, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        records.append((data[off:off + 16], data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return data[:24], records


def pcap_packet_count(path):
    return len(pcap_records(path)[1])


def write_short_pcap(src, dst, packets):
    """The first `packets` packets of `src` (shorter calls; the timing of the capture is kept)."""
    header, records = pcap_records(src)
    assert packets <= len(records), f"{src} has only {len(records)} packets"
    with open(dst, "wb") as f:
        f.write(header)
        for rec, data in records[:packets]:
            f.write(rec + data)
    return dst


# ---------------------------------------------------------------------------------------------
# SIPp


# What the PBX scenarios offer unless told otherwise: PCMA and telephone-event.
PBX_AUDIO = {"formats": "8 101", "attributes": "a=rtpmap:8 PCMA/8000\n"
             "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15"}


def render_scenario(name, workdir, play_pcap=None, pause_ms=500, **extra):
    """Copies sipp/NAME.xml into `workdir` with its @PLACEHOLDERS@ filled in: @PLAY@ becomes an
    exec play_pcap_audio of `play_pcap` (or nothing), @PAUSE_MS@ the pause before hanging up,
    @AUDIO_FORMATS@ / @AUDIO_ATTRIBUTES@ the formats of the PBX's offer (PBX_AUDIO unless
    given)."""
    with open(os.path.join(SIPP_DIR, name + ".xml")) as f:
        text = f.read()
    play = ""
    if play_pcap:
        play = f'<nop><action><exec play_pcap_audio="{play_pcap}" /></action></nop>'
    values = {"PLAY": play, "PAUSE_MS": str(pause_ms), "AUDIO_FORMATS": PBX_AUDIO["formats"],
              "AUDIO_ATTRIBUTES": PBX_AUDIO["attributes"]}
    values.update({k.upper(): str(v) for k, v in extra.items()})
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    assert not left, f"{name}.xml: placeholders not filled: {left}"
    out = os.path.join(workdir, f"{name}-{abs(hash(tuple(sorted(values.items()))))}.xml")
    with open(out, "w") as f:
        f.write(text)
    return out


class Sipp:
    """One SIPp process (in a namespace or not) with its message, error and statistics traces."""

    def __init__(self, workdir, label, scenario, local_ip, port, media_port, ns=None, remote=None,
                 service=None, calls=1, extra_args=(), timeout_s=30, tcp=False):
        self.label = label
        self.tcp = tcp
        self.local_ip, self.port = local_ip, port
        self.prefix = os.path.join(workdir, label)
        for suffix in ("messages.log", "errors.log", "stat.csv", "screen.log"):
            if os.path.exists(f"{self.prefix}-{suffix}"):
                os.unlink(f"{self.prefix}-{suffix}")
        cmd = ["sipp", "-sf", scenario, "-i", local_ip, "-p", str(port), "-mi", local_ip,
               "-mp", str(media_port), "-m", str(calls), "-timeout", f"{timeout_s}s",
               "-timeout_error", "-nostdin", "-trace_msg", "-message_file",
               f"{self.prefix}-messages.log", "-trace_err", "-error_file",
               f"{self.prefix}-errors.log", "-trace_stat", "-stf", f"{self.prefix}-stat.csv"]
        if service:
            cmd += ["-s", service]
        if tcp:
            cmd += ["-t", "t1"]
        cmd += list(extra_args)
        if remote:
            cmd.append(remote)
        if ns:
            cmd = ["ip", "netns", "exec", ns] + cmd
        self.cmd = cmd
        self.timeout_s = timeout_s
        self.screen = open(f"{self.prefix}-screen.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=self.screen, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        self.rc = None

    def wait_listening(self, timeout_s=10):
        """Returns once SIPp's SIP socket is bound (so that a call to it cannot come too early)."""
        ns = self.cmd[3] if self.cmd[0] == "ip" else None
        addr = f"{self.local_ip}:{self.port}"

        def bound():
            return addr in run("ss", "-Hntl" if self.tcp else "-Hnul", ns=ns,
                               check=False).stdout

        wait_until(f"{self.label} listening on {addr}", bound, timeout_s,
                   alive=lambda: None if self.proc.poll() is None else
                   f"SIPp exited with {self.proc.returncode}\n{self.report()}")
        return self

    def running(self):
        return self.proc.poll() is None

    def wait(self):
        """SIPp's exit code (0: every call succeeded). SIPp stops itself after -timeout; the
        bound here only guards against a hung process."""
        try:
            self.rc = self.proc.wait(timeout=self.timeout_s + 15)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"{self.label}: SIPp still running after {self.timeout_s + 15} s")
        finally:
            self.screen.close()
        return self.rc

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if not self.screen.closed:
            self.screen.close()

    def _read(self, suffix):
        try:
            with open(f"{self.prefix}-{suffix}", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def messages(self, direction="received"):
        """The SIP messages SIPp sent or received (from its -trace_msg log), in order."""
        out = []
        blocks = re.split(r"\n-{20,}[^\n]*\n", "\n" + self._read("messages.log"))
        for block in blocks:
            m = re.match(r"\s*\S+ message (received|sent)[^\n]*\n\n?(.*)", block, re.S)
            if m and m.group(1) == direction:
                out.append(m.group(2).strip("\n"))
        return out

    def report(self):
        """What to show when an assertion about this SIPp fails."""
        tail = "\n".join(self._read("screen.log").splitlines()[-40:])
        return (f"--- {self.label}: {' '.join(self.cmd)}\n--- rc={self.rc}\n--- errors:\n"
                f"{self._read('errors.log')[-4000:]}\n--- screen (tail):\n{tail}\n"
                f"--- messages (tail):\n{self._read('messages.log')[-6000:]}")


# ---------------------------------------------------------------------------------------------
# In-namespace helpers (run as `python3 b2bua_harness.py sniff|options ...`)


def alaw_decode(code):
    """ITU-T G.711 A-law to linear."""
    code ^= 0x55
    exponent, mantissa = (code >> 4) & 7, code & 0x0F
    value = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (exponent - 1)
    return value if code & 0x80 else -value


def tone_fraction(samples, tone_hz, block=160):
    """The share of the signal's energy at `tone_hz` (Goertzel per 20 ms block): about 1 for a
    pure tone, much less for speech or noise."""
    energy = tone = 0.0
    coeff = 2 * math.cos(2 * math.pi * tone_hz / 8000)
    for b in range(0, len(samples) - block + 1, block):
        s1 = s2 = 0.0
        for x in samples[b:b + block]:
            s1, s2 = x + coeff * s1 - s2, s1
            energy += x * x
        tone += (s1 * s1 + s2 * s2 - coeff * s1 * s2) * 2 / block
    return tone / energy if energy else 0.0


def rtp_summary(packets, tone_hz=1000):
    """What trunkgate-mediapeer reports (tools/mediapeer/stream_report.h) for a list of RTP
    packets in arrival order: counts per payload type and payload size, timestamp steps and
    sequence continuity between consecutive packets, SSRCs, and for PCMA the tone's share."""
    out = {"received": 0, "not_rtp": 0, "missing": 0, "out_of_order": 0, "pt": {},
           "payload_bytes": {}, "ts_steps": {}, "ssrcs": set()}
    last = None
    pcma = []
    for d in packets:
        if len(d) < 12 or d[0] >> 6 != 2:
            out["not_rtp"] += 1
            continue
        off = 12 + 4 * (d[0] & 0x0F)
        if d[0] & 0x10 and len(d) >= off + 4:
            off += 4 + 4 * struct.unpack("!H", d[off + 2:off + 4])[0]
        end = len(d) - (d[-1] if d[0] & 0x20 else 0)
        if end < off:
            out["not_rtp"] += 1
            continue
        pt = d[1] & 0x7F
        seq, ts, ssrc = struct.unpack("!HII", d[2:12])
        out["received"] += 1
        for key, value in (("pt", str(pt)), ("payload_bytes", str(end - off))):
            out[key][value] = out[key].get(value, 0) + 1
        out["ssrcs"].add(ssrc)
        if last is not None:
            step = (seq - last[0]) & 0xFFFF
            if step == 0 or step >= 0x8000:
                out["out_of_order"] += 1
            else:
                out["missing"] += step - 1
            ts_step = str((ts - last[1] + 2**31) % 2**32 - 2**31)
            out["ts_steps"][ts_step] = out["ts_steps"].get(ts_step, 0) + 1
        last = (seq, ts)
        if pt == 8:
            pcma.extend(alaw_decode(c) for c in d[off:end])
    out["ssrcs"] = len(out["ssrcs"])
    out["tone_fraction"] = tone_fraction(pcma, tone_hz)
    return out


def sniff_main(iface, src, out_path):
    """Counts IPv4 UDP packets arriving on `iface` from `src` with a source port in the media
    range, per (source port, destination port). Prints 'ready' once armed; writes the counts as
    JSON to `out_path` on SIGTERM, and the UDP payloads of each (source port, destination port),
    hex in arrival order, to `out_path`.payloads."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
    s.bind((iface, 0))
    s.settimeout(0.2)
    counts, payloads = {}, {}
    done = []
    signal.signal(signal.SIGTERM, lambda *_: done.append(1))
    src_bytes = socket.inet_aton(src)
    print("ready", flush=True)
    while not done:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if addr[2] == socket.PACKET_OUTGOING or len(frame) < 42:
            continue
        eth_type = struct.unpack("!H", frame[12:14])[0]
        if eth_type != 0x0800 or frame[23] != 17 or frame[26:30] != src_bytes:
            continue
        ihl = (frame[14] & 0x0F) * 4
        sport, dport = struct.unpack("!HH", frame[14 + ihl:18 + ihl])
        if MEDIA_PORTS[0] <= sport <= MEDIA_PORTS[1]:
            key = f"{sport}>{dport}"
            counts[key] = counts.get(key, 0) + 1
            udp_end = 14 + ihl + struct.unpack("!H", frame[18 + ihl:20 + ihl])[0]
            if len(payloads.setdefault(key, [])) < 1000:  # bounded: 20 s of 20 ms packets
                payloads[key].append(frame[14 + ihl + 8:udp_end].hex())
    with open(out_path + ".payloads", "w") as f:
        json.dump(payloads, f)
    with open(out_path, "w") as f:
        json.dump(counts, f)


def options_main(src, dst, timeout_s):
    """Sends one OPTIONS from `src` to `dst` (ADDR:PORT); exit 0 on any SIP response."""
    host, port = dst.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(timeout_s)
    lport = s.getsockname()[1]
    tag = f"{os.getpid()}{int(time.monotonic() * 1000)}"
    msg = (f"OPTIONS sip:{host}:{port} SIP/2.0\r\n"
           f"Via: SIP/2.0/UDP {src}:{lport};branch=z9hG4bK-probe{tag};rport\r\n"
           f"From: <sip:probe@{src}>;tag={tag}\r\nTo: <sip:{host}>\r\n"
           f"Call-ID: probe-{tag}@{src}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
           f"Content-Length: 0\r\n\r\n")
    s.sendto(msg.encode(), (host, int(port)))
    try:
        data, _ = s.recvfrom(65535)
    except socket.timeout:
        return 1
    print(data.decode(errors="replace").split("\r\n")[0])
    return 0 if data.startswith(b"SIP/2.0 ") else 1


def tls_relay_main(listen, cert, key, target, max_s):
    """Terminates TLS on `listen` (ADDR:PORT, certificate `cert`, key `key`) and relays each
    connection's bytes to a new TCP connection to `target` and back: SIP over TLS for a SIPp
    built without TLS (Debian's). Prints 'ready' once listening; stops on SIGTERM or after
    `max_s` seconds."""
    host, port = listen.rsplit(":", 1)
    thost, tport = target.rsplit(":", 1)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = socket.create_server((host, int(port)))
    server.settimeout(0.2)
    done = []
    signal.signal(signal.SIGTERM, lambda *_: done.append(1))
    pairs = {}  # socket -> the socket its bytes go to
    deadline = time.monotonic() + max_s
    print("ready", flush=True)
    while not done and time.monotonic() < deadline:
        readable = select.select([server] + list(pairs), [], [], 0.2)[0]
        for s in readable:
            if s is server:
                try:
                    conn, _ = server.accept()
                    conn.settimeout(5)
                    tls = context.wrap_socket(conn, server_side=True)
                    tcp = socket.create_connection((thost, int(tport)), timeout=5)
                except (OSError, ssl.SSLError) as e:
                    print(f"tls relay: connection refused: {e}", flush=True)
                    continue
                pairs[tls], pairs[tcp] = tcp, tls
                continue
            if s not in pairs:
                continue
            try:
                data = s.recv(65536)
                while isinstance(s, ssl.SSLSocket) and s.pending():
                    data += s.recv(65536)
                if data:
                    pairs[s].sendall(data)
            except (OSError, ssl.SSLError):
                data = b""
            if not data:  # closed: close both ends
                other = pairs.pop(s)
                pairs.pop(other, None)
                s.close()
                other.close()
    for s in pairs:
        s.close()
    server.close()


class HelperProcess:
    """This file run as one of its commands (sniff, tls-relay) in a namespace: started, its
    "ready" awaited, stopped by its pid."""

    def __init__(self, ns, command, *args):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__), command] +
            [str(a) for a in args], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()  # returns at "ready" or when the process dies
        if line.strip() != "ready":
            self.proc.wait(timeout=5)
            raise AssertionError(f"{command} in {ns} did not start: {line!r}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


class TlsRelay(HelperProcess):
    def __init__(self, ns, listen, cert, key, target, max_s=60):
        super().__init__(ns, "tls-relay", listen, cert, key, target, max_s)


class MediaPeer:
    """trunkgate-mediapeer in a namespace, waiting for its destination (and SRTP key) on a FIFO:
    `control` is the FIFO's path, for a SIPp exec to write "ADDR:PORT [KEY]" into once it read
    the gateway's SDP. Stopped by its pid; report() once it ended by itself."""

    def __init__(self, ns, workdir, label, args):
        self.prefix = os.path.join(workdir, label)
        self.control = self.prefix + ".fifo"
        for suffix in (".fifo", ".json", ".log"):
            if os.path.exists(self.prefix + suffix):
                os.unlink(self.prefix + suffix)
        os.mkfifo(self.control)
        self.log = open(self.prefix + ".log", "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, MEDIAPEER, "--control", self.control, "--report",
             self.prefix + ".json"] + [str(a) for a in args],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            self.stop()
            raise AssertionError(f"trunkgate-mediapeer did not start: {line!r}\n{self.errors()}")

    def errors(self):
        with open(self.prefix + ".log") as f:
            return f.read()

    def report(self, timeout_s=25):
        """The JSON report, once the peer ended (it does by itself, bounded by its --max-ms)."""
        try:
            rc = self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"trunkgate-mediapeer still running after {timeout_s} s")
        assert rc == 0, f"trunkgate-mediapeer exited with {rc}:\n{self.errors()}"
        with open(self.prefix + ".json") as f:
            return json.load(f)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=5)
        self.proc.stdout.close()
        self.log.close()


class Sniffer(HelperProcess):
    def __init__(self, ns, iface, src, out_path):
        self.out_path = out_path
        if os.path.exists(out_path):
            os.unlink(out_path)
        super().__init__(ns, "sniff", iface, src, out_path)

    def stop(self):
        """{"sport>dport": packets} seen while running."""
        super().stop()
        with open(self.out_path) as f:
            return json.load(f)

    def rtp(self, tone_hz=1000):
        """After stop(): {"sport>dport": rtp_summary of what arrived on it}."""
        with open(self.out_path + ".payloads") as f:
            payloads = json.load(f)
        return {k: rtp_summary([bytes.fromhex(p) for p in v], tone_hz)
                for k, v in payloads.items()}


# ---------------------------------------------------------------------------------------------
# The gateway: namespaces, trunkgate-dp, trunkgate-cp


def dp_config(prefix, instance):
    return f"""
instance: {instance}
workers: 1
memory_mb: 256
hugepages: off
flows_per_worker: 1024
media_ports: {MEDIA_PORTS[0]}-{MEDIA_PORTS[1]}
worker_idle_sleep_us: 20
interfaces:
  - name: pbx
    device: net_af_packet0,iface={prefix}pbx0
    tap: {prefix}tpbx
    addresses: [192.0.2.1/24, 2001:db8:1::1/64]
  - name: carrier
    device: net_af_packet1,iface={prefix}car0
    tap: {prefix}tcar
    addresses: [198.51.100.1/24, 2001:db8:2::1/64]
"""


# Credentials the gateway answers the carriers' 407 with; the tests recompute the digest.
CARRIER_USER, CARRIER_PASSWORD = "045401020304", "e2e-secret"


def cp_config(instance, cdr_path, listen="", trunks="", routes=""):
    """Two trunks on the PBX side (the second, from 192.0.2.12, admits one call at a time), two
    carriers; the PBX calls go to carrier then carrier2 for 1977..., to carrier otherwise; the
    carriers' calls to 1466555... and 1444789... (spec 000's DIDs) go to the PBX. `listen`,
    `trunks` and `routes` are YAML list items appended to those sections."""
    return f"""
dataplane: {{instance: {instance}}}
listen:
  - {{transport: udp, address: {GW_PBX_IP}, port: 5060}}
  - {{transport: udp, address: {GW_CAR_IP}, port: 5060}}
{listen}
cdr: {{path: {cdr_path}}}
log: {{level: debug}}
trunks:
  - name: pbx
    peer: {{host: {PBX_IP}, port: 5060, transport: udp}}
    media_interface: pbx
    inbound: {{sources: [{PBX_IP}/32]}}
    codecs: [PCMA, PCMU]
    identity: pai
  - name: pbx-limited
    peer: {{host: {PBX_LIMITED_IP}, port: 5060, transport: udp}}
    media_interface: pbx
    inbound: {{sources: [{PBX_LIMITED_IP}/32]}}
    codecs: [PCMA, PCMU]
    identity: pai
    limits: {{max_calls: 1}}
  - name: carrier
    peer: {{host: {CARRIER_IP}, port: 5060, transport: udp}}
    media_interface: carrier
    inbound: {{sources: [{CARRIER_IP}/32]}}
    outbound_credentials: {{username: "{CARRIER_USER}", password: "{CARRIER_PASSWORD}"}}
    codecs: [PCMA, PCMU]
    identity: rpid
    dial_plan: {{country_code: "1", national_length: 10, format: e164}}
  - name: carrier2
    peer: {{host: {CARRIER2_IP}, port: 5060, transport: udp}}
    media_interface: carrier
    inbound: {{sources: [{CARRIER2_IP}/32]}}
    codecs: [PCMA, PCMU]
    identity: rpid
{trunks}
routes:
  - {{name: advance, prefix: "1977", trunks: [carrier, carrier2]}}
  - {{name: to-pbx, prefix: "1466555", trunks: [pbx]}}
  - {{name: to-pbx-8x8, prefix: "1444789", trunks: [pbx]}}
  - {{name: default, prefix: "", trunks: [carrier]}}
{routes}
"""


def require_binaries(*paths):
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise AssertionError(
            "missing binaries (build them: ninja -C " + BUILD + " <target>): " +
            ", ".join(os.path.relpath(p, BUILD) + f" ({p})" for p in missing))


class Gateway:
    """trunkgate-dp and trunkgate-cp in PREFIXgw, PBX and carrier namespaces around them.
    Subclasses give other trunks (cp_config), peer addresses (peer_addresses) and their own shm
    instance name (INSTANCE)."""
    INSTANCE = "e2eb2bua"

    def __init__(self, prefix="tb-", instance_tag=None):
        assert os.geteuid() == 0, "this test needs root (network namespaces, TAPs, raw sockets)"
        require_binaries(DP, FLOWCTL, CP)
        assert subprocess.run(["which", "sipp"], capture_output=True).returncode == 0, \
            "SIPp is not installed (Debian package sip-tester)"
        self.prefix = prefix
        self.instance = f"{instance_tag or self.INSTANCE}{os.getpid()}"
        self.workdir = f"/tmp/{self.instance}"
        os.makedirs(self.workdir, exist_ok=True)
        self.cdr_path = os.path.join(self.workdir, "cdr.jsonl")
        self.dp = self.cp = None
        self.dp_log = open(os.path.join(self.workdir, "dp.log"), "w+")
        self.cp_log = open(os.path.join(self.workdir, "cp.log"), "w+")

    @property
    def ns_pbx(self):
        return self.prefix + "pbx"

    @property
    def ns_car(self):
        return self.prefix + "car"

    @property
    def ns_gw(self):
        return self.prefix + "gw"

    def start(self, extra_cp_config=""):
        """`extra_cp_config`: YAML appended to cp_config() (top-level sections it lacks)."""
        run(os.path.join(ROOT, "deploy/netns.sh"), "up", self.prefix)
        for ns, dev, address in self.peer_addresses():
            run("ip", "addr", "add", address + "/24", "dev", dev, ns=ns)
        self._start_dp()
        self.start_cp(self.cp_config() + extra_cp_config)

    def peer_addresses(self):
        """(namespace, device, address) of the peers beyond the first PBX and carrier."""
        return [(self.ns_pbx, "pbx0", PBX_LIMITED_IP), (self.ns_car, "car0", CARRIER2_IP)]

    def cp_config(self):
        return cp_config(self.instance, self.cdr_path)

    def _start_dp(self):
        path = os.path.join(self.workdir, "dp.yaml")
        with open(path, "w") as f:
            f.write(dp_config(self.prefix, self.instance))
        self.dp = subprocess.Popen(["ip", "netns", "exec", self.ns_gw, DP, "--config", path],
                                   stdout=self.dp_log, stderr=subprocess.STDOUT)
        wait_until("trunkgate-dp attachable (trunkgate-flowctl interfaces)",
                   lambda: self.flowctl("interfaces", check=False).returncode == 0, 30,
                   alive=lambda: self._died(self.dp, self.dp_log, "trunkgate-dp"))

    def start_cp(self, config_text):
        path = os.path.join(self.workdir, "cp.yaml")
        with open(path, "w") as f:
            f.write(config_text)
        self.cp = subprocess.Popen(["ip", "netns", "exec", self.ns_gw, CP, "--config", path],
                                   stdout=self.cp_log, stderr=subprocess.STDOUT)
        # Ready when it answers SIP on both sides.
        for ns, src, dst in ((self.ns_pbx, PBX_IP, GW_PBX_IP), (self.ns_car, CARRIER_IP,
                                                                 GW_CAR_IP)):
            wait_until(f"trunkgate-cp answering OPTIONS on {dst}:5060 from {src}",
                       lambda: self.options(ns, src, dst), 30,
                       alive=lambda: self._died(self.cp, self.cp_log, "trunkgate-cp"))

    def stop_cp(self):
        """SIGTERM; returns trunkgate-cp's exit code (None if it had to be killed)."""
        if self.cp is None:
            return None
        proc, self.cp = self.cp, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
            return None

    def stop(self):
        """Stops everything that runs; returns (cp exit code, dp exit code)."""
        cp_rc = self.stop_cp()
        dp_rc = None
        if self.dp is not None:
            if self.dp.poll() is None:
                self.dp.send_signal(signal.SIGINT)
            try:
                dp_rc = self.dp.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.dp.kill()
                self.dp.wait(timeout=5)
            self.dp = None
        run(os.path.join(ROOT, "deploy/netns.sh"), "down", self.prefix, check=False)
        return cp_rc, dp_rc

    @staticmethod
    def _died(proc, log, name):
        if proc.poll() is None:
            return None
        log.flush()
        log.seek(0)
        return f"{name} exited with {proc.returncode}:\n{log.read()[-6000:]}"

    def options(self, ns, src, dst):
        p = run(sys.executable, os.path.abspath(__file__), "options", src, f"{dst}:5060", "0.3",
                ns=ns, check=False)
        return p.returncode == 0

    def cp_output(self):
        self.cp_log.flush()
        self.cp_log.seek(0)
        return self.cp_log.read()

    # --- data plane ---
    def flowctl(self, *args, check=True):
        return run(FLOWCTL, "--instance", self.instance, *args, ns=self.ns_gw, check=check)

    def dp_stats(self):
        """Worker counters summed over the workers. Reads the stats blocks only: unlike `dump`,
        `stats` consumes no event from the ring trunkgate-cp reads its answers from."""
        total = {}
        for line in self.flowctl("stats").stdout.splitlines():
            if line.startswith("worker"):
                for k, v in parse_kv(line).items():
                    total[k] = total.get(k, 0) + int(v)
        return total

    # --- CDRs ---
    def cdr_offset(self):
        return os.path.getsize(self.cdr_path) if os.path.exists(self.cdr_path) else 0

    def cdrs_since(self, offset, count, timeout_s=10):
        """The CDR lines written after byte `offset`, once there are `count` of them (a CDR is
        written when the call ends, which may follow SIPp's exit by a data-plane round trip)."""
        def lines():
            if not os.path.exists(self.cdr_path):
                return []
            with open(self.cdr_path) as f:
                f.seek(offset)
                return [l for l in f.read().splitlines() if l.strip()]
        got = wait_until(f"{count} CDR line(s) in {self.cdr_path}",
                         lambda: len(lines()) >= count and lines(), timeout_s,
                         alive=lambda: self._died(self.cp, self.cp_log, "trunkgate-cp")
                         if self.cp else None)
        return [json.loads(l) for l in got]

    # --- SIPp in the namespaces ---
    def sipp_pbx(self, label, scenario, local_ip=PBX_IP, port=5060, media_port=6000, **kw):
        return Sipp(self.workdir, label, scenario, local_ip, port, media_port, ns=self.ns_pbx,
                    remote=kw.pop("remote", f"{GW_PBX_IP}:5060"), **kw)

    def sipp_carrier(self, label, scenario, local_ip=CARRIER_IP, port=5060, **kw):
        return Sipp(self.workdir, label, scenario, local_ip, port, 6000, ns=self.ns_car,
                    remote=kw.pop("remote", None), **kw)

    def sniffer(self, side):
        """Counts media from the gateway arriving in the PBX ("pbx") or carrier ("car")
        namespace."""
        ns, iface, src = ((self.ns_pbx, "pbx0", GW_PBX_IP) if side == "pbx"
                          else (self.ns_car, "car0", GW_CAR_IP))
        return Sniffer(ns, iface, src, os.path.join(self.workdir, f"sniff-{side}.json"))


if __name__ == "__main__":
    if sys.argv[1] == "sniff":
        sniff_main(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "options":
        sys.exit(options_main(sys.argv[2], sys.argv[3], float(sys.argv[4])))
    elif sys.argv[1] == "tls-relay":
        tls_relay_main(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], float(sys.argv[6]))
    else:
        sys.exit(f"usage: {sys.argv[0]} sniff IFACE SRC OUT | options SRC DST:PORT TIMEOUT_S | "
                 "tls-relay LISTEN CERT KEY TARGET MAX_S")
