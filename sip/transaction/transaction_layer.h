// The transaction layer: parses what the transports deliver, matches it to transactions (RFC 3261
// 17.1.3/17.2.3, RFC 2543 fallback), creates server transactions for new requests, answers
// CANCEL (200 and the TU is told, or 481), and runs the client transactions the TU starts.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sip/message/message.h"
#include "sip/transaction/client_transaction.h"
#include "sip/transaction/hop_request.h"
#include "sip/transaction/server_transaction.h"

namespace trunkgate::sip {

using ServerTransactionId = std::uint64_t;

struct TransactionUser {
  // A new request with its own server transaction; answer with TransactionLayer::Respond().
  std::function<void(ServerTransactionId id, const SipMessage& request,
                     const ReceivedMessage& received)>
      on_request;
  // A CANCEL matched the pending INVITE `invite`: the CANCEL got its 200; the TU answers the
  // INVITE (normally 487).
  std::function<void(ServerTransactionId invite)> on_cancel;
  // An ACK that matches no transaction: the ACK for a 2xx, which belongs to the dialog.
  std::function<void(const SipMessage& ack, const ReceivedMessage& received)> on_ack;
  // A response that matches no client transaction (2xx retransmissions after it ended).
  std::function<void(const SipMessage& response)> on_stray_response;
  // A server transaction failed (timer H without ACK, or transport error).
  std::function<void(ServerTransactionId id, std::string_view reason)> on_server_failure;
};

struct TransactionStats {
  std::uint64_t malformed = 0;        // did not parse, or without Via/CSeq to match on
  std::uint64_t bad_requests_answered = 0;  // malformed requests answered with 400
  std::uint64_t retransmissions = 0;  // requests absorbed by an existing server transaction
  std::uint64_t stray_responses = 0;
  std::uint64_t dropped_overload = 0;  // new requests over max_server_transactions
};

class TransactionLayer {
 public:
  // Beyond `max_server_transactions` live server transactions, new requests are dropped (and
  // counted): a flood of distinct requests costs bounded memory; their senders retransmit.
  TransactionLayer(TimerScheduler& scheduler, MessageSender& sender, TransactionTimers timers,
                   TransactionUser user, std::size_t max_server_transactions = 65536);
  ~TransactionLayer();

  // Feed from the transports.
  void OnReceived(ReceivedMessage&& received);

  // Starts a client transaction. The request's top Via must carry a unique branch (NewBranch()).
  // False if it has none.
  bool SendRequest(SipMessage request, TransportTarget target, ClientTransactionUser user);
  bool Respond(ServerTransactionId id, const SipMessage& response);
  // A TCP/TLS connection to `remote` closed (StreamTransport's ClosedHandler): the client
  // transactions still waiting for a final response over it fail with a transport error, so
  // their users can fail over (RFC 3263 4.3).
  void OnConnectionClosed(TransportProtocol protocol, const Endpoint& remote);
  const SipMessage* ServerRequest(ServerTransactionId id) const;

  std::size_t client_count() const { return clients_.size(); }
  std::size_t server_count() const { return servers_.size(); }
  const TransactionStats& stats() const { return stats_; }
  // The host named in the Warning header of 400s for unparseable requests.
  void SetAgentHost(std::string host) { agent_host_ = std::move(host); }

 private:
  struct Server {
    std::string key;
    std::unique_ptr<ServerTransaction> transaction;
  };

  void OnRequest(SipMessage&& request, const ReceivedMessage& received);
  void OnResponse(const SipMessage& response);
  ServerTransactionId CreateServer(const std::string& key, SipMessage&& request,
                                   const ReceivedMessage& received);
  void AnswerCancel(ServerTransactionId cancel, const SipMessage& request);
  // `remember_ended` records the transaction for the next Reap() when it terminates.
  TransactionContext Context(std::function<void()> remember_ended);
  void ScheduleReap();
  void Reap();

  TimerScheduler& scheduler_;
  MessageSender& sender_;
  TransactionTimers timers_;
  TransactionUser user_;
  std::size_t max_server_transactions_;
  std::unordered_map<std::string, std::unique_ptr<ClientTransaction>> clients_;
  std::map<ServerTransactionId, Server> servers_;
  std::unordered_map<std::string, ServerTransactionId> server_keys_;
  std::vector<std::string> ended_clients_;  // keys of terminated client transactions
  std::vector<ServerTransactionId> ended_servers_;
  ServerTransactionId next_server_id_ = 1;
  TimerId reap_timer_ = 0;
  TransactionStats stats_;
  std::string agent_host_ = "trunkgate";
};

// A branch with the RFC 3261 magic cookie and 96 random bits.
std::string NewBranch();

}  // namespace trunkgate::sip
