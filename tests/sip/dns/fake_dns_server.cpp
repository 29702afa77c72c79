#include "tests/sip/dns/fake_dns_server.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "sip/message/text.h"
#include "sip/transport/socket_ops.h"

namespace trunkgate::sip::testing {
namespace {

constexpr std::size_t kMaxQuery = 512;

void Put16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value & 0xff);
}

void Put32(std::string& out, std::uint32_t value) {
  Put16(out, static_cast<std::uint16_t>(value >> 16));
  Put16(out, static_cast<std::uint16_t>(value & 0xffff));
}

std::string EncodeName(const std::string& name) {
  std::string out;
  std::size_t start = 0;
  while (start < name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    out += static_cast<char>(dot - start);
    out += name.substr(start, dot - start);
    start = dot + 1;
  }
  return out + '\0';
}

std::string CharacterString(const std::string& text) {
  return static_cast<char>(text.size()) + text;
}

std::string Lower(std::string text) {
  for (char& c : text) c = ascii_lower(c);
  return text;
}

// Reads the question name (labels, no compression); empty on malformed input.
std::string DecodeQuestionName(const std::string& packet, std::size_t& offset) {
  std::string name;
  while (offset < packet.size()) {
    const auto length = static_cast<unsigned char>(packet[offset++]);
    if (length == 0) return name.empty() ? "." : name;
    if (length > 63 || offset + length > packet.size() || name.size() > 255) return "";
    if (!name.empty()) name += '.';
    name += packet.substr(offset, length);
    offset += length;
  }
  return "";
}

}  // namespace

FakeDnsServer::FakeDnsServer(EventLoop& loop)
    : loop_(loop),
      fd_(OpenBoundSocket(SOCK_DGRAM, *Endpoint::Parse("127.0.0.1", 0))),
      local_(LocalEndpointOf(fd_.get())) {
  loop_.Watch(fd_.get(), EPOLLIN, [this](std::uint32_t) { OnReadable(); });
}

FakeDnsServer::~FakeDnsServer() {
  loop_.Unwatch(fd_.get());
}

void FakeDnsServer::Add(const std::string& name, std::uint16_t type, std::uint32_t ttl,
                        std::string rdata) {
  records_[Lower(name)].push_back({type, ttl, std::move(rdata)});
}

void FakeDnsServer::AddA(const std::string& name, const std::string& ipv4, std::uint32_t ttl) {
  in_addr address{};
  inet_pton(AF_INET, ipv4.c_str(), &address);
  Add(name, ns_t_a, ttl, std::string(reinterpret_cast<const char*>(&address), sizeof address));
}

void FakeDnsServer::AddAaaa(const std::string& name, const std::string& ipv6, std::uint32_t ttl) {
  in6_addr address{};
  inet_pton(AF_INET6, ipv6.c_str(), &address);
  Add(name, ns_t_aaaa, ttl, std::string(reinterpret_cast<const char*>(&address), sizeof address));
}

void FakeDnsServer::AddSrv(const std::string& name, const SrvRecord& record, std::uint32_t ttl) {
  std::string rdata;
  Put16(rdata, record.priority);
  Put16(rdata, record.weight);
  Put16(rdata, record.port);
  Add(name, ns_t_srv, ttl, rdata + EncodeName(record.target));
}

void FakeDnsServer::AddNaptr(const std::string& name, const NaptrRecord& record,
                             std::uint32_t ttl) {
  std::string rdata;
  Put16(rdata, record.order);
  Put16(rdata, record.preference);
  rdata += CharacterString(record.flags) + CharacterString(record.service) + CharacterString("");
  Add(name, ns_t_naptr, ttl, rdata + EncodeName(record.replacement));
}

int FakeDnsServer::queries(const std::string& name, std::uint16_t type) const {
  const auto it = queries_.find(Lower(name) + "/" + std::to_string(type));
  return it == queries_.end() ? 0 : it->second;
}

std::string FakeDnsServer::Answer(const std::string& name, std::uint16_t type) const {
  std::string question = EncodeName(name);
  Put16(question, type);
  Put16(question, ns_c_in);
  return Respond(0, question, Lower(name), type);
}

void FakeDnsServer::OnReadable() {
  char buffer[kMaxQuery];
  sockaddr_storage source{};
  socklen_t source_length = sizeof source;
  const ssize_t size = recvfrom(fd_.get(), buffer, sizeof buffer, 0,
                                reinterpret_cast<sockaddr*>(&source), &source_length);
  if (size < NS_HFIXEDSZ) return;
  const std::string packet(buffer, static_cast<std::size_t>(size));
  std::size_t offset = NS_HFIXEDSZ;
  const std::string name = Lower(DecodeQuestionName(packet, offset));
  if (name.empty() || offset + NS_QFIXEDSZ > packet.size()) return;
  const auto type = static_cast<std::uint16_t>((static_cast<unsigned char>(packet[offset]) << 8) |
                                               static_cast<unsigned char>(packet[offset + 1]));
  const std::string question = packet.substr(NS_HFIXEDSZ, offset + NS_QFIXEDSZ - NS_HFIXEDSZ);
  const auto id = static_cast<std::uint16_t>((static_cast<unsigned char>(packet[0]) << 8) |
                                             static_cast<unsigned char>(packet[1]));
  ++queries_[name + "/" + std::to_string(type)];
  ++total_queries_;
  const std::string response = Respond(id, question, name, type);
  sendto(fd_.get(), response.data(), response.size(), 0, reinterpret_cast<sockaddr*>(&source),
         source_length);
}

std::string FakeDnsServer::Respond(std::uint16_t id, const std::string& question,
                                   const std::string& name, std::uint16_t type) const {
  const auto it = records_.find(name);
  std::vector<const Record*> answers;
  if (it != records_.end()) {
    for (const Record& record : it->second) {
      if (record.type == type) answers.push_back(&record);
    }
  }
  std::string out;
  Put16(out, id);
  // QR, AA and RD set; RCODE 3 (NXDOMAIN) for names we know nothing about.
  Put16(out, static_cast<std::uint16_t>(0x8500 | (it == records_.end() ? 3 : 0)));
  Put16(out, 1);
  Put16(out, static_cast<std::uint16_t>(answers.size()));
  Put16(out, 0);
  Put16(out, 0);
  out += question;
  for (const Record* record : answers) {
    Put16(out, 0xc000 | NS_HFIXEDSZ);  // the owner name: a pointer to the question's
    Put16(out, record->type);
    Put16(out, ns_c_in);
    Put32(out, record->ttl);
    Put16(out, static_cast<std::uint16_t>(record->rdata.size()));
    out += record->rdata;
  }
  return out;
}

}  // namespace trunkgate::sip::testing
