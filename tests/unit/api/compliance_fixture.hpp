#pragma once
// ApiFixture with pre-trade compliance: a rule book written to a temporary directory, the engine checking every
// order against it, and the compliance routes served.
#include <unistd.h>

#include <fstream>

#include "api_fixture.hpp"
#include "oms/api/compliance_routes.hpp"

namespace oms::api::test {

// AAPL's reference price is 190. A 300-share order (57,000) needs approval; GROWTH's 100 AAPL are 1.86% of its
// NAV, above the 1% issuer limit, which only sells are checked against (so the end-of-day report has a breach
// while buys are not blocked).
inline const char* kComplianceRules = R"(rules:
  - id: fat-finger
    description: No order above 1,000 shares
    type: max_order_quantity
    max_quantity: 1000
    severity: block
  - id: big-ticket
    description: Orders above 50,000 need approval
    type: max_order_notional
    max_notional: 50000
    severity: approval
  - id: issuer-1pct
    description: No issuer above 1% of NAV
    type: issuer_concentration
    limit_pct_nav: 1
    aggregate_by: issuer
    scope: { sides: [any_sell] }
    severity: warn
)";

inline const std::vector<std::string> kComplianceUsers{"alice", "bob", "dave", "carol", "root", "erin"};
//                                      pm(own) pm(other) trader compliance admin viewer

class ComplianceFixture : public ApiFixture {
 protected:
  void SetUp() override {
    dir = std::filesystem::path(::testing::TempDir()) / ("rules-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "rules.yaml") << kComplianceRules;
    ASSERT_TRUE(holder.reload(dir.string(), "startup", clock.now()).ok());
    rules = &holder;
    ref.instruments[Symbol{"AAPL"}].issuer = "Apple Inc";  // issuer rules group by it
    ApiFixture::SetUp();
  }
  void TearDown() override {
    ApiFixture::TearDown();
    std::filesystem::remove_all(dir);
  }
  void add_routes(ApiServer& s) override {
    context = std::make_unique<ComplianceRoutesContext>(ComplianceRoutesContext{*engine, ref, holder, dir.string(), clock});
    for (auto& r : compliance_routes(*context)) s.add_route(std::move(r));
  }

  std::uint64_t place_held() {
    const auto id = place(limit_order("GROWTH", "300", "190"), "dave");
    EXPECT_EQ(order(id).workflow, Workflow::HeldForApproval);
    return id;
  }
  std::string path(std::uint64_t id, const char* tail) { return "/api/v1/orders/" + std::to_string(id) + tail; }

  // Runs `action` as each user on a fresh held order; checks the status, that a 403 changes nothing (record,
  // broker, rule book history) and, for `mutates`, that an allowed call changes something.
  void row(const std::string& name, const std::vector<int>& expected,
           const std::function<Reply(const std::string& user, std::uint64_t held)>& action, bool mutates) {
    constexpr int NO = 403;
    ASSERT_EQ(expected.size(), kComplianceUsers.size());
    for (std::size_t i = 0; i < kComplianceUsers.size(); ++i) {
      const auto id = place_held();
      const auto before = snapshot();
      const auto history = holder.history().size();
      const Reply r = action(kComplianceUsers[i], id);
      EXPECT_EQ(r.status, expected[i]) << name << " as " << kComplianceUsers[i] << ": " << r.text;
      if (expected[i] == NO) {
        EXPECT_EQ(r.code(), "forbidden") << name << " as " << kComplianceUsers[i];
        EXPECT_EQ(snapshot(), before) << name << " as " << kComplianceUsers[i] << " changed the state";
        EXPECT_EQ(holder.history().size(), history) << name << " as " << kComplianceUsers[i] << " reloaded the rules";
        EXPECT_EQ(order(id).workflow, Workflow::HeldForApproval);
      } else if (mutates) {
        EXPECT_TRUE(snapshot() != before || holder.history().size() != history)
            << name << " as " << kComplianceUsers[i] << " did nothing";
      }
    }
    // Without a token: 401, nothing changes.
    const auto id = place_held();
    const auto before = snapshot();
    const Reply r = action("", id);
    EXPECT_EQ(r.status, 401) << name << " without a token";
    EXPECT_EQ(snapshot(), before);
  }
  Reply as(const std::string& user, const std::string& method, const std::string& target, const json& body = nullptr) {
    return call(method, target, user.empty() ? "" : "tok-" + user, body.is_null() ? "" : body.dump());
  }

  std::filesystem::path dir;
  compliance::RuleBookHolder holder;
  std::unique_ptr<ComplianceRoutesContext> context;
};

}  // namespace oms::api::test
