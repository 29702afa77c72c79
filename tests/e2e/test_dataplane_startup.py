#!/usr/bin/env python3
"""trunkgate-dp start-up and shutdown as an operator sees them: precise errors for a missing port,
a bad core list, too little memory and a bad configuration file; a clean stop on SIGTERM that
removes the shared memory. Every run is bounded by a timeout."""
import os
import subprocess
import tempfile
import time
import unittest

BUILD = os.environ.get("TG_BUILD", os.path.join(os.path.dirname(__file__), "../../build"))
DP = os.path.join(BUILD, "dataplane/app/trunkgate-dp")
FLOWCTL = os.path.join(BUILD, "tools/flowctl/trunkgate-flowctl")

BASE = """instance: {instance}
memory_mb: {memory}
hugepages: off
flows_per_worker: {flows}
interfaces:
  - name: a
    device: {device}
    tap: ""
    addresses: [192.0.2.1/24]
"""


def write_config(**kw):
    params = dict(instance="st%d" % os.getpid(), memory=128, flows=1024, device="net_null0")
    params.update(kw)
    f = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    f.write(BASE.format(**params))
    f.close()
    return f.name


def run_dp(*args, timeout=60):
    return subprocess.run([DP, *args], capture_output=True, text=True, timeout=timeout)


class StartupErrors(unittest.TestCase):
    def assert_fails_with(self, proc, rc, text):
        out = proc.stdout + proc.stderr
        self.assertEqual(proc.returncode, rc, out)
        self.assertIn(text, out)

    def test_missing_kernel_interface_for_af_packet(self):
        cfg = write_config(device="net_af_packet0,iface=tg-nosuchif")
        self.assert_fails_with(run_dp("--config", cfg), 1,
                               "interface 'a': kernel interface 'tg-nosuchif' does not exist")

    def test_device_that_cannot_be_created(self):
        cfg = write_config(device="net_nosuchdriver0")
        self.assert_fails_with(run_dp("--config", cfg), 1,
                               "interface 'a': cannot create device 'net_nosuchdriver0'")

    def test_bad_core_list(self):
        cfg = write_config()
        self.assert_fails_with(run_dp("--config", cfg, "--cpus", "0,4000"), 1,
                               "cpus: CPU 4000 does not exist or is not allowed")
        self.assert_fails_with(run_dp("--config", cfg, "--cpus", "0-"), 2,
                               "--cpus: '0-' is not a CPU list")

    def test_not_enough_memory(self):
        cfg = write_config(memory=64, flows=1 << 20)
        self.assert_fails_with(run_dp("--config", cfg), 1,
                               "out of DPDK memory for a flow table of 1048576 flows")

    def test_configuration_errors_have_file_line_and_column(self):
        cfg = write_config()
        with open(cfg, "a") as f:
            f.write("workers: 0\n")
        self.assert_fails_with(run_dp("--config", cfg), 2, cfg + ":10:10: workers: 0 is outside")
        self.assert_fails_with(run_dp("--config", "/nonexistent.yaml"), 2,
                               "/nonexistent.yaml: cannot read the configuration file")
        self.assert_fails_with(run_dp("--bogus"), 2, "unknown option '--bogus'")

    def test_check_config_accepts_the_embedded_default(self):
        p = run_dp("--check-config")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("embedded default: OK", p.stdout)


def start_dp(cfg, instance):
    """Starts trunkgate-dp and waits (bounded) until a client can attach."""
    log = tempfile.TemporaryFile("w+")
    dp = subprocess.Popen([DP, "--config", cfg], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and dp.poll() is None:
        if subprocess.run([FLOWCTL, "--instance", instance, "stats"],
                          capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    return dp, log


class FlowctlAgainstARunningDataPlane(unittest.TestCase):
    def test_dump_reaches_every_worker_even_with_a_tiny_port_range(self):
        # One RTP/RTCP port pair, two workers: worker 1 owns no media port, yet its dump must be
        # routed to it and answered.
        instance = "dw%d" % os.getpid()
        cfg = write_config(instance=instance)
        with open(cfg, "a") as f:
            f.write("workers: 2\nmedia_ports: 20000-20001\nworker_idle_sleep_us: 100\n")
        dp, log = start_dp(cfg, instance)
        try:
            self.assertIsNone(dp.poll(), "trunkgate-dp exited early")
            p = subprocess.run([FLOWCTL, "--instance", instance, "dump"], capture_output=True,
                               text=True, timeout=20)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertEqual(p.stdout.count("dump-done"), 2, p.stdout)
        finally:
            dp.terminate()
            dp.wait(timeout=30)
            log.close()


class TapAddresses(unittest.TestCase):
    """Every configured address ends up on the TAP: the ioctl the data plane used replaced an
    interface's IPv4 address, so with two only the last was there and SIP could not bind the
    first."""

    def test_every_address_of_an_interface_is_on_its_tap(self):
        netns = "ts-a%d" % (os.getpid() % 100000)
        instance = "ta%d" % os.getpid()
        cfg = write_config(instance=instance)
        with open(cfg) as f:
            text = f.read().replace('tap: ""', "tap: tsaddr0").replace(
                "addresses: [192.0.2.1/24]",
                "addresses: [192.0.2.1/24, 192.0.2.2/24, 2001:db8:1::1/64, 2001:db8:1::2/64]")
        with open(cfg, "w") as f:
            f.write(text)
        subprocess.run(["ip", "netns", "add", netns], check=True)
        dp = log = None
        try:
            log = tempfile.TemporaryFile("w+")
            dp = subprocess.Popen(["ip", "netns", "exec", netns, DP, "--config", cfg],
                                  stdout=log, stderr=subprocess.STDOUT)
            want = {"192.0.2.1/24", "192.0.2.2/24", "2001:db8:1::1/64", "2001:db8:1::2/64"}
            seen = set()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and dp.poll() is None and not want <= seen:
                out = subprocess.run(["ip", "-n", netns, "-o", "addr", "show", "dev", "tsaddr0"],
                                     capture_output=True, text=True).stdout
                seen = {line.split()[3] for line in out.splitlines()}
                time.sleep(0.1)
            log.seek(0)
            self.assertTrue(want <= seen, f"on the TAP: {sorted(seen)}\n{log.read()}")
        finally:
            if dp is not None:
                dp.terminate()
                dp.wait(timeout=30)
            if log is not None:
                log.close()
            subprocess.run(["ip", "netns", "del", netns])


class Shutdown(unittest.TestCase):
    def test_sigterm_drains_and_removes_the_shared_memory(self):
        instance = "sd%d" % os.getpid()
        cfg = write_config(instance=instance)
        dp, log = start_dp(cfg, instance)
        shm = "/dev/shm/trunkgate-" + instance
        self.assertIsNone(dp.poll(), "trunkgate-dp exited early")
        self.assertTrue(os.path.exists(shm))
        dp.terminate()
        self.assertEqual(dp.wait(timeout=30), 0)
        log.seek(0)
        out = log.read()
        self.assertIn("stopping: draining workers and releasing ports", out)
        self.assertIn("worker 0: rx=", out)
        self.assertIn("stopped", out)
        self.assertFalse(os.path.exists(shm), "shared memory left behind")


if __name__ == "__main__":
    unittest.main(verbosity=2)
