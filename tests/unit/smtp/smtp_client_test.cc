// The SMTP client against a real SMTP server (tests/smtp/smtp_server.py, on Debian's
// python3-aiosmtpd) on 127.0.0.1 with a throwaway CA made by the openssl command.
// Four servers are started once for the suite (Python starts slowly on a loaded
// machine); each test resets their behaviour file and output folder.
#include "smtp/smtp_client.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/temp_dir.h"

extern char** environ;

namespace tacit::smtp {
namespace {
namespace fs = std::filesystem;
namespace asio = boost::asio;
using std::chrono::steady_clock;

// --- ParseSmtpUrl (no server needed) ---------------------------------------------

TEST(ParseSmtpUrlTest, DefaultsAndPorts) {
  Result<SmtpUrl> a = ParseSmtpUrl("smtps://mail.example.vn");
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_TRUE(a->implicit_tls);
  EXPECT_EQ(a->host, "mail.example.vn");
  EXPECT_EQ(a->port, 465);
  Result<SmtpUrl> b = ParseSmtpUrl("smtp://mail.example.vn/");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->implicit_tls);
  EXPECT_EQ(b->port, 587);
  Result<SmtpUrl> c = ParseSmtpUrl("smtp://127.0.0.1:2525");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "127.0.0.1");
  EXPECT_EQ(c->port, 2525);
  Result<SmtpUrl> d = ParseSmtpUrl("smtps://[::1]:10465");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "::1");
  EXPECT_EQ(d->port, 10465);
}

TEST(ParseSmtpUrlTest, RefusesAnythingElse) {
  for (const char* url :
       {"", "mail.example.vn", "imaps://mail.example.vn", "SMTPS://mail.example.vn", "smtps://",
        "smtps://:465", "smtps://user@mail.example.vn", "smtps://user:pw@mail.example.vn",
        "smtps://mail.example.vn:0", "smtps://mail.example.vn:65536",
        "smtps://mail.example.vn:", "smtps://mail.example.vn:x", "smtp://mail.example.vn/path",
        "smtp://mail.example.vn?x=1", "smtps://[::1", "smtps://[mail]:465", "smtps://::1",
        "smtps://mail example.vn", "smtps://mail\r\n.vn"}) {
    Result<SmtpUrl> r = ParseSmtpUrl(url);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidConfig) << url;
    EXPECT_EQ(r.error().message().rfind("smtp.url: ", 0), 0u) << r.error().message();
    EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
  }
  EXPECT_EQ(ParseSmtpUrl("smtps://u:pw-123@mail.example.vn").error().message().find("pw-123"),
            std::string::npos);
}

// --- helpers ---------------------------------------------------------------------

pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int Run(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = Spawn(args, log);
  if (pid < 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& p, const std::string& text) {
  {
    std::ofstream out(p.string() + ".tmp", std::ios::binary);
    out << text;
  }
  fs::rename(p.string() + ".tmp", p);
}

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string Unbase64(std::string in) {
  in.erase(std::remove_if(in.begin(), in.end(), [](char c) { return c == '\r' || c == '\n'; }),
           in.end());
  std::string out(in.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return "<not base64>";
  out.resize(static_cast<std::size_t>(n));
  while (!in.empty() && in.back() == '=') {  // EVP_DecodeBlock counts padding as zeros
    in.pop_back();
    out.pop_back();
  }
  return out;
}

struct Server {
  std::string name;
  std::vector<std::string> flags;
  fs::path dir;
  pid_t pid = -1;
  int port = 0;
  fs::path out() const { return dir / "out"; }
  fs::path behaviour() const { return dir / "behaviour.json"; }
  fs::path log() const { return dir / "server.log"; }
  std::string url(const char* scheme) const {
    return fmt::format("{}://127.0.0.1:{}", scheme, port);
  }
};

struct Delivered {
  nlohmann::json meta;
  std::string eml;
};

std::vector<Delivered> DeliveredTo(const Server& s) {
  std::vector<fs::path> metas;
  for (const auto& e : fs::directory_iterator(s.out())) {
    if (e.path().extension() == ".json") metas.push_back(e.path());
  }
  std::sort(metas.begin(), metas.end());
  std::vector<Delivered> out;
  for (const fs::path& m : metas) {
    fs::path eml = m;
    eml.replace_extension(".eml");
    out.push_back({nlohmann::json::parse(ReadFile(m)), ReadFile(eml)});
  }
  return out;
}

// The whole suite shares one set of servers and certificates.
struct Suite {
  std::unique_ptr<testing::TempDir> tmp;
  std::string problem;  // why the servers are not there
  std::string ca, other_ca;
  Server starttls{"starttls", {"--require-starttls", "--auth", "tacit:s3cret-pw"}, {}};
  Server implicit{
      "implicit", {"--implicit-tls", "--auth", "tacit:s3cret-pw", "--auth-exclude", "PLAIN"}, {}};
  Server plain{"plain", {"--auth", "tacit:s3cret-pw"}, {}};
  std::vector<Server*> all() { return {&starttls, &implicit, &plain}; }
};
Suite* suite = nullptr;

std::string SetUpSuite(Suite& s) {
  if (Run({"/usr/bin/python3", "-c", "import aiosmtpd"}, "/dev/null") != 0) {
    return "python3-aiosmtpd is not installed (scripts/install-deps.sh)";
  }
  s.tmp = std::make_unique<testing::TempDir>();
  const fs::path d = s.tmp->path();
  const std::string log = (d / "openssl.log").string();
  const std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                       "-nodes"};
  auto req = [&](std::vector<std::string> args) {
    std::vector<std::string> all = {"/usr/bin/openssl", "req"};
    all.insert(all.end(), ec.begin(), ec.end());
    all.insert(all.end(), args.begin(), args.end());
    return Run(all, log) == 0;
  };
  s.ca = (d / "ca.pem").string();
  s.other_ca = (d / "other-ca.pem").string();
  s.tmp->Write("server.ext",
               "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
               "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  const bool ok =
      req({"-x509", "-days", "2", "-subj", "/CN=tacit test CA", "-keyout", (d / "ca.key").string(),
           "-out", s.ca}) &&
      req({"-x509", "-days", "2", "-subj", "/CN=some other CA", "-keyout",
           (d / "other.key").string(), "-out", s.other_ca}) &&
      req({"-subj", "/CN=localhost", "-keyout", (d / "server.key").string(), "-out",
           (d / "server.csr").string()}) &&
      Run({"/usr/bin/openssl", "x509", "-req", "-in", (d / "server.csr").string(), "-CA", s.ca,
           "-CAkey", (d / "ca.key").string(), "-CAcreateserial", "-days", "2", "-extfile",
           (d / "server.ext").string(), "-out", (d / "server.pem").string()},
          log) == 0;
  if (!ok) return "openssl could not make the test certificates: " + ReadFile(log);

  for (Server* srv : s.all()) {
    srv->dir = d / srv->name;
    fs::create_directories(srv->out());
    WriteFile(srv->behaviour(), "{}");
    std::vector<std::string> args = {"/usr/bin/python3",
                                     TACIT_SOURCE_DIR "/tests/smtp/smtp_server.py",
                                     "--port",
                                     "0",
                                     "--port-file",
                                     (srv->dir / "port").string(),
                                     "--out",
                                     srv->out().string(),
                                     "--behaviour",
                                     srv->behaviour().string()};
    if (srv != &s.plain) {
      args.insert(args.end(), {"--tls-cert", (d / "server.pem").string(), "--tls-key",
                               (d / "server.key").string()});
    }
    args.insert(args.end(), srv->flags.begin(), srv->flags.end());
    srv->pid = Spawn(args, srv->log().string());
    if (srv->pid < 0) return "cannot start " + args[1];
  }
  const auto deadline = steady_clock::now() + std::chrono::seconds(30);
  for (Server* srv : s.all()) {
    for (;;) {
      std::string port = ReadFile(srv->dir / "port");
      if (!port.empty()) {
        srv->port = std::stoi(port);
        break;
      }
      int status = 0;
      if (waitpid(srv->pid, &status, WNOHANG) == srv->pid) {
        srv->pid = -1;
        return "the " + srv->name + " server exited: " + ReadFile(srv->log());
      }
      if (steady_clock::now() > deadline) return "the " + srv->name + " server did not start";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return "";
}

class SmtpClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite = new Suite;
    suite->problem = SetUpSuite(*suite);
  }
  static void TearDownTestSuite() {
    for (Server* srv : suite->all()) {
      if (srv->pid <= 0) continue;
      kill(srv->pid, SIGTERM);
      int status = 0;
      for (int i = 0; i < 100 && waitpid(srv->pid, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (kill(srv->pid, 0) == 0) {
        kill(srv->pid, SIGKILL);
        waitpid(srv->pid, &status, 0);
      }
    }
    delete suite;
    suite = nullptr;
  }

  void SetUp() override {
    if (!suite->problem.empty()) {
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string(ci) == "true") FAIL() << suite->problem;
      GTEST_SKIP() << suite->problem;
    }
    for (Server* srv : suite->all()) {
      for (const auto& e : fs::directory_iterator(srv->out())) fs::remove(e.path());
      WriteFile(srv->behaviour(), "{}");
      fs::remove(srv->behaviour().string() + ".state");
    }
  }

  static ClientOptions Options(const std::string& url, std::string password = "s3cret-pw") {
    ClientOptions o;
    o.url = url;
    o.username = "tacit";
    o.password = std::move(password);
    o.ca_file = suite->ca;
    o.helo_name = "tacit.test";
    o.timeout = std::chrono::seconds(5);
    return o;
  }

  static SendResult SendNow(const ClientOptions& options, const Envelope& envelope,
                            const std::string& data) {
    asio::io_context io;
    std::optional<SendResult> result;
    AsyncSend(io, options, envelope, data, [&](SendResult r) { result = std::move(r); });
    io.run();
    EXPECT_TRUE(result.has_value());
    return result.value_or(SendResult{});
  }

  static std::string Message() {
    return "From: vhxh@example.vn\r\nTo: ubnd@example.vn\r\nSubject: test\r\n\r\nhello\r\n";
  }
};

const Envelope kTwo{"vhxh@example.vn", {"ubnd@example.vn", "congan@example.vn"}};

TEST_F(SmtpClientTest, StartTlsAuthPlainDeliversTheExactBytes) {
  const std::string vietnamese =
      "Kính gửi Ủy ban nhân dân phường: đề nghị góp ý dự thảo trước 23 giờ 59 phút ngày "
      "09/02/2026.";
  std::string b64 = Base64(vietnamese);
  for (std::size_t i = 76; i < b64.size(); i += 78) b64.insert(i, "\n");  // LF only, on purpose
  const std::string data = "From: vhxh@example.vn\nTo: ubnd@example.vn\nSubject: =?UTF-8?B?" +
                           Base64("Nhắc góp ý") +
                           "?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                           "Content-Transfer-Encoding: base64\n\n" +
                           b64 + "\n.hello\n.\n..two\r\nlast line without end";
  std::string expected;  // CRLF everywhere, dots as they were, a final CRLF added
  for (char c : data) {
    if (c == '\n' && (expected.empty() || expected.back() != '\r')) expected += '\r';
    expected += c;
  }
  expected += "\r\n";

  ClientOptions o = Options(suite->starttls.url("smtp"));
  asio::io_context io;
  std::optional<SendResult> got;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { got = co_await Send(o, kTwo, data); }, asio::detached);
  io.run();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->outcome, Outcome::kSent) << got->message;
  EXPECT_EQ(got->code, 250);
  EXPECT_EQ(got->accepted, kTwo.to);
  EXPECT_TRUE(got->rejected.empty());
  EXPECT_EQ(got->message.find("s3cret"), std::string::npos);

  std::vector<Delivered> d = DeliveredTo(suite->starttls);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].eml, expected);
  EXPECT_NE(d[0].eml.find("\r\n.hello\r\n.\r\n..two\r\n"), std::string::npos);
  EXPECT_EQ(d[0].meta["mail_from"], "vhxh@example.vn");
  EXPECT_EQ(d[0].meta["rcpt_tos"], nlohmann::json(kTwo.to));
  EXPECT_EQ(d[0].meta["auth_user"], "tacit");
  EXPECT_EQ(d[0].meta["tls"], true);
  const std::size_t body = d[0].eml.find("\r\n\r\n") + 4;
  const std::size_t end = d[0].eml.find("\r\n.hello");
  EXPECT_EQ(Unbase64(d[0].eml.substr(body, end - body)), vietnamese);
  // The password went over TLS only: the server log has no trace of it.
  EXPECT_EQ(ReadFile(suite->starttls.log()).find("s3cret"), std::string::npos);
}

