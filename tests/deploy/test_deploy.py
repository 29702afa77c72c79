#!/usr/bin/env python3
"""deploy/: the systemd units pass `systemd-analyze verify` (with their binaries pointed at this
build) and keep the dependencies the design needs (the control plane bound to the data plane,
never the reverse); the example data-plane configuration passes `trunkgate-dp --check-config`;
setup-dpdk-host.sh refuses, before touching anything, what must not be bound (run with
--dry-run only: this test never binds a device).
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")
BUILD = os.environ.get("TG_BUILD", os.path.join(ROOT, "build"))
DP = os.path.join(BUILD, "dataplane/app/trunkgate-dp")
CP = os.path.join(BUILD, "controlplane/app/trunkgate-cp")
UNITS = os.path.join(ROOT, "deploy/systemd")
SETUP = os.path.join(ROOT, "deploy/setup-dpdk-host.sh")


def unit_settings(path):
    """{section: {key: [values...]}} of a unit file (keys may repeat)."""
    out, section = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"\[(\w+)\]", line)
            if m:
                section = out.setdefault(m.group(1), {})
                continue
            key, value = line.split("=", 1)
            section.setdefault(key, []).append(value)
    return out


def words(settings, section, key):
    return " ".join(settings.get(section, {}).get(key, [])).split()


class SystemdUnits(unittest.TestCase):
    def test_units_verify(self):
        analyze = shutil.which("systemd-analyze")
        self.assertIsNotNone(analyze, "systemd-analyze missing (package systemd, install-deps.sh)")
        for binary in (DP, CP):
            self.assertTrue(os.path.exists(binary), f"build {binary} first")
        with tempfile.TemporaryDirectory() as tmp:
            names = sorted(n for n in os.listdir(UNITS) if n.endswith(".service"))
            self.assertEqual(names, ["trunkgate-cp.service", "trunkgate-dp.service",
                                     "trunkgate-host-setup.service"])
            for name in names:
                with open(os.path.join(UNITS, name)) as f:
                    text = f.read()
                # The installed paths, pointed at this build and this checkout.
                text = text.replace("/usr/local/bin/trunkgate-dp", DP)
                text = text.replace("/usr/local/bin/trunkgate-cp", CP)
                text = text.replace("/usr/local/lib/trunkgate/", os.path.join(ROOT, "deploy/"))
                with open(os.path.join(tmp, name), "w") as f:
                    f.write(text)
            p = subprocess.run([analyze, "verify"] + [os.path.join(tmp, n) for n in names],
                               capture_output=True, text=True, timeout=60, cwd=tmp)
            # verify warns on stderr (unknown keys, bad values, missing binaries) and may still
            # exit 0: both must be clean.
            self.assertEqual((p.returncode, p.stdout + p.stderr), (0, ""))

    def test_control_plane_follows_the_data_plane_never_the_reverse(self):
        cp = unit_settings(os.path.join(UNITS, "trunkgate-cp.service"))
        dp = unit_settings(os.path.join(UNITS, "trunkgate-dp.service"))
        self.assertIn("trunkgate-dp.service", words(cp, "Unit", "BindsTo"))
        self.assertIn("trunkgate-dp.service", words(cp, "Unit", "After"))
        self.assertIn("trunkgate-dp.service", words(cp, "Install", "WantedBy"))
        for key in ("Requires", "BindsTo", "Wants", "PartOf", "Requisite", "After"):
            self.assertNotIn("trunkgate-cp.service", words(dp, "Unit", key), key)
        self.assertIn("trunkgate-host-setup.service", words(dp, "Unit", "After"))
        for unit in (cp, dp):
            self.assertEqual(words(unit, "Service", "Restart"), ["on-failure"])

    def test_capabilities(self):
        cp = unit_settings(os.path.join(UNITS, "trunkgate-cp.service"))
        dp = unit_settings(os.path.join(UNITS, "trunkgate-dp.service"))
        self.assertEqual(words(cp, "Service", "CapabilityBoundingSet"), [])
        self.assertEqual(sorted(words(dp, "Service", "CapabilityBoundingSet")),
                         ["CAP_IPC_LOCK", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_SYS_RAWIO"])
        self.assertEqual(words(dp, "Service", "LimitMEMLOCK"), ["infinity"])
        self.assertNotIn("CAP_SYS_ADMIN", words(dp, "Service", "AmbientCapabilities"))


class DataplaneExample(unittest.TestCase):
    def test_pci_example_is_a_valid_configuration(self):
        path = os.path.join(ROOT, "deploy/examples/dataplane/dp-pci.yaml")
        p = subprocess.run([DP, "--config", path, "--check-config"], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


class SetupDpdkHost(unittest.TestCase):
    def dry_run(self, *args):
        return subprocess.run([SETUP, "--dry-run"] + list(args), capture_output=True, text=True,
                              timeout=60)

    def refused(self, args, message):
        p = self.dry_run(*args)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn(message, p.stderr)
        self.assertNotIn("would run", p.stdout)  # refused before planning anything

    def test_refuses_bad_input(self):
        self.refused([], "no PCI address given")
        self.refused(["3b:00.0"], "is not a PCI address of the form")
        self.refused(["--driver", "igb_uio", "0000:00:00.0"], "is not vfio-pci or uio_pci_generic")
        self.refused(["--hugepages", "many", "0000:00:00.0"], "is not a number")
        missing = next(f"0000:ff:1f.{i}" for i in range(8)
                       if not os.path.exists(f"/sys/bus/pci/devices/0000:ff:1f.{i}"))
        self.refused([missing], "no such PCI device")

    def test_refuses_devices_that_are_not_nics_or_in_use(self):
        status = subprocess.run(["dpdk-devbind.py", "--status-dev", "net"], capture_output=True,
                                text=True, timeout=60).stdout
        nics = set(re.findall(r"^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) ", status, re.M))
        devices = sorted(os.listdir("/sys/bus/pci/devices"))
        other = [d for d in devices if d not in nics]
        active = re.findall(r"^(\S+) .*\*Active\*", status, re.M)
        self.assertTrue(other or active, "no PCI device here to check the refusals with")
        if other:
            self.refused([other[0]], "not a network device")
        for dev in active:  # the interface this machine talks through
            self.refused([dev], "in use by the kernel")


if __name__ == "__main__":
    unittest.main(verbosity=2)
