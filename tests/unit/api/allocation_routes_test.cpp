// GET/POST /api/v1/orders/{id}/allocation: a block's allocation and a PM's amendment of it, with the same
// rights as trading every fund of the order (a refused amendment changes neither the record nor the broker).
#include "api_fixture.hpp"

namespace oms::api::test {
namespace {

class AllocationRoutes : public ApiFixture {
 protected:
  // 100 AAPL for GROWTH 60 / BALANCED 40 (alice trades both; bob only BALANCED), filled at 190.25.
  std::uint64_t filled_block() {
    json order{{"allocations", {{{"account", "GROWTH"}, {"quantity", "60"}}, {{"account", "BALANCED"}, {"quantity", "40"}}}},
               {"symbol", "AAPL"},
               {"side", "buy"},
               {"quantity", "100"},
               {"limit_price", "190.25"}};
    const auto id = place(order);
    fill(id, "100", "190.25", "e1");
    return id;
  }
  static json amendment(const char* growth, const char* balanced) {
    return {{"allocations", {{{"account", "GROWTH"}, {"quantity", growth}}, {{"account", "BALANCED"}, {"quantity", balanced}}}}};
  }
};

TEST_F(AllocationRoutes, AnyoneMayReadTheAllocation) {
  const auto id = filled_block();
  auto r = get("/api/v1/orders/" + std::to_string(id) + "/allocation", "erin");
  ASSERT_EQ(r.status, 200) << r.text;
  const json& a = r.body["allocation"]["allocation"];
  EXPECT_EQ(a["alloc_id"], "T-1-A1");
  EXPECT_EQ(a["status"], "sent");
  EXPECT_EQ(a["avg_px"], "190.25");
  // 19,025.00 split 60:40 -> 11,415.00 / 7,610.00
  EXPECT_EQ(a["lines"][0], (json{{"account", "GROWTH"}, {"quantity", "60"}, {"gross", "11415.00"},
                                 {"commission", "0.00"}, {"fees", "0.00"}}));
  EXPECT_EQ(a["lines"][1]["gross"], "7610.00");
  EXPECT_EQ(r.body["allocation"]["state"], "Final");
  // A single-fund order has no allocation.
  const auto single = place();
  EXPECT_EQ(get("/api/v1/orders/" + std::to_string(single) + "/allocation", "erin").status, 404);
}

TEST_F(AllocationRoutes, PmOfEveryFundAmendsAndAReplacementGoesOut) {
  const auto id = filled_block();
  const std::string target = "/api/v1/orders/" + std::to_string(id) + "/allocation";
  const auto before = snapshot();
  EXPECT_EQ(post(target, "bob", amendment("50", "50")).status, 403);   // not a PM of GROWTH
  EXPECT_EQ(post(target, "erin", amendment("50", "50")).status, 403);  // viewer
  EXPECT_EQ(post(target, "carol", amendment("50", "50")).status, 403); // compliance does not trade
  auto bad = post(target, "alice", amendment("50", "40"));             // does not sum to the 100 filled
  EXPECT_EQ(bad.status, 422) << bad.text;
  EXPECT_EQ(post(target, "alice", json{{"allocations", "all"}}).status, 400);
  EXPECT_EQ(snapshot(), before);

  auto r = post(target, "alice", amendment("50", "50"));
  ASSERT_EQ(r.status, 202) << r.text;
  const json& a = r.body["allocation"]["allocation"];
  EXPECT_EQ(a["alloc_id"], "T-1-A2");
  EXPECT_EQ(a["ref_alloc_id"], "T-1-A1");
  EXPECT_EQ(a["fixed_by"], "alice");
  EXPECT_EQ(a["lines"][1]["quantity"], "50");
  EXPECT_EQ(gateway.count('J'), 2u);
  // Trader may amend every fund too.
  EXPECT_EQ(post(target, "dave", amendment("60", "40")).status, 202);
}

}  // namespace
}  // namespace oms::api::test
