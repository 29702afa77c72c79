#include "sip/transport/stream_connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "sip/message/framing.h"
#include "sip/transport/socket_ops.h"
#include "sip/transport/tls_context.h"
#include "sip/transport/tls_identity.h"

namespace trunkgate::sip {
namespace {

// One read takes at most a full TLS record, so OpenSSL never holds decrypted bytes that epoll
// cannot announce.
constexpr std::size_t kReadChunk = 16 * 1024 + 512;
// Reads per wake-up, so that one fast sender cannot starve the loop; epoll is level-triggered
// and wakes again for the rest.
constexpr int kMaxReadsPerWakeup = 16;

bool OnlyLineBreaks(std::string_view text) {
  return text.find_first_not_of("\r\n") == std::string_view::npos;
}

}  // namespace

StreamConnection::StreamConnection(EventLoop& loop, ConnectionId id, SocketFd fd, Endpoint remote,
                                   bool outbound, SSL* ssl, std::string expected_domain,
                                   const StreamLimits& limits, Events events)
    : loop_(loop),
      id_(id),
      fd_(std::move(fd)),
      remote_(std::move(remote)),
      local_(LocalEndpointOf(fd_.get())),
      outbound_(outbound),
      ssl_(ssl, &SSL_free),
      expected_domain_(std::move(expected_domain)),
      limits_(limits),
      events_(std::move(events)),
      state_(outbound ? State::kConnecting
             : ssl    ? State::kHandshaking
                      : State::kOpen) {
  watched_events_ = outbound ? EPOLLOUT : EPOLLIN;
  loop_.Watch(fd_.get(), watched_events_, [this](std::uint32_t e) { OnEvents(e); });
}

StreamConnection::~StreamConnection() {
  if (state_ != State::kClosed) loop_.Unwatch(fd_.get());
}

bool StreamConnection::Send(std::string_view bytes) {
  if (state_ == State::kClosed) return false;
  if (output_.size() + bytes.size() > limits_.max_pending_output) {
    Close("output queue over its bound: the peer does not read");
    return false;
  }
  output_.append(bytes);
  if (state_ == State::kOpen) Flush();
  if (state_ != State::kClosed) UpdateInterest();
  return state_ != State::kClosed;
}

void StreamConnection::Close(std::string_view reason) {
  if (state_ == State::kClosed) return;
  const bool was_open = state_ == State::kOpen;
  state_ = State::kClosed;
  loop_.Unwatch(fd_.get());
  // Best effort close_notify; the socket is non-blocking, so this never waits.
  if (ssl_ && was_open) SSL_shutdown(ssl_.get());
  fd_.Reset();
  if (events_.on_closed) events_.on_closed(*this, reason);
}

std::string_view StreamConnection::cipher() const {
  return ssl_ ? SSL_get_cipher_name(ssl_.get()) : std::string_view{};
}

void StreamConnection::OnEvents(std::uint32_t events) {
  if (state_ == State::kConnecting) FinishConnect();
  if (state_ == State::kHandshaking) ContinueHandshake();
  if (state_ == State::kOpen) {
    Flush();
    if (state_ == State::kOpen) ReadAvailable();
    if (state_ == State::kOpen) Flush();
  }
  // Readable data was consumed above; a hang-up or error with nothing left to read ends it.
  if (state_ != State::kClosed && (events & (EPOLLERR | EPOLLHUP)) != 0 && state_ != State::kOpen) {
    Close(std::strerror(PendingSocketError(fd_.get())));
  }
  if (state_ != State::kClosed) UpdateInterest();
}

void StreamConnection::FinishConnect() {
  if (const int error = PendingSocketError(fd_.get()); error != 0) {
    Close(std::string("connect failed: ") + std::strerror(error));
    return;
  }
  local_ = LocalEndpointOf(fd_.get());
  state_ = ssl_ ? State::kHandshaking : State::kOpen;
}

void StreamConnection::ContinueHandshake() {
  const int result = SSL_do_handshake(ssl_.get());
  if (result != 1) {
    SslResult(result, "TLS handshake");
    return;
  }
  if (X509* peer = SSL_get0_peer_certificate(ssl_.get())) {
    peer_identities_ = CertificateSipIdentities(peer);
  }
  if (outbound_ && !expected_domain_.empty()) {
    X509* peer = SSL_get0_peer_certificate(ssl_.get());
    if (peer == nullptr || !CertificateMatchesDomain(peer, expected_domain_)) {
      Close("server certificate is not valid for " + expected_domain_);
      return;
    }
  }
  state_ = State::kOpen;
}

void StreamConnection::ReadAvailable() {
  for (int i = 0; i < kMaxReadsPerWakeup && state_ == State::kOpen; ++i) {
    if (ReadSome(input_) != Io::kProgress) return;
    ProcessInput();
  }
}

void StreamConnection::ProcessInput() {
  std::size_t offset = 0;
  while (state_ == State::kOpen) {
    offset = SkipKeepalives(offset);
    const std::string_view rest = std::string_view(input_).substr(offset);
    if (rest.empty() || OnlyLineBreaks(rest)) break;
    const auto frame = frame_stream_message(rest, limits_.parse);
    if (!frame.ok()) {
      Close("stream framing: " + to_string(frame.failure()));
      return;
    }
    if (!frame->complete()) {
      if (rest.size() > limits_.parse.max_message_size) Close("message over the size limit");
      break;
    }
    const std::string_view message = rest.substr(frame->leading_crlf, frame->size);
    offset += frame->leading_crlf + frame->size;
    events_.on_message(*this, std::string(message));
  }
  if (state_ == State::kOpen) input_.erase(0, offset);
}

// Consumes RFC 5626 keep-alives at `offset`: on accepted connections a double CRLF is a ping to
// answer, on connections we opened a single CRLF is the pong to our ping. A trailing partial ping
// stays in the buffer until the rest arrives.
std::size_t StreamConnection::SkipKeepalives(std::size_t offset) {
  const std::string_view input(input_);
  while (state_ == State::kOpen && offset < input.size()) {
    const std::string_view rest = input.substr(offset);
    if (outbound_ && rest.starts_with("\r\n")) {
      offset += 2;
      if (events_.on_pong) events_.on_pong(*this);
    } else if (!outbound_ && rest.starts_with("\r\n\r\n")) {
      offset += 4;
      Send("\r\n");
    } else if (!outbound_ && rest.starts_with("\r\n") &&
               !(rest.size() < 4 && OnlyLineBreaks(rest))) {
      offset += 2;  // a stray CRLF before a message (RFC 3261 7.5 says to ignore it)
    } else {
      break;
    }
  }
  return offset;
}

void StreamConnection::Flush() {
  while (!output_.empty() && state_ == State::kOpen) {
    std::size_t written = 0;
    if (WriteSome(output_, written) != Io::kProgress) return;
    output_.erase(0, written);
  }
}

StreamConnection::Io StreamConnection::ReadSome(std::string& into) {
  const std::size_t old_size = into.size();
  into.resize(old_size + kReadChunk);
  char* target = into.data() + old_size;
  Io io = Io::kProgress;
  std::size_t got = 0;
  if (ssl_) {
    const int result = SSL_read(ssl_.get(), target, static_cast<int>(kReadChunk));
    if (result > 0) {
      got = static_cast<std::size_t>(result);
    } else {
      into.resize(old_size);  // before SslResult, which may close and report
      return SslResult(result, "TLS read");
    }
  } else {
    const ssize_t result = recv(fd_.get(), target, kReadChunk, 0);
    if (result > 0) {
      got = static_cast<std::size_t>(result);
    } else if (result < 0 && (errno == EAGAIN || errno == EINTR)) {
      io = Io::kWouldBlock;
    } else {
      into.resize(old_size);
      Close(result == 0 ? "closed by peer" : std::strerror(errno));
      return Io::kClosed;
    }
  }
  into.resize(old_size + got);
  if (got > 0) last_activity_ = SteadyClock::now();
  return io;
}

StreamConnection::Io StreamConnection::WriteSome(std::string_view bytes, std::size_t& written) {
  if (ssl_) {
    const int result = SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()));
    if (result <= 0) return SslResult(result, "TLS write");
    written = static_cast<std::size_t>(result);
    return Io::kProgress;
  }
  const ssize_t result = send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (result >= 0) {
    written = static_cast<std::size_t>(result);
    return Io::kProgress;
  }
  if (errno == EAGAIN || errno == EINTR) return Io::kWouldBlock;
  Close(std::strerror(errno));
  return Io::kClosed;
}

StreamConnection::Io StreamConnection::SslResult(int result, std::string_view operation) {
  switch (SSL_get_error(ssl_.get(), result)) {
    case SSL_ERROR_WANT_READ:
      ssl_wants_write_ = false;
      return Io::kWouldBlock;
    case SSL_ERROR_WANT_WRITE:
      ssl_wants_write_ = true;
      return Io::kWouldBlock;
    case SSL_ERROR_ZERO_RETURN:
      Close("closed by peer (TLS close_notify)");
      return Io::kClosed;
    default:
      Close(std::string(operation) + ": " + TakeOpenSslError());
      return Io::kClosed;
  }
}

void StreamConnection::UpdateInterest() {
  std::uint32_t wanted = EPOLLIN;
  if (state_ == State::kConnecting || !output_.empty() || ssl_wants_write_) wanted |= EPOLLOUT;
  if (state_ == State::kConnecting) wanted = EPOLLOUT;
  if (wanted != watched_events_) {
    loop_.Modify(fd_.get(), wanted);
    watched_events_ = wanted;
  }
}

}  // namespace trunkgate::sip
