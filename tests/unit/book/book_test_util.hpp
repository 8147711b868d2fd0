#pragma once
// Small builders shared by the book tests.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "oms/book/order_state.hpp"

namespace oms::book::testing {

inline Quantity qty(int whole) { return Quantity::from_int(whole); }
inline Price px(const char* text) { return *Price::parse(text); }
inline Quantity qty_text(const char* text) { return *Quantity::parse(text); }
inline ExecID xid(std::string s) { return ExecID{std::move(s)}; }
inline ClOrdID cid(std::string s) { return ClOrdID{std::move(s)}; }

// A 100-share limit order at 10.00, ClOrdID "O1", PendingNew.
inline OrderState fresh() { return OrderState::create(cid("O1"), qty(100), px("10")); }

// Applies each event, failing the test if any is refused.
inline OrderState run(OrderState s, std::initializer_list<OrderEvent> events) {
  for (const auto& e : events) {
    const Status st = book::apply(s, e);
    EXPECT_TRUE(st.ok()) << event_name(e) << ": " << st.error().message;
  }
  return s;
}

}  // namespace oms::book::testing
