#include "oms_initiator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "oms/engine/engine.hpp"
#include "oms/fix/gateway.hpp"

namespace oms::bench {

namespace {

engine::ReferenceData reference_data() {
  engine::ReferenceData ref;
  Instrument bench;
  bench.symbol = Symbol{"BENCH"};
  bench.name = "benchmark instrument";
  bench.asset_class = "equity";
  bench.reference_price = Price::from_int(10);
  ref.instruments.emplace(bench.symbol, bench);
  Account fund;
  fund.id = AccountId{"FUND"};
  fund.name = "benchmark fund";
  fund.nav = Money::from_int(1'000'000'000);
  fund.cash = Money::from_int(1'000'000'000);
  ref.accounts.emplace(fund.id, fund);
  return ref;
}

}  // namespace

struct OmsInitiator::Impl final : public engine::Notifier {
  explicit Impl(OmsOptions o) : options(std::move(o)), ref(reference_data()) {}

  // Core thread, after the events are durable.
  void on_event(const engine::EventRecord& e) override {
    if (const auto* accepted = std::get_if<engine::OrderAccepted>(&e.payload)) {
      // The harness's index travels in the order's note.
      const std::string& note = accepted->spec.note;
      std::uint64_t index = 0;
      std::from_chars(note.data(), note.data() + note.size(), index);
      index_of[e.order_id.value] = index;
      stage(index, kAccepted);
    } else if (const auto* exec = std::get_if<engine::ExecutionApplied>(&e.payload)) {
      if (exec->report.ord_status == OrdStatus::Rejected) set_error("rejected: " + exec->report.text);
      auto it = index_of.find(e.order_id.value);
      if (it == index_of.end()) return;
      const std::uint64_t index = it->second;
      if (exec->report.ord_status == OrdStatus::New) stage(index, kNew);
      if (exec->report.ord_status != OrdStatus::Filled) return;
      stage(index, kFilled);
      index_of.erase(it);
      done(index);
    } else if (const auto* wf = std::get_if<engine::WorkflowChanged>(&e.payload)) {
      if (wf->workflow == Workflow::Routed) {
        if (auto it = index_of.find(e.order_id.value); it != index_of.end()) stage(it->second, kRouted);
      }
      if (wf->workflow == Workflow::NotRouted || wf->workflow == Workflow::ComplianceRejected)
        set_error("order " + std::to_string(e.order_id.value) + " not routed: " + wf->reason);
    } else if (const auto* alert = std::get_if<engine::Alert>(&e.payload)) {
      set_error("alert " + alert->kind + ": " + alert->message);
    }
  }

  enum Stage { kSubmitted, kAccepted, kRouted, kNew, kFilled, kStages };
  void stage(std::uint64_t index, Stage s) {
    std::lock_guard lock(stages_mu);
    stages[index][s] = now_ns();
  }

  void set_error(std::string e) {
    std::lock_guard lock(mu);
    error = std::move(e);
  }

  OmsOptions options;
  engine::ReferenceData ref;
  SystemClock clock;
  Done done;
  std::map<std::uint64_t, std::uint64_t> index_of;  // OrderId -> harness index; core thread only
  mutable std::mutex mu;
  std::string error;
  std::mutex stages_mu;
  std::map<std::uint64_t, std::array<Nanos, kStages>> stages;  // by harness index
  std::future<Result<OrderId>> last_reply;  // harness thread only: tells why an order was refused
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<fix::FixGateway> gateway;
  std::unique_ptr<engine::Engine> engine;
};

OmsInitiator::OmsInitiator(OmsOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
OmsInitiator::~OmsInitiator() { stop(); }

std::string OmsInitiator::name() const {
  return std::string("OMS (durability ") + std::string(store::to_string(impl_->options.durability)) +
         (impl_->options.transport == fix::Transport::asio ? ", asio)" : ", quickfix)");
}

std::string OmsInitiator::start(Done done) {
  auto& m = *impl_;
  m.done = std::move(done);
  std::filesystem::create_directories(m.options.dir);
  store::SqliteStoreOptions store_options;
  store_options.durability = m.options.durability;
  auto opened = store::SqliteStore::open((m.options.dir / "oms.db").string(), store_options);
  if (!opened) return "order book record: " + opened.error().message;
  m.store = std::move(*opened);

  fix::SessionSpec session;
  session.name = "BROKER";
  session.sender_comp_id = m.options.sender_comp_id;
  session.target_comp_id = m.options.target_comp_id;
  session.port = m.options.port;
  session.reconnect_seconds = 1;
  session.data_dictionary = m.options.dictionary;
  m.gateway = std::make_unique<fix::FixGateway>(std::vector<fix::SessionSpec>{session}, "BROKER", *m.store,
                                                m.options.dir / "fix-log", m.clock);
  m.gateway->use_transport(m.options.transport);
  m.engine = std::make_unique<engine::Engine>(m.ref, *m.store, *m.gateway, m.clock);
  if (auto st = m.engine->recover(); !st) return "recover: " + st.error().message;
  m.engine->add_notifier(&m);
  m.engine->start();
  m.gateway->attach(m.engine.get());
  if (auto st = m.gateway->start(); !st) return st.error().message;
  for (int i = 0; i < 1000; ++i) {
    const auto sessions = m.gateway->sessions();
    if (!sessions.empty() && sessions.front().logged_on) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return name() + ": no logon within 10 s";
}

void OmsInitiator::submit(std::uint64_t index) {
  engine::NewOrderCommand cmd;
  cmd.user = UserId{"bench"};
  OrderSpec& s = cmd.spec;
  s.account = AccountId{"FUND"};
  s.symbol = Symbol{"BENCH"};
  s.side = Side::Buy;
  s.ord_type = OrdType::Limit;
  s.quantity = Quantity::from_int(100);
  s.limit_price = Price::from_int(10);
  s.tif = TimeInForce::Day;
  s.decided_by = cmd.user;
  s.entered_by = cmd.user;
  s.note = std::to_string(index);
  impl_->stage(index, Impl::kSubmitted);
  // The reply (OrderId once the acceptance is durable) is not waited for: completion is the recorded fill.
  impl_->last_reply = impl_->engine->submit(std::move(cmd));
}

std::string OmsInitiator::stage_medians() {
  static constexpr const char* kNames[] = {"", "accepted and durable", "sent, Routed durable",
                                           "New report durable", "fill durable"};
  std::map<std::uint64_t, std::array<Nanos, Impl::kStages>> stages;
  {
    std::lock_guard lock(impl_->stages_mu);
    stages.swap(impl_->stages);
  }
  std::string out;
  for (int s = Impl::kAccepted; s < Impl::kStages; ++s) {
    std::vector<Nanos> d;
    for (const auto& [index, t] : stages)
      if (t[s] && t[s - 1]) d.push_back(t[s] - t[s - 1]);
    std::sort(d.begin(), d.end());
    const Nanos median = d.empty() ? 0 : d[d.size() / 2];
    out += (out.empty() ? "" : ", ") + std::string(kNames[s]) + " +" + std::to_string(median / 1000) + " us";
  }
  return out;
}

std::string OmsInitiator::last_error() const {
  auto& reply = impl_->last_reply;
  if (reply.valid() && reply.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    auto r = reply.get();
    if (!r) return "engine refused the order: " + r.error().message;
  }
  std::lock_guard lock(impl_->mu);
  return impl_->error;
}

void OmsInitiator::stop() {
  auto& m = *impl_;
  if (m.gateway) m.gateway->stop();
  if (m.engine) m.engine->stop();
  m.engine.reset();
  m.gateway.reset();
  m.store.reset();
}

}  // namespace oms::bench
