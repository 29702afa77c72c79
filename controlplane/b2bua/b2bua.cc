#include "controlplane/b2bua/b2bua.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>

#include "controlplane/b2bua/sip_responses.h"
#include "controlplane/logging/log_fields.h"
#include "sip/transaction/response_routing.h"

namespace trunkgate::cp {
namespace {

std::string leg_key(std::string_view call_id, std::string_view tag) {
  std::string key;
  key.reserve(call_id.size() + tag.size() + 1);
  key.append(call_id).push_back('\n');
  key.append(tag);
  return key;
}

std::string random_hex(size_t bytes) {
  unsigned char raw[16];
  RAND_bytes(raw, static_cast<int>(bytes));
  std::string out;
  char buf[3];
  for (size_t i = 0; i < bytes; ++i) {
    std::snprintf(buf, sizeof(buf), "%02x", raw[i]);
    out += buf;
  }
  return out;
}

}  // namespace

B2bua::B2bua(B2buaServices services)
    : services_(std::move(services)),
      classifier_(std::make_unique<InboundClassifier>(services_.config->trunks)),
      authenticator_(
          std::make_unique<InboundAuthenticator>(services_.config->trunks, InboundAuthConfig{})),
      hostile_log_(services_.config->hostile_log_lines,
                   std::chrono::seconds(services_.config->hostile_log_interval_s)),
      gateway_limiter_(services_.config->limits),
      tag_seed_(random_hex(6)) {}

B2bua::~B2bua() = default;

// The classifier and authenticator point into the configuration: rebuilt with it. Limiters are
// kept (their counts are calls in progress) and given the new limits; digest clients are dropped
// so that changed credentials are used from the next challenge on.
void B2bua::reconfigure(std::shared_ptr<const CpConfig> config) {
  services_.config = std::move(config);
  classifier_ = std::make_unique<InboundClassifier>(services_.config->trunks);
  authenticator_ =
      std::make_unique<InboundAuthenticator>(services_.config->trunks, InboundAuthConfig{});
  gateway_limiter_.set_limits(services_.config->limits);
  for (auto& [name, limiter] : trunk_limiters_)
    if (const Trunk* t = services_.config->trunk(name)) limiter.set_limits(t->limits);
  digest_.clear();
}

bool B2bua::hangup(uint64_t id, const std::string& cause) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return false;
  std::shared_ptr<Call> call = it->second;  // end() may forget it
  call->end(cause, 503);
  return true;
}

sip::TransactionUser B2bua::transaction_user() {
  sip::TransactionUser user;
  user.on_request = [this](sip::ServerTransactionId tx, const sip::SipMessage& request,
                           const sip::ReceivedMessage& received) {
    on_request(tx, request, received);
  };
  user.on_cancel = [this](sip::ServerTransactionId invite) { on_cancel(invite); };
  user.on_ack = [this](const sip::SipMessage& ack, const sip::ReceivedMessage&) { on_ack(ack); };
  user.on_stray_response = [this](const sip::SipMessage& r) { on_stray_response(r); };
  user.on_server_failure = [](sip::ServerTransactionId, std::string_view reason) {
    logkv::debug("server transaction failed", "reason", reason);
  };
  user.on_malformed = [this](const sip::ReceivedMessage& received, std::string_view what) {
    hostile_log_.report(HostileInput::kMalformedSip, "malformed SIP dropped", "source",
                        received.source.ToString(), "error", what);
  };
  return user;
}

// Tags and Call-IDs carry a per-process random seed and a counter: unique without a random draw
// per call, and never derived from anything a peer sent (topology hiding).
std::string B2bua::new_tag() {
  return tag_seed_ + std::to_string(++tag_counter_);
}

std::string B2bua::new_call_id() {
  return random_hex(8) + "-" + std::to_string(++tag_counter_) + "@trunkgate";
}

void B2bua::reject(sip::ServerTransactionId tx, const sip::SipMessage& request, int status,
                   std::string_view reason, unsigned retry_after_s) {
  sip::SipMessage response = make_local_response(request, status, reason, new_tag());
  if (retry_after_s > 0)
    response.add_header(sip::HeaderId::kRetryAfter, std::to_string(retry_after_s));
  sip().transactions().Respond(tx, response);
}

// A call attempt refused before it became a call still gets its CDR (one line per attempt).
void B2bua::refuse(sip::ServerTransactionId tx, const sip::SipMessage& request, const Trunk& trunk,
                   const CallIdentity* identity, int status, std::string_view reason,
                   unsigned retry_after_s, std::string_view why) {
  reject(tx, request, status, reason, retry_after_s);
  CdrRecord r;
  r.id = std::to_string(next_call_++);
  logkv::info("call refused", "call", r.id, "trunk", trunk.name, "status", status, "why", why);
  stats_.calls.inbound_result(trunk.name, status);
  r.setup_ms = r.end_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  if (identity != nullptr) {
    r.calling = identity->calling;
    r.called = identity->called.e164();
  }
  r.final_status = status;
  r.ended_by = "gateway";
  r.inbound.trunk = trunk.name;
  r.inbound.call_id = std::string(request.call_id());
  r.inbound.disconnect_cause = std::to_string(status) + " " + std::string(reason);
  services_.cdr.write(r);
}