TEST_F(SmtpClientTest, ImplicitTlsWithAuthLogin) {
  SendResult r = SendNow(Options(suite->implicit.url("smtps")), kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kSent) << r.message;
  std::vector<Delivered> d = DeliveredTo(suite->implicit);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].eml, Message());
  EXPECT_EQ(d[0].meta["auth_user"], "tacit");
  EXPECT_EQ(d[0].meta["tls"], true);
  EXPECT_NE(ReadFile(suite->implicit.log()).find("AUTH LOGIN for b'tacit': ok"), std::string::npos);
}

TEST_F(SmtpClientTest, CertificateFromAnotherCaIsRefused) {
  for (Server* srv : {&suite->starttls, &suite->implicit}) {
    ClientOptions o = Options(srv->url(srv == &suite->implicit ? "smtps" : "smtp"));
    o.ca_file = suite->other_ca;
    SendResult r = SendNow(o, kTwo, Message());
    EXPECT_EQ(r.outcome, Outcome::kTransient) << r.message;
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.message.find("certificate verify failed"), std::string::npos) << r.message;
    EXPECT_TRUE(DeliveredTo(*srv).empty());
  }
}

TEST_F(SmtpClientTest, PasswordIsNeverSentWithoutStartTls) {
  SendResult r = SendNow(Options(suite->plain.url("smtp")), kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kTransient) << r.message;
  EXPECT_NE(r.message.find("offers no STARTTLS"), std::string::npos) << r.message;
  EXPECT_TRUE(DeliveredTo(suite->plain).empty());
  const std::string log = ReadFile(suite->plain.log());
  EXPECT_NE(log.find(">> b'EHLO tacit.test'"), std::string::npos) << log;  // it did talk
  EXPECT_EQ(log.find(">> b'AUTH"), std::string::npos) << log;              // but never said AUTH
  EXPECT_EQ(log.find(">> b'MAIL"), std::string::npos) << log;
}

