#pragma once
// A BrokerGateway for tests: records what the engine sent and answers as scripted (up or down per
// broker). Header-only; not linked into omsd.
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "oms/engine/ports.hpp"

namespace oms::engine::testing {

struct SentMessage {
  char msg_type;  // 'D', 'F', 'G', 'H', 'Q'
  OrderId order_id;
  ClOrdID cl_ord_id;
  ClOrdID orig_cl_ord_id;
  BrokerId broker;
  Quantity order_qty;
  ReplaceSpec replace;
  std::string text;
  std::optional<AllocationFixed> allocation;  // 'J' only
};

class ScriptedGateway final : public BrokerGateway {
 public:
  explicit ScriptedGateway(BrokerId default_broker = BrokerId{"BROKER"}) : default_(std::move(default_broker)) {}

  void set_down(const BrokerId& broker, bool down) {
    std::lock_guard lock(mu_);
    if (down) down_.insert(broker);
    else down_.erase(broker);
  }
  // Pretend a NewOrderSingle was handed over before a crash (the session journal holds it).
  void mark_journaled(const ClOrdID& id) {
    std::lock_guard lock(mu_);
    journaled_.insert(id);
  }
  std::vector<SentMessage> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  std::size_t count(char msg_type) const {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& m : sent_) n += m.msg_type == msg_type;
    return n;
  }

  Status send_new_order(const RoutedOrder& o) override { return record('D', o); }
  Status send_cancel(const RoutedOrder& o) override { return record('F', o); }
  Status send_replace(const RoutedOrder& o) override { return record('G', o); }
  Status send_status_request(const RoutedOrder& o) override { return record('H', o); }
  Status send_dont_know(const ExecutionReport& r, const std::string& reason) override {
    std::lock_guard lock(mu_);
    sent_.push_back(SentMessage{'Q', OrderId{}, r.cl_ord_id, ClOrdID{}, r.session, r.last_qty, {}, reason, {}});
    return {};
  }
  Status send_allocation(const RoutedAllocation& a) override {
    std::lock_guard lock(mu_);
    const BrokerId broker = a.spec && !a.spec->broker.empty() ? a.spec->broker : default_;
    if (down_.count(broker)) return make_error(Errc::unavailable, "broker " + broker.value + " is logged out");
    // text: the AllocID, followed by " cancel" for a cancel
    SentMessage m{'J', a.order_id, ClOrdID{}, ClOrdID{}, broker, a.allocation->allocation.quantity, {},
                  a.allocation->alloc_id + (a.cancel ? " cancel" : ""), {}};
    m.allocation = *a.allocation;
    sent_.push_back(std::move(m));
    return {};
  }
  std::vector<AllocationFixed> allocations_sent() const {
    std::lock_guard lock(mu_);
    std::vector<AllocationFixed> out;
    for (const auto& m : sent_)
      if (m.allocation) out.push_back(*m.allocation);
    return out;
  }
  BrokerId default_broker() const override { return default_; }
  bool has_sent(const BrokerId&, const ClOrdID& id) override {
    std::lock_guard lock(mu_);
    if (journaled_.count(id)) return true;
    for (const auto& m : sent_)
      if (m.msg_type == 'D' && m.cl_ord_id == id) return true;
    return false;
  }

 private:
  Status record(char type, const RoutedOrder& o) {
    std::lock_guard lock(mu_);
    const BrokerId broker = o.spec && !o.spec->broker.empty() ? o.spec->broker : default_;
    if (down_.count(broker)) return make_error(Errc::unavailable, "broker " + broker.value + " is logged out");
    sent_.push_back(SentMessage{type, o.order_id, o.cl_ord_id, o.orig_cl_ord_id, broker, o.order_qty, o.replace, {}, {}});
    return {};
  }

  mutable std::mutex mu_;
  BrokerId default_;
  std::set<BrokerId> down_;
  std::set<ClOrdID> journaled_;
  std::vector<SentMessage> sent_;
};

}  // namespace oms::engine::testing
