// The only translation unit of the client that includes Beast.
#include "oms/api/client.hpp"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <array>
#include <cctype>
#include <optional>

namespace oms::api::client {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

Error net_error(const std::string& what, const beast::error_code& ec) {
  if (ec == beast::error::timeout) return make_error(Errc::unavailable, what + ": timed out");
  return make_error(Errc::unavailable, what + ": " + ec.message());
}

// Runs the io_context until the operation started before it completes (tcp_stream enforces the
// timeout), then makes it ready for the next one.
void run(net::io_context& ioc) {
  ioc.run();
  ioc.restart();
}

beast::error_code connect(net::io_context& ioc, beast::tcp_stream& stream, const std::string& host, std::uint16_t port,
                          std::chrono::milliseconds timeout) {
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return ec;
  stream.expires_after(timeout);
  stream.async_connect(results, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
  run(ioc);
  if (!ec) stream.socket().set_option(tcp::no_delay(true), ec);
  return ec;
}

}  // namespace

Result<Url> parse_url(std::string_view text) {
  Url url;
  std::string_view rest = text;
  if (auto p = rest.find("://"); p != std::string_view::npos) {
    url.scheme = std::string(rest.substr(0, p));
    rest = rest.substr(p + 3);
  }
  if (url.scheme != "http")
    return make_error(Errc::invalid_argument, "unsupported URL scheme '" + url.scheme + "' (use http://)", "url");
  const auto slash = rest.find('/');
  std::string_view hostport = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.base_path = std::string(rest.substr(slash));
  while (!url.base_path.empty() && url.base_path.back() == '/') url.base_path.pop_back();
  const auto colon = hostport.rfind(':');
  if (colon != std::string_view::npos) {
    const auto port_text = hostport.substr(colon + 1);
    unsigned long port = 0;
    if (port_text.empty() || port_text.size() > 5) return make_error(Errc::invalid_argument, "bad port in URL", "url");
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return make_error(Errc::invalid_argument, "bad port in URL", "url");
      port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port == 0 || port > 65535) return make_error(Errc::invalid_argument, "bad port in URL", "url");
    url.port = static_cast<std::uint16_t>(port);
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) return make_error(Errc::invalid_argument, "no host in URL", "url");
  url.host = std::string(hostport);
  return url;
}

// ------------------------------------------------------------------------------------------------ HTTP

struct HttpClient::Impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  Result<HttpResult> once(std::string_view method, std::string_view target, std::string_view body,
                          const Headers& headers, bool& retry_ok) {
    retry_ok = false;
    const bool reused = stream.has_value();
    if (!stream) {
      stream.emplace(ioc);
      if (auto ec = connect(ioc, *stream, host, port, timeout)) {
        stream.reset();
        return net_error("cannot connect to " + host + ":" + std::to_string(port), ec);
      }
    }
    http::request<http::string_body> req;
    const beast::string_view verb(method.data(), method.size());
    if (http::string_to_verb(verb) != http::verb::unknown) req.method(http::string_to_verb(verb));
    else req.method_string(verb);
    req.target(std::string(target));
    req.version(11);
    req.set(http::field::host, host + ":" + std::to_string(port));
    req.set(http::field::user_agent, "omsctl");
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.keep_alive(true);
    req.body() = std::string(body);
    req.prepare_payload();
    beast::error_code ec;
    stream->expires_after(timeout);
    http::async_write(*stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    run(ioc);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (!ec) {
      stream->expires_after(timeout);
      http::async_read(*stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
      run(ioc);
    }
    if (ec) {
      stream.reset();
      buffer.clear();
      // A kept-alive connection the server closed meanwhile: one fresh attempt is safe only when
      // nothing was answered, which is what end_of_stream / reset before any byte means here.
      retry_ok = reused && ec != beast::error::timeout;
      return net_error(std::string("request ").append(std::string(method)) + " " + std::string(target) + " failed", ec);
    }
    auto res = parser.release();
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    if (!res.keep_alive()) stream.reset(), buffer.clear();
    return out;
  }
};

HttpClient::HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() = default;

Result<HttpResult> HttpClient::request(std::string_view method, std::string_view target, std::string_view body,
                                       const Headers& headers) {
  bool retry = false;
  auto r = impl_->once(method, target, body, headers, retry);
  if (!r && retry) r = impl_->once(method, target, body, headers, retry);
  return r;
}

void HttpClient::close() {
  impl_->stream.reset();
  impl_->buffer.clear();
}

Result<std::string> raw_exchange(const std::string& host, std::uint16_t port, std::string_view bytes,
                                 std::chrono::milliseconds timeout) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  if (auto ec = connect(ioc, stream, host, port, timeout)) return net_error("cannot connect", ec);
  beast::error_code ec;
  stream.expires_after(timeout);
  net::async_write(stream, net::buffer(bytes.data(), bytes.size()), [&](beast::error_code e, std::size_t) { ec = e; });
  run(ioc);
  std::string out;
  std::array<char, 4096> buf;
  while (!ec) {
    stream.expires_after(timeout);
    std::size_t n = 0;
    stream.async_read_some(net::buffer(buf), [&](beast::error_code e, std::size_t k) { ec = e, n = k; });
    run(ioc);
    out.append(buf.data(), n);
  }
  return out;
}

// ------------------------------------------------------------------------------------------- WebSocket

struct WsClient::Impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}
WsClient::~WsClient() = default;

Result<std::unique_ptr<WsClient>> WsClient::connect(const std::string& host, std::uint16_t port,
                                                    const std::string& target, const Headers& headers,
                                                    std::chrono::milliseconds timeout) {
  std::unique_ptr<WsClient> c(new WsClient());
  auto& m = *c->impl_;
  if (auto ec = client::connect(m.ioc, beast::get_lowest_layer(m.ws), host, port, timeout))
    return net_error("cannot connect", ec);
  m.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  websocket::response_type res;
  beast::error_code ec;
  beast::get_lowest_layer(m.ws).expires_after(timeout);
  m.ws.async_handshake(res, host + ":" + std::to_string(port), target, [&](beast::error_code e) { ec = e; });
  run(m.ioc);
  if (ec) {
    const int status = static_cast<int>(res.result_int());
    if (status == 401 || status == 403)
      return make_error(Errc::forbidden, std::string("upgrade refused: HTTP ").append(std::to_string(status)) + " " + res.body());
    return net_error(std::string("WebSocket handshake (HTTP ").append(std::to_string(status)) + ")", ec);
  }
  return c;
}

Result<std::string> WsClient::read(std::chrono::milliseconds timeout) {
  auto& m = *impl_;
  beast::error_code ec;
  beast::get_lowest_layer(m.ws).expires_after(timeout);
  m.ws.async_read(m.buffer, [&](beast::error_code e, std::size_t) { ec = e; });
  run(m.ioc);
  if (ec) return net_error("stream read", ec);
  std::string out = beast::buffers_to_string(m.buffer.data());
  m.buffer.consume(m.buffer.size());
  return out;
}

}  // namespace oms::api::client
