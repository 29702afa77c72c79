#!/usr/bin/env python3
"""A call whose media goes silent is ended by the gateway on both legs: the data plane reports
the flows' media timeout, trunkgate-cp sends BYE to the PBX and to the carrier, removes the flows
and writes the CDR. Namespaces tt-*, its own shm instance; SIPp sends no RTP at all here."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import b2bua_harness as h  # noqa: E402
from test_b2bua_netns import GatewayTest, expect_sipp_ok  # noqa: E402

MEDIA_TIMEOUT_S = 2


class SilentMediaGateway(h.Gateway):
    INSTANCE = "e2emt"

    def cp_config(self):
        return super().cp_config() + f"media: {{timeout_s: {MEDIA_TIMEOUT_S}}}\n"


class MediaTimeout(GatewayTest):
    PREFIX = "tt-"
    GATEWAY = SilentMediaGateway

    def test_silent_media_ends_the_call_on_both_legs(self):
        car = self.carrier("uas_call")            # answers, then waits for a BYE
        pbx = self.pbx("uac_bye_by_callee")       # the caller, too, waits for a BYE
        expect_sipp_ok(self, pbx, car)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assertEqual(cdr["ended_by"], "gateway", cdr)
        self.assertEqual(cdr["inbound"]["disconnect_cause"], "media timeout", cdr)
        self.assertEqual(cdr["outbound"]["disconnect_cause"], "media timeout", cdr)
        self.assertGreaterEqual(cdr["end_ms"] - cdr["answer_ms"], MEDIA_TIMEOUT_S * 1000, cdr)
        self.assert_flows_released()


if __name__ == "__main__":
    unittest.main(verbosity=2)
