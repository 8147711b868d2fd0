#include <algorithm>
#include <cstdio>

#include "internal.hpp"
#include "oms/store/event_codec.hpp"

namespace oms::api {

namespace {
// Nanoseconds as decimal seconds, exactly ("0.000123456"): Prometheus reads seconds.
std::string seconds(std::int64_t ns) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(ns / 1'000'000'000),
                static_cast<long long>(ns % 1'000'000'000));
  return buf;
}
std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void Metrics::record(const std::string& route, int status, std::chrono::nanoseconds latency) {
  std::lock_guard lock(mu_);
  ++counts_[{route, status}];
  const std::int64_t ns = latency.count();
  if (window_.size() < kWindow) window_.push_back(ns);
  else window_[next_] = ns;
  next_ = (next_ + 1) % kWindow;
  sum_ns_ += ns;
  ++count_;
}

std::string Metrics::render() const {
  std::vector<std::int64_t> sorted;
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP oms_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE oms_http_requests_total counter\n";
  for (const auto& [key, n] : counts_)
    out += "oms_http_requests_total{route=\"" + escape_label(key.first) + "\",status=\"" + std::to_string(key.second) +
           std::string("\"} ").append(std::to_string(n)) + "\n";
  out += "# HELP oms_http_request_duration_seconds Handling time of the most recent requests.\n";
  out += "# TYPE oms_http_request_duration_seconds summary\n";
  sorted = window_;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [label, permille] : {std::pair{"0.5", 500}, std::pair{"0.9", 900}, std::pair{"0.99", 990}}) {
    const std::int64_t v =
        sorted.empty() ? 0 : sorted[(sorted.size() - 1) * static_cast<std::size_t>(permille) / 1000];
    out += std::string("oms_http_request_duration_seconds{quantile=\"") + label + "\"} " + seconds(v) + "\n";
  }
  out += "oms_http_request_duration_seconds_sum " + seconds(sum_ns_) + "\n";
  out += std::string("oms_http_request_duration_seconds_count ").append(std::to_string(count_)) + "\n";
  return out;
}

// ---------------------------------------------------------------------------------------------- stream hub

void StreamHub::subscribe(const std::shared_ptr<StreamSink>& sink) {
  std::lock_guard lock(mu_);
  if (!closed_) sinks_.push_back(sink);
}

void StreamHub::unsubscribe(const StreamSink* sink) {
  std::lock_guard lock(mu_);
  std::erase_if(sinks_, [&](const std::weak_ptr<StreamSink>& w) {
    auto s = w.lock();
    return !s || s.get() == sink;
  });
}

void StreamHub::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  sinks_.clear();
}

std::size_t StreamHub::clients() const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(
      std::count_if(sinks_.begin(), sinks_.end(), [](const std::weak_ptr<StreamSink>& w) { return !w.expired(); }));
}

void StreamHub::broadcast(const std::string& message) {
  auto shared = std::make_shared<const std::string>(message);
  // push() only posts to the socket's executor, so holding the lock is short; it also means close()
  // returns only once no push is in flight.
  std::lock_guard lock(mu_);
  for (const auto& w : sinks_)
    if (auto s = w.lock()) s->push(shared);
}

void StreamHub::on_event(const engine::EventRecord& event) {
  // Core thread: serialise only when someone listens; push() only queues.
  if (clients() == 0) return;
  broadcast(nlohmann::json{{"type", "event"}, {"event", store::to_json(event)}}.dump());
}

}  // namespace oms::api
