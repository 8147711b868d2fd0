// The only translation unit of the server that includes Beast (~17 s to compile): sockets, HTTP
// parsing and writing, the WebSocket stream. Routing and handlers live in Beast-free files.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <deque>
#include <optional>
#include <thread>

#include "internal.hpp"

namespace oms::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
namespace ssl = net::ssl;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

struct Shared {
  const ApiOptions& options;
  Router& router;
  StreamHub& hub;
  Metrics& metrics;
  net::thread_pool& workers;
  std::function<std::string()> hello_sessions;  // current session state for a new stream client
};

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

Request to_api_request(http::request<http::string_body>& req) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& f : req) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = std::move(req.body());
  return r;
}

// ------------------------------------------------------------------------------------------- WebSocket

// Stream: beast::tcp_stream (ws://) or TlsStream (wss://), already past the TLS handshake.
template <class Stream>
class WsSession final : public StreamSink, public std::enable_shared_from_this<WsSession<Stream>> {
  using std::enable_shared_from_this<WsSession<Stream>>::shared_from_this;

 public:
  WsSession(Stream&& stream, Shared& shared, const User* user) : ws_(std::move(stream)), shared_(shared), user_(user) {}

  void run(http::request<http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "omsd"); }));
    ws_.read_message_max(shared_.options.max_body_bytes);
    ws_.async_accept(req, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
  }

  // Any thread (the engine's core thread for events): only posts.
  void push(std::shared_ptr<const std::string> message) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), message] { self->enqueue(message); });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    open_ = true;
    shared_.hub.subscribe(shared_from_this());
    nlohmann::json roles = nlohmann::json::array();
    for (auto r : user_->roles) roles.push_back(to_string(r));
    enqueue(std::make_shared<const std::string>(
        nlohmann::json{{"type", "hello"}, {"user", user_->id.value}, {"roles", roles}}.dump()));
    if (shared_.hello_sessions) enqueue(std::make_shared<const std::string>(shared_.hello_sessions()));
    do_read();
  }

  void do_read() { ws_.async_read(in_, beast::bind_front_handler(&WsSession::on_read, shared_from_this())); }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return finish();
    in_.consume(in_.size());  // the stream is one-way; client messages are ignored
    do_read();
  }

  void enqueue(std::shared_ptr<const std::string> message) {
    if (!open_ || closing_) return;
    if (queue_.size() >= shared_.options.max_stream_queue) {
      // A client this far behind would hold memory without bound: drop it; it reconnects and re-reads.
      closing_ = true;
      spdlog::warn("api: stream client {} is too slow, disconnecting", user_->id.value);
      ws_.async_close(websocket::close_reason(websocket::close_code::policy_error, "too slow"),
                      [self = shared_from_this()](beast::error_code) {});
      return;
    }
    queue_.push_back(std::move(message));
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return finish();
    queue_.pop_front();
    if (!queue_.empty() && !closing_) do_write();
  }

  void finish() {
    open_ = false;
    queue_.clear();
    shared_.hub.unsubscribe(this);
  }

  websocket::stream<Stream> ws_;
  beast::flat_buffer in_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  Shared& shared_;
  const User* user_;
  bool open_{false};
  bool closing_{false};
};

// ------------------------------------------------------------------------------------------------ HTTP

