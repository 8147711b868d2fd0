#include "oms/compliance/expression.hpp"

#include <gtest/gtest.h>

namespace oms::compliance {
namespace {

// A fixed environment: quantity 100, side buy, sector "Tech", groups [ucits, esg].
class FakeEnv : public ExprEnv {
 public:
  ExprValue get(Var v, std::string_view attr) const override {
    ExprValue out;
    switch (v) {
      case Var::order_quantity: out.type = ValueType::number, out.n = Exact{100, 1}; break;
      case Var::order_side: out.type = ValueType::string, out.s = "buy"; break;
      case Var::order_is_buy: out.type = ValueType::boolean, out.b = true; break;
      case Var::instrument_sector: out.type = ValueType::string, out.s = "Tech"; break;
      case Var::instrument_attr: out.type = ValueType::string, out.s = attr == "esg" ? "A" : ""; break;
      case Var::account_groups: out.type = ValueType::string_list, out.list = &groups; break;
      case Var::post_issuer_pct_nav: out.type = ValueType::number, out.n = Exact{1000001, 100000}; break;  // 10.00001
      default: out.type = ValueType::number; break;
    }
    return out;
  }
  std::vector<std::string> groups{"ucits", "esg"};
};

bool run(const std::string& text) {
  auto e = Expression::parse(text);
  EXPECT_TRUE(e.ok()) << text << ": " << (e.ok() ? "" : e.error().message);
  if (!e.ok()) return false;
  bool out = false;
  std::string err;
  EXPECT_TRUE(e->evaluate(FakeEnv{}, out, err)) << err;
  return out;
}

TEST(Expression, ComparisonsAndLogic) {
  EXPECT_TRUE(run("order.quantity == 100"));
  EXPECT_TRUE(run("order.quantity <= 100 and order.quantity >= 100"));
  EXPECT_FALSE(run("order.quantity < 100"));
  EXPECT_TRUE(run("order.quantity > 99.9999 or false"));
  EXPECT_TRUE(run("not (order.side == \"sell\")"));
  EXPECT_TRUE(run("order.is_buy && instrument.sector != 'Energy'"));
  EXPECT_TRUE(run("account.groups contains \"esg\""));
  EXPECT_FALSE(run("account.groups contains \"40act\""));
  EXPECT_TRUE(run("instrument.sector in [\"Tech\", \"Energy\"]"));
  EXPECT_TRUE(run("instrument.attr.esg == \"A\""));
  EXPECT_TRUE(run("instrument.attr.unknown == \"\""));
}

TEST(Expression, ArithmeticIsExact) {
  EXPECT_TRUE(run("0.1 + 0.2 == 0.3"));                  // exact rationals: no binary rounding
  EXPECT_TRUE(run("order.quantity / 3 * 3 == 100"));
  EXPECT_TRUE(run("-order.quantity + 100 == 0"));
  // 10.00001 is above 10 by one hundred-thousandth: decided exactly.
  EXPECT_FALSE(run("post_trade.issuer_pct_nav <= 10"));
  EXPECT_TRUE(run("post_trade.issuer_pct_nav <= 10.00001"));
}

TEST(Expression, DivisionByZeroIsAnEvaluationError) {
  auto e = Expression::parse("order.quantity / 0 > 1");
  ASSERT_TRUE(e.ok());
  bool out = true;
  std::string err;
  EXPECT_FALSE(e->evaluate(FakeEnv{}, out, err));
  EXPECT_EQ(err, "division by zero");
}

TEST(Expression, ParseErrorsGiveOffsetAndMessage) {
  struct Case {
    const char* text;
    int offset;
    const char* message_part;
  };
  const Case cases[] = {
      {"order.quantity >", 16, "ends too early"},
      {"order.qty > 1", 0, "unknown name 'order.qty'"},
      {"order.quantity > \"x\"", 15, "compares numbers"},
      {"order.quantity", 0, "must be true/false"},
      {"(order.is_buy", 13, "missing ')'"},
      {"order.side == \"buy", 14, "closing quote"},
      {"order.is_buy and 1", 13, "'and' needs true/false"},
      {"account.groups contains 1", 15, "'contains' needs"},
      {"order.is_buy )", 13, "unexpected ')'"},
  };
  for (const auto& c : cases) {
    ParseError pe;
    auto e = Expression::parse(c.text, &pe);
    EXPECT_FALSE(e.ok()) << c.text;
    EXPECT_EQ(pe.offset, c.offset) << c.text;
    EXPECT_NE(pe.message.find(c.message_part), std::string::npos) << c.text << " -> " << pe.message;
  }
}

TEST(Expression, DeepNestingIsRefusedNotACrash) {
  std::string text(5000, '(');
  text += "true" + std::string(5000, ')');
  ParseError pe;
  EXPECT_FALSE(Expression::parse(text, &pe).ok());
  EXPECT_NE(pe.message.find("nested too deeply"), std::string::npos);
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  EXPECT_FALSE(Expression::parse(nots + "true").ok());
}

}  // namespace
}  // namespace oms::compliance
