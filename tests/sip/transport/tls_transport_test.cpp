#include <gtest/gtest.h>
#include <openssl/pem.h>

#include "sip/transport/stream_transport.h"
#include "sip/transport/tls_identity.h"
#include "tests/sip/transport/loop_helpers.h"
#include "tests/sip/transport/test_pki.h"

namespace trunkgate::sip {
namespace {

using testing::Inbox;
using testing::Loopback;
using testing::Request;
using testing::TestPki;

std::shared_ptr<TlsContext> Context(const std::string& common_name, const std::string& sans,
                                    bool require_client_certificate = false) {
  TlsConfig config;
  if (!common_name.empty()) {
    const auto credential = TestPki::Instance().Issue(common_name, sans);
    config.certificate_chain_pem = credential.certificate_pem;
    config.private_key_pem = credential.private_key_pem;
  }
  config.trusted_ca_pem = TestPki::Instance().ca_pem();
  config.require_client_certificate = require_client_certificate;
  return std::make_shared<TlsContext>(config);
}

class TlsTransportTest : public ::testing::Test {
 protected:
  void StartServer(std::shared_ptr<TlsContext> context) {
    StreamTransportConfig config;
    config.listen = Loopback();
    config.tls = std::move(context);
    server_ = std::make_unique<StreamTransport>(loop_, config, server_inbox_.handler(),
                                                server_inbox_.closed_handler());
  }
  void StartClient(std::shared_ptr<TlsContext> context) {
    StreamTransportConfig config;
    config.tls = std::move(context);
    client_ = std::make_unique<StreamTransport>(loop_, config, client_inbox_.handler(),
                                                client_inbox_.closed_handler());
  }
  bool Delivered() {
    return testing::RunUntil(loop_, [&] { return !server_inbox_.messages.empty(); });
  }
  bool ClientClosed() {
    return testing::RunUntil(loop_, [&] { return !client_inbox_.closed_reasons.empty(); });
  }

  EventLoop loop_;
  Inbox server_inbox_, client_inbox_;
  std::unique_ptr<StreamTransport> server_, client_;
};

TEST_F(TlsTransportTest, CarriesMessagesBothWaysAfterVerifyingTheServer) {
  StartServer(Context("ignored-cn", "DNS:sip.example.com"));
  StartClient(Context("", ""));
  const ConnectionId id = client_->SendTo(server_->local(), Request("INVITE"), "sip.example.com");
  ASSERT_TRUE(Delivered());
  EXPECT_EQ(server_inbox_.messages[0].bytes, Request("INVITE"));
  EXPECT_EQ(server_inbox_.messages[0].protocol, TransportProtocol::kTls);
  ASSERT_TRUE(server_->SendOn(server_inbox_.messages[0].connection,
                              "SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n"));
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return client_inbox_.messages.size() == 1; }));
  EXPECT_EQ(client_->SendTo(server_->local(), Request("ACK"), "sip.example.com"), id);
  EXPECT_EQ(client_->stats().opened, 1u);
}

TEST_F(TlsTransportTest, RefusesAServerCertifiedForAnotherDomain) {
  StartServer(Context("sip.example.com", "DNS:sip.example.com"));
  StartClient(Context("", ""));
  client_->SendTo(server_->local(), Request("INVITE"), "carrier.example.net");
  ASSERT_TRUE(ClientClosed());
  EXPECT_NE(client_inbox_.closed_reasons[0].find("not valid for carrier.example.net"),
            std::string::npos);
  EXPECT_TRUE(server_inbox_.messages.empty());
}

TEST_F(TlsTransportTest, RefusesAServerCertificateFromAnUntrustedAuthority) {
  StartServer(Context("sip.example.com", "DNS:sip.example.com"));
  const auto client_context = Context("", "");
  SSL_CTX_set_cert_store(client_context->get(), X509_STORE_new());  // trusts nobody
  StartClient(client_context);
  client_->SendTo(server_->local(), Request("INVITE"), "sip.example.com");
  ASSERT_TRUE(ClientClosed());
  EXPECT_NE(client_inbox_.closed_reasons[0].find("TLS handshake"), std::string::npos);
}

TEST_F(TlsTransportTest, Tls12NegotiatesTheSipconnectSuiteByServerPreference) {
  StartServer(Context("sip.example.com", "DNS:sip.example.com"));
  const auto client_context = Context("", "");
  SSL_CTX_set_max_proto_version(client_context->get(), TLS1_2_VERSION);
  // The client prefers the weakest suite; the server's order must win.
  SSL_CTX_set_cipher_list(client_context->get(),
                          "AES128-SHA:AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256");
  StartClient(client_context);
  const ConnectionId id = client_->SendTo(server_->local(), Request("OPTIONS"), "sip.example.com");
  ASSERT_TRUE(Delivered());
  EXPECT_EQ(client_->connection(id)->cipher(), "ECDHE-RSA-AES128-GCM-SHA256");
}

TEST_F(TlsTransportTest, MutualTlsRequiresAndIdentifiesTheClient) {
  StartServer(Context("sp.example.com", "DNS:sp.example.com", true));
  StartClient(Context("", ""));  // no client certificate
  client_->SendTo(server_->local(), Request("REGISTER"), "sp.example.com");
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return !server_inbox_.closed_reasons.empty(); }));
  EXPECT_TRUE(server_inbox_.messages.empty());

  StartClient(Context("pbx", "URI:sip:pbx.enterprise.example"));
  client_->SendTo(server_->local(), Request("REGISTER"), "sp.example.com");
  ASSERT_TRUE(Delivered());
  const StreamConnection* inbound = server_->connection(server_inbox_.messages[0].connection);
  ASSERT_NE(inbound, nullptr);
  EXPECT_EQ(inbound->peer_identities(), std::vector<std::string>{"pbx.enterprise.example"});
}

X509* ParseCertificate(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

std::vector<std::string> Identities(const std::string& cn, const std::string& sans) {
  X509* cert = ParseCertificate(TestPki::Instance().Issue(cn, sans).certificate_pem);
  auto identities = CertificateSipIdentities(cert);
  X509_free(cert);
  return identities;
}

TEST(TlsIdentity, SubjectAltNamesWinOverTheCommonName) {
  EXPECT_EQ(Identities("cn.example", "DNS:a.example,URI:sip:b.example,URI:https://c.example"),
            (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(Identities("cn.example", ""), std::vector<std::string>{"cn.example"});
  // A SIP URI with a user part names a user, not a domain.
  EXPECT_TRUE(Identities("cn.example", "URI:sip:alice@d.example").empty());
}

TEST(TlsIdentity, MatchesExactlyIgnoringCaseAndNeverByWildcard) {
  X509* cert = ParseCertificate(
      TestPki::Instance().Issue("x", "DNS:SIP.Example.com,DNS:*.example.org").certificate_pem);
  EXPECT_TRUE(CertificateMatchesDomain(cert, "sip.example.com"));
  EXPECT_FALSE(CertificateMatchesDomain(cert, "a.example.org"));
  EXPECT_FALSE(CertificateMatchesDomain(cert, "x"));
  X509_free(cert);
}

}  // namespace
}  // namespace trunkgate::sip