TEST_F(SmtpClientTest, OneRecipientRefusedTheOtherGetsIt) {
  WriteFile(suite->starttls.behaviour(),
            R"({"rcpt": {"congan@example.vn": "550 5.1.1 no such user"}})");
  SendResult r = SendNow(Options(suite->starttls.url("smtp")), kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kSent) << r.message;
  EXPECT_EQ(r.accepted, std::vector<std::string>{"ubnd@example.vn"});
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].address, "congan@example.vn");
  EXPECT_EQ(r.rejected[0].code, 550);
  EXPECT_NE(r.rejected[0].text.find("no such user"), std::string::npos);
  std::vector<Delivered> d = DeliveredTo(suite->starttls);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].meta["rcpt_tos"], nlohmann::json::array({"ubnd@example.vn"}));
}

TEST_F(SmtpClientTest, AllRecipientsRefusedIsPermanent) {
  WriteFile(suite->starttls.behaviour(),
            R"({"rcpt": {"congan@example.vn": "550 5.1.1 no such user",
                         "ubnd@example.vn": "553 5.1.3 bad mailbox"}})");
  SendResult r = SendNow(Options(suite->starttls.url("smtp")), kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kPermanent) << r.message;
  EXPECT_EQ(r.code, 553);
  EXPECT_TRUE(r.message_refused);  // the mailer fails these addresses
  EXPECT_EQ(r.rejected.size(), 2u);
  EXPECT_TRUE(DeliveredTo(suite->starttls).empty());
}

TEST_F(SmtpClientTest, TemporaryRecipientFailureRetriesTheWholeMessage) {
  WriteFile(suite->starttls.behaviour(),
            R"({"rcpt": {"congan@example.vn": "450 4.2.1 mailbox busy"}})");
  SendResult r = SendNow(Options(suite->starttls.url("smtp")), kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kTransient) << r.message;
  EXPECT_EQ(r.code, 450);
  EXPECT_TRUE(DeliveredTo(suite->starttls).empty());
}

