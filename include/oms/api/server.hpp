#pragma once
// The HTTP/JSON API and the WebSocket stream, served by omsd (Boost.Beast on Boost.Asio, behind a pimpl:
// only src/api/server.cpp includes Beast).
//
// Threading: one network thread runs the sockets; requests are handled on a small worker pool, where a
// handler may wait for the engine's reply (engine futures). The stream's Notifier runs on the engine's
// core thread and never blocks: it serialises the event once and posts it to each socket's queue.
//
// Wiring (omsd):
//   oms::api::ApiServer api(options, oms::api::ApiContext{engine, ref, users, clock, sessions, history});
//   // constructed BEFORE engine.start(): it registers its Notifier with engine.add_notifier()
//   engine.start();
//   if (auto st = api.start(); !st) ...;   // binds; api.port() is the bound port (0 asked = ephemeral)
//   ... api.stop(); engine.stop();
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "oms/api/http.hpp"
#include "oms/api/users.hpp"
#include "oms/core/clock.hpp"
#include "oms/engine/engine.hpp"

namespace oms::api {

struct ApiOptions {
  std::string listen_host{"127.0.0.1"};
  std::uint16_t listen_port{8080};  // 0: an ephemeral port (see ApiServer::port())
  std::filesystem::path web_root;   // static files served at "/"; empty: none
  std::size_t max_body_bytes{64 * 1024};      // larger bodies answer 413
  std::size_t max_header_bytes{16 * 1024};
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};  // idle keep-alive and slow clients
  std::chrono::milliseconds session_push_interval{std::chrono::seconds(5)};  // FIX session state on the stream
  unsigned worker_threads{4};
  std::size_t max_stream_queue{10000};  // a stream client this far behind is disconnected
  std::filesystem::path tls_certificate;  // both set: HTTPS/WSS (PEM files)
  std::filesystem::path tls_private_key;
};

// FIX session state as the API shows it (a copy of fix::SessionStatus, so the api does not depend on
// the fix adapter; omsd converts).
struct FixSessionInfo {
  std::string name;
  std::string session_id;
  bool logged_on{false};
  int next_sender_seq{0};
  int next_target_seq{0};
  std::string last_error;
};

using SessionsSource = std::function<std::vector<FixSessionInfo>()>;  // thread-safe; may be empty
// The event log (EventStore::load(), or an indexed query later). Thread-safe; may be empty, then the
// audit trail and an order's events answer 503.
using HistorySource = std::function<Result<std::vector<engine::EventRecord>>()>;

struct ApiContext {
  engine::Engine& engine;
  const engine::ReferenceData& reference;
  const UserDirectory& users;
  const Clock& clock;  // token expiry
  SessionsSource sessions;
  HistorySource history;
};

class ApiServer {
 public:
  // Registers the stream's Notifier with ctx.engine: construct before engine.start().
  ApiServer(ApiOptions options, ApiContext ctx);
  ~ApiServer();  // stops
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Extra routes (e.g. compliance: what-if, rules, approvals, eod). Before start().
  void add_route(Route route);

  // Binds and starts serving. Errors: the address cannot be bound, TLS files unreadable.
  Status start();
  // Closes the listener and every connection, joins the threads. Idempotent.
  void stop();
  // The bound port (after start()).
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oms::api
