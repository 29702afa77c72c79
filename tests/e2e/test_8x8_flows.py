#!/usr/bin/env python3
"""End to end: spec 000's call flows (8x8 SIP trunking, "Call Flow Examples") replayed through
trunkgate-cp + trunkgate-dp with SIPp, the spec's messages (compact headers) adapted to the test
addresses. The gateway with its PBX plays the spec's "SIP trunking client"; SIPp in the carrier
namespace plays 8x8, SIPp in the PBX namespace the PBX.

Outbound (PBX -> 8x8): 407 on the INVITE, answered with the trunk's credentials (digest
recomputed here), Record-Route and Contact honoured in the ACK, 8x8's BYE with two Vias answered.
Inbound (8x8 -> PBX): compact INVITE with two Vias, Remote-Party-ID, Record-Route, G.729+PCMU
offer; the 200 echoes both, the PBX gets the caller as P-Asserted-Identity, the PBX's BYE reaches
8x8's Contact through its Record-Route. The scenario pairs are checked on loopback by
test_b2bua_netns.ScenarioPairsOnLoopback. Needs root; bounded in time.
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import b2bua_harness as h  # noqa: E402
from test_b2bua_netns import GatewayTest, check_digest, header, requests  # noqa: E402


def branch(message):
    return re.search(r"branch=([^;,\s]+)", header(message, "Via", "v")[0]).group(1)


class EightByEightFlows(GatewayTest):
    PREFIX = "t8-"

    def test_outbound_call_with_407_and_bye_from_8x8(self):
        eight = self.carrier("uas_8x8_outbound", user=h.CARRIER_USER, pause_ms=300, label="8x8")
        pbx = self.pbx("uac_8x8_outbound", service="15559871234",
                       extra_args=["-cid_str", "8bf4c4-c0541341-13c4-48b07046-ad792eb-2bfd4e56@%s"])
        for s in (pbx, eight):
            s.wait()
        for s in (pbx, eight):
            self.assertEqual(s.rc, 0, s.report())
        received = eight.messages("received")
        invites, acks = requests(received, "INVITE"), requests(received, "ACK")
        self.assertEqual(len(invites), 2, invites)
        # The retried INVITE: the trunk's credentials, a correct MD5 digest for 8x8's nonce
        # (spec 000 "Authentication"), same Call-ID, a higher CSeq (RFC 3261 22.2, 8.1.3.5).
        check_digest(self, invites[1], h.CARRIER_USER, h.CARRIER_PASSWORD)
        self.assertEqual(header(invites[0], "Call-ID", "i"), header(invites[1], "Call-ID", "i"))
        cseq = [int(header(m, "CSeq")[0].split()[0]) for m in invites]
        self.assertGreater(cseq[1], cseq[0])
        # The ACK for the 407 belongs to the first INVITE's transaction (RFC 3261 17.1.1.3).
        self.assertEqual(branch(acks[0]), branch(invites[0]))
        # Spec 000: E.164 numbers only; the From is one of the account's DIDs.
        self.assertRegex(invites[1].splitlines()[0], r"^INVITE (sip|tel):\+?15559871234[@;]")
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assertEqual(cdr["ended_by"], "outbound", cdr)
        self.assert_leg(cdr["inbound"], "pbx")
        self.assert_leg(cdr["outbound"], "carrier")
        self.assertEqual(cdr["outbound"]["codec"], "PCMU", cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [eight])

    def test_inbound_call_with_bye_from_the_pbx(self):
        pbx = self.pbx_uas("uas_8x8_inbound", identity_header="P-Asserted-Identity",
                           pause_ms=300)
        eight = self.carrier_uac("uac_8x8_inbound", "14447895432", label="8x8",
                                 extra_args=["-cid_str", "SFOMGC0120080823203451008257@%s"])
        for s in (eight, pbx):
            s.wait()
        for s in (eight, pbx):
            self.assertEqual(s.rc, 0, s.report())
        (invite,) = requests(pbx.messages("received"), "INVITE")
        # The PBX trunk writes the caller its way: P-Asserted-Identity, not 8x8's RPID.
        self.assertFalse(header(invite, "Remote-Party-ID"), invite)
        (cdr,) = self.cdrs(1)
        self.assertEqual(cdr["final_status"], 200, cdr)
        self.assertEqual(cdr["ended_by"], "outbound", cdr)
        self.assertIn("15551231234", cdr["calling"], cdr)
        self.assertIn("14447895432", cdr["called"], cdr)
        self.assert_leg(cdr["inbound"], "carrier")
        self.assert_leg(cdr["outbound"], "pbx")
        self.assertEqual(cdr["inbound"]["codec"], "PCMU", cdr)
        self.assert_flows_released()
        self.assert_no_leaks([pbx], [eight])


if __name__ == "__main__":
    unittest.main(verbosity=2)
