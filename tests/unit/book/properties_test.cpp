// Properties over random event sequences: whatever the broker and the OMS send, in any order, the book's
// sums stay exact and a refused event changes nothing.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "book_test_util.hpp"

namespace oms::book {
// Found by ADL (OrderEvent's alternatives live here): counterexamples print as event names.
inline void showValue(const OrderEvent& e, std::ostream& os) { os << event_name(e); }

namespace {
using namespace testing;

// Small pools so that duplicates, references to earlier trades and reused ClOrdIDs happen often.
rc::Gen<ExecID> gen_exec_id() {
  return rc::gen::map(rc::gen::inRange(0, 8), [](int i) { return xid("E" + std::to_string(i)); });
}
rc::Gen<ClOrdID> gen_cl_ord_id() {
  return rc::gen::map(rc::gen::inRange(0, 6), [](int i) { return cid("K" + std::to_string(i)); });
}
// Mostly whole shares, sometimes fractional, sometimes invalid (zero or negative).
rc::Gen<Quantity> gen_qty() {
  return rc::gen::weightedOneOf<Quantity>({
      {6, rc::gen::map(rc::gen::inRange<std::int64_t>(1, 80), [](std::int64_t n) { return Quantity::from_int(n); })},
      {2, rc::gen::map(rc::gen::inRange<std::int64_t>(1, 800'000), [](std::int64_t r) { return Quantity::from_raw(r); })},
      {1, rc::gen::map(rc::gen::inRange<std::int64_t>(-2, 1), [](std::int64_t r) { return Quantity::from_raw(r); })},
  });
}
// Prices with all six decimals in use (so averages do not divide evenly), sometimes zero or negative.
rc::Gen<Price> gen_px() {
  return rc::gen::weightedOneOf<Price>({
      {8, rc::gen::map(rc::gen::inRange<std::int64_t>(1, 200'000'000), [](std::int64_t r) { return Price::from_raw(r); })},
      {1, rc::gen::just(Price{})},
      {1, rc::gen::just(Price::from_raw(-1))},
  });
}
rc::Gen<OrdStatus> gen_status() {
  return rc::gen::element(OrdStatus::PendingNew, OrdStatus::New, OrdStatus::PartiallyFilled, OrdStatus::Filled,
                          OrdStatus::DoneForDay, OrdStatus::Canceled, OrdStatus::Replaced, OrdStatus::PendingCancel,
                          OrdStatus::Rejected, OrdStatus::Expired, OrdStatus::PendingReplace);
}
rc::Gen<BrokerTotals> gen_totals() {
  return rc::gen::construct<BrokerTotals>(gen_qty(), gen_qty(), gen_px());
}
rc::Gen<std::optional<BrokerTotals>> gen_opt_totals() {
  return rc::gen::weightedOneOf<std::optional<BrokerTotals>>(
      {{3, rc::gen::just(std::optional<BrokerTotals>{})}, {1, rc::gen::map(gen_totals(), [](BrokerTotals t) {
          return std::optional<BrokerTotals>{t};
        })}});
}
template <class T>
rc::Gen<std::optional<T>> opt(rc::Gen<T> g) {
  return rc::gen::map(rc::gen::maybe(std::move(g)), [](rc::Maybe<T> m) { return m ? std::optional<T>(*m) : std::nullopt; });
}

template <class T>
rc::Gen<OrderEvent> as_event(rc::Gen<T> g) {
  return rc::gen::map(std::move(g), [](T t) { return OrderEvent{std::move(t)}; });
}

rc::Gen<ReplaceSpec> gen_spec() {
  return rc::gen::map(rc::gen::tuple(opt(gen_qty()), opt(gen_px())), [](auto t) {
    ReplaceSpec spec;
    spec.quantity = std::get<0>(t);
    spec.limit_price = std::get<1>(t);
    return spec;
  });
}

rc::Gen<OrderEvent> gen_event() {
  using namespace rc::gen;
  return weightedOneOf<OrderEvent>({
      {3, just(OrderEvent{AckNew{}})},
      {1, just(OrderEvent{Reject{"r"}})},
      {8, as_event(construct<PartialFill>(gen_exec_id(), gen_qty(), gen_px(), gen_opt_totals()))},
      {4, as_event(construct<Fill>(gen_exec_id(), gen_qty(), gen_px(), gen_opt_totals()))},
      {2, as_event(construct<CancelRequest>(gen_cl_ord_id()))},
      {2, just(OrderEvent{CancelAck{}})},
      {2, just(OrderEvent{CancelReject{"no"}})},
      {3, as_event(construct<ReplaceRequest>(gen_cl_ord_id(), gen_spec()))},
      {3, as_event(construct<ReplaceAck>(opt(gen_qty()), opt(gen_px())))},
      {2, just(OrderEvent{ReplaceReject{"no"}})},
      {2, as_event(construct<PendingAck>(gen_status()))},
      {1, just(OrderEvent{Expire{}})},
      {1, just(OrderEvent{DoneForDay{}})},
      {2, as_event(map(tuple(opt(gen_qty()), opt(gen_px())), [](auto t) {
         return Restate{std::get<0>(t), std::get<1>(t), "r"};
       }))},
      {3, as_event(construct<TradeCancel>(gen_exec_id()))},
      {2, as_event(construct<TradeCorrect>(gen_exec_id(), gen_exec_id(), gen_qty(), gen_px()))},
      {1, as_event(construct<StatusReport>(gen_status(), gen_totals()))},
  });
}

// The invariants every reachable state satisfies, checked against sums recomputed from the fills.
void check_invariants(const OrderState& s) {
  Quantity cum;
  __int128 gross = 0;
  std::set<std::string> ids;
  for (const auto& f : s.fills) {
    RC_ASSERT(ids.insert(f.exec_id.str()).second);  // ExecIDs are unique
    RC_ASSERT(f.qty.is_positive());
    if (f.busted) continue;
    cum += f.qty;
    gross += gross_raw(f.px, f.qty);
  }
  RC_ASSERT(s.cum_qty == cum);
  RC_ASSERT(s.gross_raw == gross);
  RC_ASSERT(!s.leaves_qty.is_negative());
  if (!s.is_live()) RC_ASSERT(s.leaves_qty.is_zero());
  if (!s.broken) {
    RC_ASSERT(s.cum_qty <= s.order_qty);
    if (s.is_live()) RC_ASSERT(s.cum_qty + s.leaves_qty == s.order_qty);
  }
  RC_ASSERT(s.broken == !s.break_reason.empty());
  // AvgPx is gross/cum rounded half to even, compared as rationals: with a = avg x cum (scale 10),
  // |a - gross| <= cum/2, and on an exact tie the last digit of avg is even.
  const __int128 avg = s.avg_px().raw();
  if (cum.is_zero()) {
    RC_ASSERT(avg == 0);
  } else {
    const __int128 c = cum.raw();
    const __int128 twice_err = 2 * (avg * c - gross);
    RC_ASSERT(twice_err <= c);
    RC_ASSERT(twice_err >= -c);
    if (twice_err == c || twice_err == -c) RC_ASSERT(avg % 2 == 0);
  }
  RC_ASSERT(!s.chain.empty());
  RC_ASSERT(s.chain.back() == s.cl_ord_id);
  RC_ASSERT(s.cancel_pending == (s.pending_cl_ord_id.has_value() && !s.pending_replace.has_value()));
  RC_ASSERT(!s.pending_replace.has_value() || s.pending_cl_ord_id.has_value());
}

// Malformed events tried at every reachable state: each must be refused without a trace, whatever
// the state (random sequences alone rarely pair e.g. a replace in flight with a malformed ack).
const std::vector<OrderEvent>& malformed_probes() {
  static const std::vector<OrderEvent> probes = {
      ReplaceAck{Quantity{}, Price::from_raw(7)},
      ReplaceAck{Quantity::from_int(5), Price::from_raw(-7)},
      PartialFill{xid("P1"), Quantity{}, Price::from_raw(7), BrokerTotals{}},
      Fill{xid("P1"), Quantity::from_int(1), Price::from_raw(-1), BrokerTotals{}},
      Fill{xid(""), Quantity::from_int(1), Price::from_raw(1), std::nullopt},
      Restate{Quantity{}, Price::from_raw(7), "x"},
      Restate{Quantity::from_int(5), Price::from_raw(-7), "x"},
      TradeCorrect{xid("E0"), xid("P2"), Quantity{}, Price::from_raw(7)},
      TradeCorrect{xid("E1"), xid("P2"), Quantity::from_int(1), Price::from_raw(-7)},
      ReplaceRequest{cid("P3"), ReplaceSpec{}},
      ReplaceRequest{cid("P3"), ReplaceSpec{Quantity{}, Price::from_raw(7), std::nullopt, std::nullopt}},
      CancelRequest{cid("")},
      PendingAck{OrdStatus::Filled},
  };
  return probes;
}

void probe(const OrderState& s) {
  for (const auto& e : malformed_probes()) {
    OrderState t = s;
    RC_ASSERT(!book::apply(t, e).ok());
    RC_ASSERT(t == s);
  }
}

RC_GTEST_PROP(BookProperties, RandomSequencesKeepExactSumsAndRefusalsChangeNothing, ()) {
  const auto events = *rc::gen::container<std::vector<OrderEvent>>(gen_event());
  OrderState s = fresh();
  check_invariants(s);
  for (const auto& e : events) {
    const OrderState before = s;
    const Status st = book::apply(s, e);
    if (!st.ok()) {
      RC_ASSERT(s == before);
      RC_ASSERT(!st.error().message.empty());
    } else {
      RC_ASSERT(!before.broken || s.broken);  // breaks are sticky
    }
    check_invariants(s);
    probe(s);
  }
}

// A broker whose totals agree with ours (computed independently) never causes a break while the
// trades stay within the order quantity.
RC_GTEST_PROP(BookProperties, AgreeingBrokerNeverBreaks, ()) {
  const auto trades = *rc::gen::container<std::vector<std::pair<int, std::int64_t>>>(
      rc::gen::pair(rc::gen::inRange(1, 30), rc::gen::inRange<std::int64_t>(1, 50'000'000)));
  OrderState s = run(fresh(), {AckNew{}});
  std::int64_t cum = 0;
  __int128 gross = 0;
  int n = 0;
  for (auto [shares, px_raw] : trades) {
    if (cum + shares > 100) break;
    cum += shares;
    gross += static_cast<__int128>(px_raw) * Quantity::from_int(shares).raw();
    // The broker rounds AvgPx half up to four decimals, as many do.
    const __int128 cum_raw = Quantity::from_int(cum).raw();
    const __int128 avg6 = (gross + cum_raw / 2) / cum_raw;
    const __int128 avg4 = (avg6 + 50) / 100 * 100;
    const BrokerTotals totals{Quantity::from_int(cum), Quantity::from_int(100 - cum),
                              Price::from_raw(static_cast<std::int64_t>(avg4))};
    const std::string id = "T" + std::to_string(++n);
    const Status st = cum == 100 ? book::apply(s, Fill{xid(id), qty(shares), Price::from_raw(px_raw), totals})
                                 : book::apply(s, PartialFill{xid(id), qty(shares), Price::from_raw(px_raw), totals});
    RC_ASSERT(st.ok());
    RC_ASSERT(!s.broken);
  }
  RC_ASSERT(s.cum_qty == Quantity::from_int(cum));
}

}  // namespace
}  // namespace oms::book
