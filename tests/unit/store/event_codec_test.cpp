#include "oms/store/event_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sample_events.hpp"

namespace oms::store {
namespace {

using namespace oms::store::testing;
using nlohmann::json;

TEST(EventCodec, EveryKindRoundTripsThroughText) {
  std::uint64_t seq = 1;
  for (auto e : every_kind()) {
    e.seq = seq++;
    const std::string text = encode_event(e);
    auto back = decode_event(text);
    ASSERT_TRUE(back.ok()) << text << ": " << back.error().message;
    EXPECT_EQ(*back, e) << text;
  }
}

TEST(EventCodec, EveryOrderEventAlternativeIsCoveredAndRoundTrips) {
  const auto events = every_order_event();
  ASSERT_EQ(events.size(), std::variant_size_v<book::OrderEvent>);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].index(), i);
    auto back = order_event_from_json(order_event_to_json(events[i]));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(*back, events[i]);
  }
}

TEST(EventCodec, EveryPayloadAlternativeIsCovered) {
  std::vector<bool> seen(std::variant_size_v<EventPayload>, false);
  for (const auto& e : every_kind()) seen[e.payload.index()] = true;
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << "payload alternative " << i;
}

TEST(EventCodec, DecimalsAreStringsAndTimesAreNanos) {
  auto e = record(OrderId(1), OrderAccepted{ClOrdID("abc-1-1"), block_spec()});
  const json j = to_json(e);
  EXPECT_EQ(j.at("type"), "OrderAccepted");
  EXPECT_EQ(j.at("time_ns").get<std::int64_t>(), 1'790'000'000'000'000'000);
  const json& spec = j.at("payload").at("spec");
  EXPECT_EQ(spec.at("quantity"), "1000.5");
  EXPECT_EQ(spec.at("limit_price"), "101.123456");
  EXPECT_EQ(spec.at("allocations").at(1).at("quantity"), "400.5");
  EXPECT_EQ(spec.at("expire_time_ns").get<std::int64_t>(), 1'800'000'000'123'456'789);
  EXPECT_EQ(spec.at("side"), "sell_short");
}

TEST(EventCodec, EmptyOptionalsAreOmittedAndReadBackEmpty) {
  auto e = record(OrderId(2), OrderAccepted{ClOrdID("abc-2-1"), single_spec()});
  const json j = to_json(e);
  EXPECT_FALSE(j.at("payload").at("spec").contains("limit_price"));
  EXPECT_FALSE(j.at("payload").at("spec").contains("expire_time_ns"));
  json with_null = j;
  with_null["payload"]["spec"]["limit_price"] = nullptr;
  auto back = event_from_json(with_null);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(EventCodec, ExtremeValuesRoundTrip) {
  PositionChanged p{AccountId("F"), Symbol("S"), Quantity::from_raw(INT64_MIN), Money::from_raw(INT64_MAX),
                    Money::from_raw(-1)};
  auto e = record(OrderId(UINT64_MAX), p, INT64_MIN);
  e.seq = UINT64_MAX;
  auto back = decode_event(encode_event(e));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(EventCodec, MalformedInputIsAnErrorNotAnException) {
  const auto good = to_json(record(OrderId(1), OrderAccepted{ClOrdID("abc-1-1"), block_spec()}));
  std::vector<std::string> bad_texts = {"", "{", "[]", "null", "42", R"({"seq":1})", "{\"seq\":1,}"};
  for (const auto& text : bad_texts) {
    auto r = decode_event(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, Errc::parse_error);
  }
  auto mutate = [&](auto&& f) {
    json j = good;
    f(j);
    return event_from_json(j);
  };
  EXPECT_FALSE(mutate([](json& j) { j["type"] = "NoSuchEvent"; }).ok());
  EXPECT_FALSE(mutate([](json& j) { j["seq"] = -1; }).ok());
  EXPECT_FALSE(mutate([](json& j) { j["seq"] = "1"; }).ok());
  EXPECT_FALSE(mutate([](json& j) { j["time_ns"] = 1.5; }).ok());
  EXPECT_FALSE(mutate([](json& j) { j["payload"]["spec"]["quantity"] = 100; }).ok());      // a number, not a string
  EXPECT_FALSE(mutate([](json& j) { j["payload"]["spec"]["quantity"] = "1e3"; }).ok());    // not a plain decimal
  EXPECT_FALSE(mutate([](json& j) { j["payload"]["spec"]["limit_price"] = "1.0000001"; }).ok());  // below the scale
  EXPECT_FALSE(mutate([](json& j) { j["payload"]["spec"]["side"] = "sideways"; }).ok());
  EXPECT_FALSE(mutate([](json& j) { j["payload"]["spec"]["allocations"] = "x"; }).ok());
  EXPECT_FALSE(mutate([](json& j) { j["payload"]["spec"].erase("symbol"); }).ok());
  EXPECT_FALSE(mutate([](json& j) { j["payload"] = json::array(); }).ok());

  json exec = to_json(record(OrderId(1), ExecutionApplied{report(ExecType::Trade, "E9"), book::AckNew{}}));
  exec["payload"]["event"]["type"] = "Teleport";
  EXPECT_FALSE(event_from_json(exec).ok());
  exec["payload"]["event"] = json::object();
  EXPECT_FALSE(event_from_json(exec).ok());
}

TEST(EventCodec, ExecTypeNamesAreDistinctAndParse) {
  const std::string all = "0123456789ABCDEFGHI";
  int known = 0;
  for (char c : all) {
    const auto t = static_cast<ExecType>(c);
    const auto name = exec_type_name(t);
    if (name == "?") continue;
    ++known;
    EXPECT_EQ(parse_exec_type(name), t) << name;
  }
  EXPECT_EQ(known, 16);
  EXPECT_FALSE(parse_exec_type("Bogus").has_value());
}

}  // namespace
}  // namespace oms::store