TEST_F(SmtpClientTest, RepliesToTheMessageDecide) {
  WriteFile(suite->starttls.behaviour(),
            R"({"data": ["451 4.3.0 try later", "554 5.6.0 message refused",
                         "421 4.7.0 closing"]})");
  const ClientOptions o = Options(suite->starttls.url("smtp"));
  SendResult r = SendNow(o, kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kTransient) << r.message;
  EXPECT_EQ(r.code, 451);
  r = SendNow(o, kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kPermanent) << r.message;
  EXPECT_EQ(r.code, 554);
  EXPECT_TRUE(r.message_refused);
  EXPECT_NE(r.message.find("message refused"), std::string::npos) << r.message;
  r = SendNow(o, kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kTransient) << r.message;
  EXPECT_EQ(r.code, 421);
  EXPECT_TRUE(DeliveredTo(suite->starttls).empty());
  r = SendNow(o, kTwo, Message());  // the list is used up: accepted
  EXPECT_EQ(r.outcome, Outcome::kSent) << r.message;
  EXPECT_EQ(DeliveredTo(suite->starttls).size(), 1u);
}

TEST_F(SmtpClientTest, WrongPasswordIsPermanent) {
  SendResult r = SendNow(Options(suite->starttls.url("smtp"), "wrong-pw"), kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kPermanent) << r.message;
  EXPECT_EQ(r.code, 535);
  // Our account, not the recipients: the mailer keeps the message waiting.
  EXPECT_FALSE(r.message_refused);
  EXPECT_EQ(r.message.find("wrong-pw"), std::string::npos);
  EXPECT_TRUE(DeliveredTo(suite->starttls).empty());
}

TEST_F(SmtpClientTest, ConnectionRefusedIsTransient) {
  int port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }  // closed: nobody listens there now
  SendResult r = SendNow(Options(fmt::format("smtps://127.0.0.1:{}", port)), kTwo, Message());
  EXPECT_EQ(r.outcome, Outcome::kTransient) << r.message;
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.message.find("refused"), std::string::npos) << r.message;
}

TEST_F(SmtpClientTest, ServerThatHangsUpIsTransient) {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::ip::tcp::socket s = co_await a.async_accept(asio::use_awaitable);
        s.close();
      },
      asio::detached);
  const ClientOptions o = Options(fmt::format("smtp://127.0.0.1:{}", a.local_endpoint().port()));
  std::optional<SendResult> r;
  AsyncSend(io, o, kTwo, Message(), [&](SendResult x) { r = std::move(x); });
  io.run();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, Outcome::kTransient) << r->message;
  EXPECT_NE(r->message.find("closed the connection"), std::string::npos) << r->message;
}

TEST_F(SmtpClientTest, ServerThatHangsTimesOut) {
  WriteFile(suite->starttls.behaviour(), R"({"hang_data_seconds": 8})");
  ClientOptions o = Options(suite->starttls.url("smtp"));
  o.timeout = std::chrono::seconds(2);
  const auto start = steady_clock::now();
  SendResult r = SendNow(o, kTwo, Message());
  const auto took = steady_clock::now() - start;
  EXPECT_EQ(r.outcome, Outcome::kTransient) << r.message;
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.message.find("timed out"), std::string::npos) << r.message;
  EXPECT_GE(took, std::chrono::seconds(2));
  EXPECT_LT(took, std::chrono::milliseconds(4500));  // no hang in QUIT or the TLS close
  EXPECT_TRUE(DeliveredTo(suite->starttls).empty());
}

TEST_F(SmtpClientTest, BadAddressesNeverReachTheServer) {
  const Envelope e{"vhxh@example.vn", {"ubnd@example.vn", "x@example.vn>\r\nRCPT TO:<evil@x.vn"}};
  SendResult r = SendNow(Options(suite->starttls.url("smtp")), e, Message());
  EXPECT_EQ(r.outcome, Outcome::kSent) << r.message;
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].code, 0);
  std::vector<Delivered> d = DeliveredTo(suite->starttls);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].meta["rcpt_tos"], nlohmann::json::array({"ubnd@example.vn"}));

  r = SendNow(Options(suite->starttls.url("smtp")), {"a@b.vn\r\nDATA", {"ubnd@example.vn"}},
              Message());
  EXPECT_EQ(r.outcome, Outcome::kPermanent) << r.message;
  EXPECT_FALSE(r.message_refused);  // a bad sender is the config's fault
  EXPECT_EQ(DeliveredTo(suite->starttls).size(), 1u);
}

}  // namespace
}  // namespace tacit::smtp