void B2bua::on_request(sip::ServerTransactionId tx, const sip::SipMessage& request,
                       const sip::ReceivedMessage& received) {
  auto to = request.to();
  const std::string_view to_tag = to ? to->tag() : std::string_view{};
  if (to_tag.empty()) {
    if (request.method() == sip::Method::kInvite) return on_new_invite(tx, request, received);
    return on_out_of_dialog(tx, request);
  }
  InboundOrOutbound side;
  if (auto call = find(std::string(request.call_id()), to_tag, &side)) {
    call->on_request(side, tx, request);
    return;
  }
  ++stats_.in_dialog_unknown;
  reject(tx, request, 481, "Call/Transaction Does Not Exist");
}

void B2bua::on_out_of_dialog(sip::ServerTransactionId tx, const sip::SipMessage& request) {
  switch (request.method()) {
    case sip::Method::kOptions: {  // keepalive from a peer: we are up (RFC 3261 11.2)
      sip::SipMessage ok = make_local_response(request, 200, "OK", new_tag());
      add_capabilities(ok);
      sip().transactions().Respond(tx, ok);
      return;
    }
    case sip::Method::kAck:
      return;  // never answered
    default: {
      // No registrar, no presence: a PBX that registers or subscribes is told so precisely.
      sip::SipMessage refused = make_local_response(request, 405, "Method Not Allowed", new_tag());
      add_capabilities(refused);
      sip().transactions().Respond(tx, refused);
    }
  }
}

CallLimiter& B2bua::trunk_limiter(const Trunk& trunk) {
  auto it = trunk_limiters_.find(trunk.name);
  if (it == trunk_limiters_.end()) it = trunk_limiters_.emplace(trunk.name, trunk.limits).first;
  return it->second;
}

void B2bua::on_new_invite(sip::ServerTransactionId tx, const sip::SipMessage& request,
                          const sip::ReceivedMessage& received) {
  ++stats_.calls_offered;
  if (draining_) {
    ++stats_.rejected_draining;
    return reject(tx, request, 503, "Service Unavailable", 60);
  }
  const Trunk* trunk = recognise(tx, request, received);
  if (trunk == nullptr) return;
  stats_.calls.inbound_attempt(trunk->name);
  IdentityResult identity = read_identity(request, *trunk);
  if (!identity.identity) {
    ++stats_.rejected_number;
    const int status = identity.sip_status ? identity.sip_status : 404;
    return refuse(tx, request, *trunk, nullptr, status,
                  status == 484 ? "Address Incomplete" : "Not Found", 0, identity.detail);
  }
  const CallIdentity& who = *identity.identity;
  const bool emergency = who.called.cls == NumberClass::kEmergency;
  const Route* route = config().route_table.match(who.called);
  if (route == nullptr) {
    ++stats_.rejected_no_route;
    return refuse(tx, request, *trunk, &who, 404, "No Route", 0, "no route for the number");
  }
  const auto now = std::chrono::steady_clock::now();
  unsigned retry = 0;
  const Admission gateway = gateway_limiter_.begin_call(emergency, now, retry);
  if (gateway != Admission::kAdmitted) {
    ++stats_.rejected_overload;
    return refuse(tx, request, *trunk, &who, 503, "Service Unavailable", std::max(1u, retry),
                  "gateway " + std::string(to_string(gateway)));
  }
  const Admission inbound = trunk_limiter(*trunk).begin_call(emergency, now, retry);
  if (inbound != Admission::kAdmitted) {
    gateway_limiter_.end_call();
    ++stats_.rejected_overload;
    return refuse(tx, request, *trunk, &who, 503, "Service Unavailable", std::max(1u, retry),
                  "trunk " + std::string(to_string(inbound)));
  }
  const uint64_t id = next_call_++;
  auto call = std::make_shared<Call>(*this, services_.config, id, std::move(*identity.identity),
                                     route, emergency);
  InboundLeg& in = call->inbound();
  in.trunk = trunk;
  in.invite_tx = tx;
  in.invite = request;
  in.target = sip::ResponseTarget(request, received);
  in.call_id = std::string(request.call_id());
  in.local_tag = new_tag();
  logkv::debug("call started", "call", id, "trunk", trunk->name, "sip_call_id", in.call_id);
  calls_.emplace(id, call);
  pending_invites_.emplace(tx, id);
  bind_leg(in.call_id, in.local_tag, id, InboundOrOutbound::kInbound);
  call->start();
}

