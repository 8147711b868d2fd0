#pragma once
// Pieces of the api adapter shared by its translation units (none of them includes Beast).
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "oms/api/http.hpp"
#include "oms/api/server.hpp"

namespace oms::api {

// A request refused before it reaches the engine (bad JSON, wrong type, missing field, role). Thrown by
// handlers and parsing helpers, turned into an error response at the router: nothing was applied.
struct ApiError {
  int status{400};
  std::string code;
  std::string message;
  std::string field;
};

[[noreturn]] inline void fail(int status, std::string code, std::string message, std::string field = {}) {
  throw ApiError{status, std::move(code), std::move(message), std::move(field)};
}
[[noreturn]] inline void fail(const Error& e) {
  throw ApiError{http_status(e), to_string(e.code), e.message, e.field};
}

// Request counts and latencies for /metrics. Thread-safe.
class Metrics {
 public:
  void record(const std::string& route, int status, std::chrono::nanoseconds latency);
  std::string render() const;  // Prometheus text: oms_http_requests_total, oms_http_request_duration_seconds

 private:
  static constexpr std::size_t kWindow = 4096;  // quantiles over the most recent requests
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> counts_;
  std::vector<std::int64_t> window_;
  std::size_t next_{0};
  std::int64_t sum_ns_{0};
  std::uint64_t count_{0};
};

// A stream client (a WebSocket session). push() must not block: it queues to the socket's executor.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void push(std::shared_ptr<const std::string> message) = 0;
};

// Fans committed events out to stream clients. on_event runs on the engine's core thread.
class StreamHub final : public engine::Notifier {
 public:
  void subscribe(const std::shared_ptr<StreamSink>& sink);
  void unsubscribe(const StreamSink* sink);
  void broadcast(const std::string& message);
  std::size_t clients() const;
  // No further pushes once this returns (the server is stopping).
  void close();
  void on_event(const engine::EventRecord& event) override;

 private:
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<StreamSink>> sinks_;
  bool closed_{false};
};

// The services handlers use.
struct Services {
  ApiContext ctx;
  Metrics& metrics;
  StreamHub& hub;
};

class Router {
 public:
  Router(Services services, std::filesystem::path web_root);
  void add(Route route);
  // Never throws: every failure becomes a JSON error response.
  Response handle(Request& request);
  // Bearer token from the Authorization header, or ?token= (browsers cannot set WebSocket headers).
  AuthResult authenticate(const Request& request) const;
  static Response auth_error(const AuthResult& result);
  // Splits request.target into path and query (percent-decoded). False if it does not decode.
  static bool parse_target(Request& request);

 private:
  struct Compiled {
    Route route;
    std::vector<std::string> segments;  // "{x}" is a placeholder
  };
  Response dispatch(Request& request, std::string& route_name);
  Response serve_static(const Request& request) const;

  Services services_;
  std::filesystem::path web_root_;
  std::vector<Compiled> routes_;
};

void add_order_routes(Router& router, Services& services);
void add_view_routes(Router& router, Services& services);

// Session state as the API shows it (also pushed on the stream).
nlohmann::json sessions_json(const std::vector<FixSessionInfo>& sessions);

}  // namespace oms::api