template <class Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>> {
  using std::enable_shared_from_this<HttpSession<Stream>>::shared_from_this;
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  HttpSession(tcp::socket&& socket, Shared& shared, ssl::context* tls) : stream_(make(std::move(socket), tls)), shared_(shared) {}

  void run() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::start, shared_from_this())); }

 private:
  static Stream make(tcp::socket&& socket, ssl::context* tls) {
    if constexpr (kTls) return Stream(std::move(socket), *tls);
    else return Stream(std::move(socket));
  }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void start() {
    if constexpr (kTls) {
      lowest().expires_after(shared_.options.read_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->do_read();  // a failed handshake (e.g. plain HTTP on a TLS port) just closes
      });
    } else {
      do_read();
    }
  }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(shared_.options.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.max_header_bytes));
    lowest().expires_after(shared_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return shutdown();
    if (ec == http::error::body_limit)
      return reply_and_close(413, "body_too_large",
                             std::string("the body exceeds ").append(std::to_string(shared_.options.max_body_bytes)) + " bytes");
    if (ec == http::error::header_limit) return reply_and_close(431, "headers_too_large", "the request headers are too large");
    if (ec && ec != http::error::partial_message && is_parse_error(ec))
      return reply_and_close(400, "bad_request", "malformed HTTP request: " + ec.message());
    if (ec) return;  // timeout, reset, partial message: the connection is gone or useless

    auto req = parser_->release();
    if (websocket::is_upgrade(req)) return upgrade(std::move(req));
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    Request api_req = to_api_request(req);
    lowest().expires_never();  // the handler may wait on the engine; the timeout is for reading
    net::post(shared_.workers, [self = shared_from_this(), api_req = std::move(api_req), keep_alive, version]() mutable {
      Response resp = self->shared_.router.handle(api_req);
      net::post(self->stream_.get_executor(), [self, resp = std::move(resp), keep_alive, version]() mutable {
        self->write(std::move(resp), keep_alive, version);
      });
    });
  }

  void upgrade(http::request<http::string_body> req) {
    http::request<http::string_body> copy = req;
    Request api_req = to_api_request(copy);
    if (!Router::parse_target(api_req) || api_req.path != "/api/v1/stream")
      return write(error_response(404, "not_found", "WebSocket is served at /api/v1/stream only"), false, req.version());
    const AuthResult auth = shared_.router.authenticate(api_req);
    if (auth.outcome != AuthOutcome::ok) return write(Router::auth_error(auth), false, req.version());
    lowest().expires_never();
    std::make_shared<WsSession<Stream>>(std::move(stream_), shared_, auth.user)->run(std::move(req));
  }

  void write(Response r, bool keep_alive, unsigned version) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res->set(http::field::server, "omsd");
    res->set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res->set(k, v);
    res->keep_alive(keep_alive);
    res->body() = std::move(r.body);
    res->prepare_payload();
    lowest().expires_after(shared_.options.read_timeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (!keep_alive) return self->shutdown();
      self->do_read();
    });
  }

  // An error before the request could be handled: answer, then close (the rest of the request is unread).
  void reply_and_close(int status, const std::string& code, const std::string& message) {
    shared_.metrics.record("refused", status, std::chrono::nanoseconds{0});
    write(error_response(status, code, message), false, 11);
  }

  void shutdown() {
    if constexpr (kTls) {
      lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
        beast::error_code ec;
        self->lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
      });
      return;
    } else {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      // Drain what the client still sends so closing does not reset the connection before it has read
      // our answer (a 413 leaves the body unread).
      lowest().expires_after(std::chrono::seconds(2));
      drain_ = std::make_shared<std::array<char, 4096>>();
      do_drain();
    }
  }

  void do_drain() {
    stream_.async_read_some(net::buffer(*drain_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->do_drain();
    });
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<std::array<char, 4096>> drain_;
  Shared& shared_;
};

}  // namespace

// ----------------------------------------------------------------------------------------------- server

struct ApiServer::Impl {
  Impl(ApiOptions o, ApiContext c)
      : options(std::move(o)), ctx(std::move(c)), services{ctx, metrics, hub}, router(services, options.web_root),
        workers(std::max(1u, options.worker_threads)) {
    add_order_routes(router, services);
    add_view_routes(router, services);
  }

  std::string sessions_message() const {
    return nlohmann::json{{"type", "sessions"},
                          {"sessions", sessions_json(ctx.sessions ? ctx.sessions() : std::vector<FixSessionInfo>{})}}
        .dump();
  }