const Trunk* B2bua::recognise(sip::ServerTransactionId tx, const sip::SipMessage& request,
                              const sip::ReceivedMessage& received) {
  const Trunk* by_source = classifier_->match_source(received.source);
  if (by_source != nullptr && !by_source->challenge_inbound) return by_source;
  const bool any_challenge = std::any_of(config().trunks.begin(), config().trunks.end(),
                                         [](const Trunk& t) { return t.challenge_inbound; });
  if (by_source == nullptr && !any_challenge) {
    ++stats_.rejected_unknown_source;
    hostile_log_.report(HostileInput::kUnknownSource, "INVITE from a source of no trunk: 403",
                        "source", received.source.ToString());
    reject(tx, request, 403, "Forbidden");
    return nullptr;
  }
  InboundAuthResult auth = authenticator_->check(request, by_source, new_tag());
  if (auth.kind == InboundAuthResult::Kind::kAuthenticated) return auth.trunk;
  if (auth.kind == InboundAuthResult::Kind::kReject) {
    ++stats_.rejected_unknown_source;
    hostile_log_.report(HostileInput::kAuthFailure, "INVITE failed digest authentication", "source",
                        received.source.ToString(), "status",
                        auth.response ? auth.response->status_code() : 0);
  }
  if (auth.response) sip().transactions().Respond(tx, *auth.response);
  return nullptr;
}

void B2bua::on_cancel(sip::ServerTransactionId invite) {
  auto it = pending_invites_.find(invite);
  if (it == pending_invites_.end()) return;
  auto call = calls_.find(it->second);
  if (call != calls_.end()) call->second->on_inbound_cancel();
}

void B2bua::on_ack(const sip::SipMessage& ack) {
  auto to = ack.to();
  if (!to) return;
  InboundOrOutbound side;
  if (auto call = find(std::string(ack.call_id()), to->tag(), &side)) call->on_ack(side, ack);
}

void B2bua::on_stray_response(const sip::SipMessage& response) {
  auto from = response.from();
  if (!from) return;
  InboundOrOutbound side;
  if (auto call = find(std::string(response.call_id()), from->tag(), &side))
    call->on_stray_response(response);
}

std::shared_ptr<Call> B2bua::find(const std::string& call_id, std::string_view local_tag,
                                  InboundOrOutbound* side) {
  auto leg = legs_.find(leg_key(call_id, local_tag));
  if (leg == legs_.end()) return nullptr;
  auto call = calls_.find(leg->second.call);
  if (call == calls_.end()) return nullptr;
  *side = leg->second.side;
  return call->second;
}

void B2bua::bind_leg(const std::string& call_id, const std::string& local_tag, uint64_t call,
                     InboundOrOutbound side) {
  legs_[leg_key(call_id, local_tag)] = LegRef{call, side};
}

void B2bua::unbind_leg(const std::string& call_id, const std::string& local_tag) {
  legs_.erase(leg_key(call_id, local_tag));
}

void B2bua::forget(uint64_t id) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return;
  Call& call = *it->second;
  unbind_leg(call.inbound().call_id, call.inbound().local_tag);
  if (!call.outbound().call_id.empty())
    unbind_leg(call.outbound().call_id, call.outbound().local_tag);
  pending_invites_.erase(call.inbound().invite_tx);
  gateway_limiter_.end_call();
  trunk_limiter(*call.inbound().trunk).end_call();
  ++stats_.calls_ended;
  // The Call may be running the code that called forget(): keep it alive until the loop is back.
  std::shared_ptr<Call> keep = std::move(it->second);
  calls_.erase(it);
  sip().scheduler().Schedule(std::chrono::milliseconds(0), [keep] {});
}

bool B2bua::admit_outbound(const Trunk& trunk, bool emergency) {
  unsigned retry = 0;
  return trunk_limiter(trunk).begin_call(emergency, std::chrono::steady_clock::now(), retry) ==
         Admission::kAdmitted;
}

void B2bua::release_outbound(const Trunk& trunk) {
  trunk_limiter(trunk).end_call();
}

sip::DigestClient& B2bua::digest_client(const Trunk& trunk) {
  auto it = digest_.find(trunk.name);
  if (it == digest_.end()) {
    it = digest_.emplace(trunk.name, std::make_pair(sip::CredentialStore{}, nullptr)).first;
    if (trunk.outbound_credentials) {
      const Credentials& c = *trunk.outbound_credentials;
      sip::DigestAccount account{c.username, c.password};
      if (c.realm.empty())
        it->second.first.SetFallback(account);
      else
        it->second.first.Add(c.realm, account);
    }
    it->second.second = std::make_unique<sip::DigestClient>(it->second.first);
  }
  return *it->second.second;
}

size_t B2bua::transcoding_calls() const {
  return std::count_if(calls_.begin(), calls_.end(),
                       [](const auto& entry) { return entry.second->transcoding(); });
}

void B2bua::end_all(const std::string& cause) {
  std::vector<std::shared_ptr<Call>> all;
  for (auto& [id, call] : calls_) all.push_back(call);
  for (auto& call : all) call->end(cause, 503);
}

}  // namespace trunkgate::cp
