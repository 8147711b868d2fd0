#pragma once
// A small synchronous HTTP/1.1 and WebSocket client over Beast, for omsctl, the API tests and the
// bench. Every call has a timeout. Beast stays behind a pimpl (src/api/client.cpp).
//
// Errors: cannot resolve or connect, or the connection failed mid-request -> Errc::unavailable;
// a timeout -> Errc::unavailable with "timed out" in the message; a bad URL -> Errc::invalid_argument.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "oms/core/result.hpp"

namespace oms::api::client {

struct Url {
  std::string scheme{"http"};
  std::string host{"127.0.0.1"};
  std::uint16_t port{80};
  std::string base_path;  // without a trailing '/', e.g. "" or "/oms"
};
// "http://127.0.0.1:8080", "127.0.0.1:8080", "http://host/prefix". https is refused (not supported yet).
Result<Url> parse_url(std::string_view text);

struct HttpResult {
  int status{0};
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(std::string host, std::uint16_t port,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Keeps the connection open between requests (keep-alive) and reconnects once if the server had
  // closed it. A JSON body gets Content-Type: application/json.
  Result<HttpResult> request(std::string_view method, std::string_view target, std::string_view body = {},
                             const Headers& headers = {});
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes `bytes` as they are and returns everything the server sends until it closes the connection
// or `timeout` passes (tests of malformed HTTP).
Result<std::string> raw_exchange(const std::string& host, std::uint16_t port, std::string_view bytes,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(5));

class WsClient {
 public:
  // Opens ws://host:port<target>. A refused upgrade is an Error whose message holds the HTTP status and
  // body (Errc::forbidden for 401/403).
  static Result<std::unique_ptr<WsClient>> connect(const std::string& host, std::uint16_t port,
                                                   const std::string& target, const Headers& headers = {},
                                                   std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~WsClient();
  // The next text message; a timeout closes the connection.
  Result<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  WsClient();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oms::api::client
