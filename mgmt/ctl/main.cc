// trunkgatectl: the management CLI. Talks gRPC to trunkgate-cp over its Unix socket (default
// /run/trunkgate/default.sock) or over TCP with TLS.
#include <grpc/support/log.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mgmt/ctl/commands.h"

namespace {

constexpr const char* kUsage = R"(usage: trunkgatectl [OPTIONS] COMMAND [ARGS]
options:
  --socket PATH         the management socket (default /run/trunkgate/default.sock)
  --instance NAME       the socket of instance NAME: /run/trunkgate/NAME.sock
  --tcp HOST:PORT       TCP with TLS instead (--ca FILE, and --cert/--key FILE for client certs)
  --insecure            plain TCP (only if the gateway allows it)
  --json                JSON output for scripts
  --timeout SECONDS     how long to wait for an answer (default 5)
commands:
  status                          health, version, drain state, calls, counters
  drain [on|off]                  refuse new calls with 503 (on) / admit them again (off)
  reload                          read the configuration file again
  log-level LEVEL                 trace, debug, info, warn, error, critical, off
  trunks                          the trunks, their state and calls
  trunk get NAME
  trunk create|update YAML|@FILE  a trunk with the configuration file's keys
  trunk delete NAME
  routes                          the routes
  route get NAME
  route create|update NAME --prefix DIGITS --trunks A,B [--emergency]
  route delete NAME
  calls [--trunk T] [--number N] [--state S]
  call ID                         both legs, codecs, SRTP, media counters
  hangup ID [CAUSE]
  watch [--count N]               call events as they happen (setup, answer, end, dtmf)
  stats                           data-plane workers, ports, drops
exit codes: 0 done, 1 refused by the gateway, 2 bad usage, 3 gateway not reachable
)";

std::string read_file(const std::string& path, bool& ok) {
  std::ifstream in(path);
  ok = static_cast<bool>(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace trunkgate::ctl;
  // gRPC's own log lines (a failed TLS handshake, a refused connection) would precede ours with
  // internals; every failure is reported once, in a line of ours, with gRPC's reason in it.
  gpr_set_log_function([](gpr_log_func_args*) {});
  std::string socket = "/run/trunkgate/default.sock", tcp, ca, cert, key;
  bool insecure = false;
  Context ctx;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (!args.empty())
      args.push_back(a);  // after the command: its arguments
    else if (a == "--help" || a == "-h") {
      std::printf("%s", kUsage);
      return 0;
    } else if (a == "--json")
      ctx.json = true;
    else if (a == "--insecure")
      insecure = true;
    else if (a == "--socket" && value(socket)) {
    } else if (a == "--instance" && value(v))
      socket = "/run/trunkgate/" + v + ".sock";
    else if (a == "--tcp" && value(tcp)) {
    } else if (a == "--ca" && value(ca)) {
    } else if (a == "--cert" && value(cert)) {
    } else if (a == "--key" && value(key)) {
    } else if (a == "--timeout" && value(v) && !v.empty() &&
               v.find_first_not_of("0123456789") == std::string::npos) {
      ctx.timeout = std::chrono::seconds(std::stoul(v));
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "trunkgatectl: bad option %s\n%s", a.c_str(), kUsage);
      return kExitUsage;
    } else
      args.push_back(a);
  }
  if (args.empty()) {
    std::fprintf(stderr, "%s", kUsage);
    return kExitUsage;
  }
  if (!is_command(args[0])) {
    std::fprintf(stderr, "trunkgatectl: unknown command '%s' (trunkgatectl --help lists them)\n",
                 args[0].c_str());
    return kExitUsage;
  }
  if (tcp.empty()) {
    struct stat st {};
    if (::stat(socket.c_str(), &st) != 0) {
      std::fprintf(stderr,
                   "trunkgatectl: no management socket at %s: is trunkgate-cp running? "
                   "(--socket PATH or --instance NAME for another one)\n",
                   socket.c_str());
      return kExitUnreachable;
    }
    if (!S_ISSOCK(st.st_mode)) {
      std::fprintf(stderr, "trunkgatectl: %s is not a socket (--socket PATH)\n", socket.c_str());
      return kExitUsage;
    }
    ctx.target = "unix:" + socket;
    ctx.channel = grpc::CreateChannel(ctx.target, grpc::InsecureChannelCredentials());
  } else {
    ctx.target = tcp;
    std::shared_ptr<grpc::ChannelCredentials> creds;
    if (insecure) {
      creds = grpc::InsecureChannelCredentials();
    } else {
      grpc::SslCredentialsOptions tls;
      bool ok = true;
      for (auto [path, out] :
           {std::pair{&ca, &tls.pem_root_certs}, std::pair{&cert, &tls.pem_cert_chain},
            std::pair{&key, &tls.pem_private_key}}) {
        if (path->empty()) continue;
        *out = read_file(*path, ok);
        if (!ok) {
          std::fprintf(stderr, "trunkgatectl: cannot read %s\n", path->c_str());
          return kExitUsage;
        }
      }
      creds = grpc::SslCredentials(tls);
    }
    ctx.channel = grpc::CreateChannel(tcp, creds);
  }
  return run_command(ctx, args);
}
