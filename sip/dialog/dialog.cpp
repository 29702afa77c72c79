#include "sip/dialog/dialog.h"

#include <algorithm>

namespace trunkgate::sip {
namespace {

std::vector<std::string> RecordRoutes(const SipMessage& message) {
  std::vector<std::string> routes;
  const auto elements = message.list(HeaderId::kRecordRoute);
  if (elements.ok()) routes.assign(elements->begin(), elements->end());
  return routes;
}

std::optional<std::string> ContactUri(const SipMessage& message) {
  const auto contacts = message.contacts();
  if (!contacts.ok() || contacts->empty() || contacts->front().is_star) return std::nullopt;
  return std::string(contacts->front().uri.text);
}

// A route entry whose URI lacks ;lr names a strict router (RFC 2543).
bool IsLooseRoute(std::string_view route) {
  const auto parsed = parse_name_addr(route);
  return parsed.ok() && parsed->uri.params.has("lr");
}

std::string RouteUri(std::string_view route) {
  const auto parsed = parse_name_addr(route);
  return parsed.ok() ? std::string(parsed->uri.text) : std::string(route);
}

}  // namespace

bool IsTargetRefresh(std::string_view method) {
  return method == "INVITE" || method == "UPDATE";
}

std::optional<Dialog> Dialog::CreateAsUac(const SipMessage& invite, const SipMessage& response) {
  const auto from = invite.from();
  const auto to = response.to();
  const auto cseq = invite.cseq();
  const auto target = ContactUri(response);
  const int code = response.status_code();
  if (!from.ok() || !to.ok() || !cseq.ok() || to->tag().empty() || code < 101 || code >= 300) {
    return std::nullopt;
  }
  Dialog dialog;
  dialog.call_id_ = invite.call_id();
  dialog.local_tag_ = from->tag();
  dialog.remote_tag_ = to->tag();
  dialog.local_party_ = invite.find(HeaderId::kFrom).value_or("");
  dialog.remote_party_ = response.find(HeaderId::kTo).value_or("");
  dialog.remote_target_ = target.value_or(std::string(invite.request_uri_text()));
  dialog.route_set_ = RecordRoutes(response);
  std::reverse(dialog.route_set_.begin(), dialog.route_set_.end());  // 12.1.2
  dialog.local_cseq_ = cseq->number;
  dialog.state_ = code < 200 ? DialogState::kEarly : DialogState::kConfirmed;
  return dialog;
}

std::optional<Dialog> Dialog::CreateAsUas(const SipMessage& invite, std::string_view local_tag,
                                          DialogState state) {
  const auto from = invite.from();
  const auto cseq = invite.cseq();
  const auto target = ContactUri(invite);
  if (!from.ok() || !cseq.ok() || !target || local_tag.empty()) return std::nullopt;
  Dialog dialog;
  dialog.call_id_ = invite.call_id();
  dialog.local_tag_ = local_tag;
  dialog.remote_tag_ = from->tag();
  dialog.local_party_ =
      std::string(invite.find(HeaderId::kTo).value_or("")) + ";tag=" + std::string(local_tag);
  dialog.remote_party_ = invite.find(HeaderId::kFrom).value_or("");
  dialog.remote_target_ = *target;
  dialog.route_set_ = RecordRoutes(invite);  // 12.1.1: in order
  dialog.remote_cseq_ = cseq->number;
  dialog.state_ = state;
  return dialog;
}

SipMessage Dialog::MakeRequest(std::string_view method) {
  return Build(method, ++local_cseq_);
}

SipMessage Dialog::MakeAck(std::uint32_t invite_cseq) const {
  return Build("ACK", invite_cseq);
}

SipMessage Dialog::Build(std::string_view method, std::uint32_t cseq) const {
  std::string request_uri = remote_target_;
  std::vector<std::string> routes = route_set_;
  if (!routes.empty() && !IsLooseRoute(routes.front())) {
    // 12.2.1.1 strict routing: the first route becomes the Request-URI, the target goes last.
    request_uri = RouteUri(routes.front());
    routes.erase(routes.begin());
    routes.push_back("<" + remote_target_ + ">");
  }
  SipMessage request = SipMessage::make_request(method, request_uri);
  for (const std::string& route : routes) request.add_header(HeaderId::kRoute, route);
  request.add_header(HeaderId::kMaxForwards, "70");
  request.add_header(HeaderId::kFrom, local_party_);
  request.add_header(HeaderId::kTo, remote_party_);
  request.add_header(HeaderId::kCallId, call_id_);
  request.add_header(HeaderId::kCSeq, std::to_string(cseq) + " " + std::string(method));
  return request;
}

bool Dialog::OnRemoteRequest(const SipMessage& request) {
  const auto cseq = request.cseq();
  if (!cseq.ok()) return false;
  const Method method = request.method();
  if (method != Method::kAck && method != Method::kCancel) {
    if (remote_cseq_ && cseq->number <= *remote_cseq_) return false;
    remote_cseq_ = cseq->number;
  }
  if (IsTargetRefresh(request.method_text())) RefreshTarget(request);
  return true;
}

void Dialog::OnResponse(const SipMessage& response) {
  const auto cseq = response.cseq();
  const int code = response.status_code();
  if (!cseq.ok() || code < 101 || code >= 300) return;
  if (cseq->method == "INVITE" && code >= 200) state_ = DialogState::kConfirmed;
  if (IsTargetRefresh(cseq->method)) RefreshTarget(response);
}

void Dialog::RefreshTarget(const SipMessage& message) {
  if (auto target = ContactUri(message)) remote_target_ = std::move(*target);
}

}  // namespace trunkgate::sip
