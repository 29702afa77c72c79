#include "sip/transaction/transaction_layer.h"

#include <vector>

#include "sip/auth/digest_hash.h"
#include "sip/transaction/bad_request.h"
#include "sip/transaction/response_routing.h"
#include "sip/transaction/transaction_key.h"

namespace trunkgate::sip {

TransactionLayer::TransactionLayer(TimerScheduler& scheduler, MessageSender& sender,
                                   TransactionTimers timers, TransactionUser user,
                                   std::size_t max_server_transactions)
    : scheduler_(scheduler),
      sender_(sender),
      timers_(timers),
      user_(std::move(user)),
      max_server_transactions_(max_server_transactions) {}

TransactionLayer::~TransactionLayer() {
  if (reap_timer_ != 0) scheduler_.Cancel(reap_timer_);
}

void TransactionLayer::OnReceived(ReceivedMessage&& received) {
  auto parsed = SipMessage::parse(received.bytes);
  if (!parsed.ok()) {
    ++stats_.malformed;
    // Stateless: a retransmission of the same garbage gets the same answer again.
    const auto response = MakeBadRequestResponse(received.bytes, parsed.failure(), agent_host_);
    if (response) {
      sender_.Send(TransportTarget{received.protocol, received.source, received.connection, ""},
                   *response);
      ++stats_.bad_requests_answered;
    }
    return;
  }
  SipMessage message = std::move(parsed).value();
  if (message.is_request()) {
    OnRequest(std::move(message), received);
  } else {
    OnResponse(message);
  }
}

void TransactionLayer::OnRequest(SipMessage&& request, const ReceivedMessage& received) {
  if (!StampReceivedRequest(request, received.source)) {
    ++stats_.malformed;
    return;
  }
  const auto key = ServerTransactionKey(request);
  if (!key) {
    ++stats_.malformed;
    return;
  }
  if (const auto it = server_keys_.find(*key); it != server_keys_.end()) {
    ++stats_.retransmissions;
    servers_.at(it->second).transaction->OnRequest(request);
    return;
  }
  if (request.method() == Method::kAck) {
    if (user_.on_ack) user_.on_ack(request, received);
    return;
  }
  if (servers_.size() >= max_server_transactions_) {
    ++stats_.dropped_overload;
    return;
  }
  const bool is_cancel = request.method() == Method::kCancel;
  const ServerTransactionId id = CreateServer(*key, std::move(request), received);
  if (is_cancel) {
    AnswerCancel(id, servers_.at(id).transaction->request());
  } else if (user_.on_request) {
    user_.on_request(id, servers_.at(id).transaction->request(), received);
  }
}

void TransactionLayer::AnswerCancel(ServerTransactionId cancel, const SipMessage& request) {
  const auto invite_key = CancelledInviteKey(request);
  const auto invite = invite_key ? server_keys_.find(*invite_key) : server_keys_.end();
  const bool pending =
      invite != server_keys_.end() && !servers_.at(invite->second).transaction->answered();
  // RFC 3261 9.2: 200 for the CANCEL itself; 481 when there is nothing left to cancel.
  Respond(cancel, pending ? MakeResponse(request, 200, "OK")
                          : MakeResponse(request, 481, "Call/Transaction Does Not Exist"));
  if (pending && user_.on_cancel) user_.on_cancel(invite->second);
}

void TransactionLayer::OnResponse(const SipMessage& response) {
  const auto key = ClientTransactionKey(response);
  const auto it = key ? clients_.find(*key) : clients_.end();
  if (it == clients_.end() || it->second->terminated()) {
    ++stats_.stray_responses;
    if (user_.on_stray_response) user_.on_stray_response(response);
    return;
  }
  it->second->OnResponse(response);
}

ServerTransactionId TransactionLayer::CreateServer(const std::string& key, SipMessage&& request,
                                                   const ReceivedMessage& received) {
  const ServerTransactionId id = next_server_id_++;
  const TransportTarget target = ResponseTarget(request, received);
  auto on_failure = [this, id](std::string_view reason) {
    if (user_.on_server_failure) user_.on_server_failure(id, reason);
  };
  const TransactionContext context = Context([this, id] { ended_servers_.push_back(id); });
  std::unique_ptr<ServerTransaction> transaction;
  if (request.method() == Method::kInvite) {
    transaction =
        std::make_unique<InviteServerTransaction>(context, std::move(request), target, on_failure);
  } else {
    transaction = std::make_unique<NonInviteServerTransaction>(context, std::move(request), target,
                                                               on_failure);
  }
  servers_.emplace(id, Server{key, std::move(transaction)});
  server_keys_.emplace(key, id);
  return id;
}

bool TransactionLayer::SendRequest(SipMessage request, TransportTarget target,
                                   ClientTransactionUser user) {
  const auto key = ClientTransactionKey(request);
  if (!key || clients_.contains(*key)) return false;
  const TransactionContext context = Context([this, k = *key] { ended_clients_.push_back(k); });
  std::unique_ptr<ClientTransaction> transaction;
  if (request.method() == Method::kInvite) {
    transaction = std::make_unique<InviteClientTransaction>(context, std::move(request),
                                                            std::move(target), std::move(user));
  } else {
    transaction = std::make_unique<NonInviteClientTransaction>(context, std::move(request),
                                                               std::move(target), std::move(user));
  }
  ClientTransaction& started = *clients_.emplace(*key, std::move(transaction)).first->second;
  started.Start();
  return true;
}

bool TransactionLayer::Respond(ServerTransactionId id, const SipMessage& response) {
  const auto it = servers_.find(id);
  return it != servers_.end() && it->second.transaction->Respond(response);
}

void TransactionLayer::OnConnectionClosed(TransportProtocol protocol, const Endpoint& remote) {
  // Collected first: a user failing over starts new transactions, which may rehash clients_.
  // Terminated transactions are only reaped later, so the pointers stay valid.
  std::vector<ClientTransaction*> affected;
  for (auto& [key, transaction] : clients_) {
    const TransportTarget& target = transaction->target();
    if (target.protocol == protocol && target.endpoint == remote && transaction->awaiting_final()) {
      affected.push_back(transaction.get());
    }
  }
  for (ClientTransaction* transaction : affected) transaction->OnTransportError();
}

const SipMessage* TransactionLayer::ServerRequest(ServerTransactionId id) const {
  const auto it = servers_.find(id);
  return it == servers_.end() ? nullptr : &it->second.transaction->request();
}

TransactionContext TransactionLayer::Context(std::function<void()> remember_ended) {
  return TransactionContext{scheduler_, sender_, timers_,
                            [this, remember_ended = std::move(remember_ended)] {
                              remember_ended();
                              ScheduleReap();
                            }};
}

// Terminated transactions are removed from a fresh timer callback, never from inside their own
// call stack.
void TransactionLayer::ScheduleReap() {
  if (reap_timer_ != 0) return;
  reap_timer_ = scheduler_.Schedule(SteadyClock::duration::zero(), [this] {
    reap_timer_ = 0;
    Reap();
  });
}

// Only what ended is visited: a scan of every live transaction per reap made the cost of a call
// grow with the number of calls up (35% of trunkgate-cp's cycles at 500 calls per second).
void TransactionLayer::Reap() {
  for (const std::string& key : ended_clients_) clients_.erase(key);
  ended_clients_.clear();
  for (const ServerTransactionId id : ended_servers_) {
    const auto it = servers_.find(id);
    if (it == servers_.end()) continue;
    server_keys_.erase(it->second.key);
    servers_.erase(it);
  }
  ended_servers_.clear();
}

std::string NewBranch() {
  return "z9hG4bK" + RandomHex(12);
}

}  // namespace trunkgate::sip
