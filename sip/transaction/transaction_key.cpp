#include "sip/transaction/transaction_key.h"

namespace trunkgate::sip {
namespace {

std::string SentBy(const Via& via) {
  return std::string(via.host) + ":" + std::to_string(via.has_port ? via.port : 0);
}

std::optional<std::string> KeyFor(const SipMessage& request, std::string_view method) {
  const auto via = request.top_via();
  const auto cseq = request.cseq();
  if (!via.ok() || !cseq.ok()) return std::nullopt;
  // An ACK belongs to the INVITE transaction it acknowledges.
  if (method == "ACK") method = "INVITE";
  if (via->is_rfc3261_branch()) {
    return "3261|" + std::string(via->branch()) + "|" + SentBy(*via) + "|" + std::string(method);
  }
  const auto from = request.from();
  if (!from.ok()) return std::nullopt;
  return "2543|" + std::string(request.request_uri_text()) + "|" + std::string(from->tag()) + "|" +
         std::string(request.call_id()) + "|" + std::to_string(cseq->number) + "|" +
         std::string(method) + "|" + SentBy(*via) + std::string(via->params.raw());
}

}  // namespace

std::optional<std::string> ServerTransactionKey(const SipMessage& request) {
  return KeyFor(request, request.method_text());
}

std::optional<std::string> CancelledInviteKey(const SipMessage& cancel) {
  return KeyFor(cancel, "INVITE");
}

std::optional<std::string> ClientTransactionKey(const SipMessage& message) {
  const auto via = message.top_via();
  const auto cseq = message.cseq();
  if (!via.ok() || !cseq.ok() || via->branch().empty()) return std::nullopt;
  return std::string(via->branch()) + "|" + std::string(cseq->method);
}

}  // namespace trunkgate::sip
