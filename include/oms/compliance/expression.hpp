#pragma once
// A small, safe boolean expression language for `expression` rules. Parsed and type-checked once at load into an
// AST; evaluation is exact (rationals over __int128), allocation-free for numbers and bounded by the AST size.
//
//   expr    := or ; or := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | cmp
//   cmp     := sum (('=='|'!='|'<'|'<='|'>'|'>='|'contains'|'in') sum)?
//   sum     := prod (('+'|'-') prod)* ; prod := unary (('*'|'/') unary)* ; unary := '-' unary | primary
//   primary := NUMBER | "string" | true | false | path | '(' expr ')' | '[' "s", ... ']'
//   path    := ident ('.' ident)*        e.g. order.quantity, instrument.attr.esg_rating, post_trade.issuer_pct_nav
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "oms/compliance/types.hpp"

namespace oms::compliance {

enum class ValueType : std::uint8_t { boolean, number, string, string_list };

// Everything an expression may read. The evaluator fills what the AST needs (see Expr::uses_post_trade()).
enum class Var : std::uint8_t {
  order_quantity, order_notional, order_price, order_side, order_type, order_symbol, order_is_buy, order_is_sell,
  order_pct_adv,
  instrument_symbol, instrument_issuer, instrument_parent_issuer, instrument_sector, instrument_country,
  instrument_asset_class, instrument_currency, instrument_reference_price, instrument_adv,
  instrument_shares_outstanding, instrument_attr,  // instrument.attr.<name>
  account_id, account_groups, account_name,
  pre_nav, pre_cash, pre_position, pre_position_pct_nav, pre_issuer_pct_nav, pre_parent_issuer_pct_nav,
  pre_sector_pct_nav, pre_country_pct_nav, pre_asset_class_pct_nav,
  post_nav, post_cash, post_position, post_position_pct_nav, post_issuer_pct_nav, post_parent_issuer_pct_nav,
  post_sector_pct_nav, post_country_pct_nav, post_asset_class_pct_nav,
};

struct ExprValue {
  ValueType type{ValueType::boolean};
  bool b{false};
  Exact n;
  std::string_view s;                           // points into the AST or the context (no copies)
  const std::vector<std::string>* list{nullptr};
};

// What a variable evaluates to; supplied by the evaluator.
class ExprEnv {
 public:
  virtual ~ExprEnv() = default;
  virtual ExprValue get(Var v, std::string_view attr_name) const = 0;
};

struct ExprNode;
struct ParseError {
  int offset{0};  // 0-based character offset in the expression text
  std::string message;
};

class Expression {
 public:
  // Parses and type-checks; the whole expression must be boolean.
  static Result<Expression> parse(std::string_view text, ParseError* err = nullptr);
  // false with `error` set when evaluation fails (division by zero, overflow).
  bool evaluate(const ExprEnv& env, bool& out, std::string& error) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<const ExprNode> root_;
};

}  // namespace oms::compliance
