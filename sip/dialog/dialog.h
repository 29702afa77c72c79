// A SIP dialog (RFC 3261 section 12) as seen by one side: its identity, route set, remote target
// and CSeq spaces; building in-dialog requests and checking the ones that arrive. Early dialogs
// come from 1xx responses with a To tag and are confirmed by the 2xx.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message/message.h"

namespace trunkgate::sip {

enum class DialogState { kEarly, kConfirmed };

class Dialog {
 public:
  // UAC: from the INVITE we sent and a 1xx (early) or 2xx (confirmed) response with a To tag.
  static std::optional<Dialog> CreateAsUac(const SipMessage& invite, const SipMessage& response);
  // UAS: from a received INVITE and the To tag of our response.
  static std::optional<Dialog> CreateAsUas(const SipMessage& invite, std::string_view local_tag,
                                           DialogState state);

  const std::string& call_id() const { return call_id_; }
  const std::string& local_tag() const { return local_tag_; }
  const std::string& remote_tag() const { return remote_tag_; }
  DialogState state() const { return state_; }
  const std::string& remote_target() const { return remote_target_; }
  const std::vector<std::string>& route_set() const { return route_set_; }
  std::uint32_t local_cseq() const { return local_cseq_; }

  // RFC 3261 12.2.1.1: a request within the dialog with the next local CSeq, Request-URI and
  // Route from the route set (loose or strict routing). The caller adds its Via (with a new
  // branch), and Contact for target refresh requests.
  SipMessage MakeRequest(std::string_view method);
  // The ACK for a 2xx to the INVITE with CSeq `invite_cseq` (13.2.2.4).
  SipMessage MakeAck(std::uint32_t invite_cseq) const;

  // 12.2.2: false when the request's CSeq is below the remote sequence (answer 500). Target
  // refresh requests (re-INVITE, UPDATE) replace the remote target with their Contact.
  bool OnRemoteRequest(const SipMessage& request);
  // A response to one of our requests in this dialog (or to the initial INVITE): a 2xx to INVITE
  // confirms an early dialog; 1xx/2xx to a target refresh request update the remote target.
  void OnResponse(const SipMessage& response);

 private:
  Dialog() = default;
  SipMessage Build(std::string_view method, std::uint32_t cseq) const;
  void RefreshTarget(const SipMessage& message);

  std::string call_id_;
  std::string local_tag_;
  std::string remote_tag_;
  std::string local_party_;   // our From value, tag included
  std::string remote_party_;  // our To value, tag included
  std::string remote_target_;
  std::vector<std::string> route_set_;  // name-addrs, in the order our requests traverse them
  std::uint32_t local_cseq_ = 0;
  std::optional<std::uint32_t> remote_cseq_;
  DialogState state_ = DialogState::kEarly;
};

// Methods whose requests and responses replace the remote target (RFC 3261 12.2, RFC 3311).
bool IsTargetRefresh(std::string_view method);

}  // namespace trunkgate::sip