  void do_accept() {
    acceptor->async_accept(net::make_strand(*ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec && tls) std::make_shared<HttpSession<TlsStream>>(std::move(socket), *shared, tls.get())->run();
      else if (!ec) std::make_shared<HttpSession<beast::tcp_stream>>(std::move(socket), *shared, nullptr)->run();
      do_accept();
    });
  }

  void arm_timer() {
    timer->expires_after(options.session_push_interval);
    timer->async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (hub.clients() > 0 && ctx.sessions) hub.broadcast(sessions_message());
      arm_timer();
    });
  }

  ApiOptions options;
  ApiContext ctx;
  Metrics metrics;
  StreamHub hub;
  Services services;
  Router router;
  net::thread_pool workers;
  std::optional<Shared> shared;
  // Destroyed before the members above: destroying the io_context destroys the sessions, which refer
  // to the router and the hub.
  std::unique_ptr<ssl::context> tls;  // set when a certificate is configured
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::steady_timer> timer;
  std::thread thread;
  std::uint16_t port{0};
  bool started{false};
  bool stopped{false};
};

ApiServer::ApiServer(ApiOptions options, ApiContext ctx) : impl_(std::make_unique<Impl>(std::move(options), std::move(ctx))) {
  impl_->ctx.engine.add_notifier(&impl_->hub);
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::add_route(Route route) { impl_->router.add(std::move(route)); }

std::uint16_t ApiServer::port() const { return impl_->port; }

Status ApiServer::start() {
  Impl& m = *impl_;
  if (m.started) return make_error(Errc::conflict, "the API server is already started");
  if (!m.options.tls_certificate.empty() || !m.options.tls_private_key.empty()) {
    if (m.options.tls_certificate.empty() || m.options.tls_private_key.empty())
      return make_error(Errc::invalid_argument, "TLS needs both a certificate and a private key");
    m.tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    beast::error_code ec;
    m.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                       ec);
    if (!ec) m.tls->use_certificate_chain_file(m.options.tls_certificate.string(), ec);
    if (ec) return make_error(Errc::io_error, "TLS certificate " + m.options.tls_certificate.string() + ": " + ec.message());
    m.tls->use_private_key_file(m.options.tls_private_key.string(), ssl::context::pem, ec);
    if (ec) return make_error(Errc::io_error, "TLS private key " + m.options.tls_private_key.string() + ": " + ec.message());
  }
  m.ioc = std::make_unique<net::io_context>(1);
  m.shared.emplace(Shared{m.options, m.router, m.hub, m.metrics, m.workers, [&m] { return m.sessions_message(); }});
  beast::error_code ec;
  const auto address = net::ip::make_address(m.options.listen_host, ec);
  if (ec) return make_error(Errc::invalid_argument, "api listen address '" + m.options.listen_host + "': " + ec.message());
  const tcp::endpoint endpoint{address, m.options.listen_port};
  m.acceptor = std::make_unique<tcp::acceptor>(*m.ioc);
  m.acceptor->open(endpoint.protocol(), ec);
  if (!ec) m.acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) m.acceptor->bind(endpoint, ec);
  if (!ec) m.acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    m.acceptor.reset();
    return make_error(Errc::io_error, "api cannot listen on " + m.options.listen_host + ":" +
                                          std::to_string(m.options.listen_port) + ": " + ec.message());
  }
  m.port = m.acceptor->local_endpoint().port();
  m.timer = std::make_unique<net::steady_timer>(*m.ioc);
  m.do_accept();
  m.arm_timer();
  m.thread = std::thread([&m] { m.ioc->run(); });
  m.started = true;
  spdlog::info("api: listening on {}://{}:{}", m.tls ? "https" : "http", m.options.listen_host, m.port);
  return {};
}

void ApiServer::stop() {
  Impl& m = *impl_;
  if (!m.started || m.stopped) return;
  m.stopped = true;
  m.hub.close();  // no event reaches a socket from now on
  net::post(*m.ioc, [&m] {
    beast::error_code ec;
    m.acceptor->close(ec);
    m.timer->cancel();
  });
  m.ioc->stop();
  m.thread.join();
  m.workers.join();  // handlers in flight finish (their answers are dropped)
  m.timer.reset();
  m.acceptor.reset();
  m.ioc.reset();  // destroys every session, closing its socket
  spdlog::info("api: stopped");
}

}  // namespace oms::api
