#include "oms/compliance/expression.hpp"

#include <cctype>
#include <unordered_map>

namespace oms::compliance {

enum class Op : std::uint8_t { lit, var, list, neg, not_, and_, or_, eq, ne, lt, le, gt, ge, contains, in, add, sub, mul, div };

struct ExprNode {
  Op op{Op::lit};
  ValueType type{ValueType::boolean};
  ExprValue literal;
  std::string text;                 // string literal / attribute name storage
  std::vector<std::string> items;   // list literal
  Var var{Var::order_quantity};
  std::unique_ptr<ExprNode> lhs, rhs;
};

namespace {

struct VarInfo {
  Var var;
  ValueType type;
};

const std::unordered_map<std::string, VarInfo>& var_table() {
  using T = ValueType;
  static const std::unordered_map<std::string, VarInfo> table = {
      {"order.quantity", {Var::order_quantity, T::number}},
      {"order.notional", {Var::order_notional, T::number}},
      {"order.price", {Var::order_price, T::number}},
      {"order.side", {Var::order_side, T::string}},
      {"order.type", {Var::order_type, T::string}},
      {"order.symbol", {Var::order_symbol, T::string}},
      {"order.is_buy", {Var::order_is_buy, T::boolean}},
      {"order.is_sell", {Var::order_is_sell, T::boolean}},
      {"order.pct_adv", {Var::order_pct_adv, T::number}},
      {"instrument.symbol", {Var::instrument_symbol, T::string}},
      {"instrument.issuer", {Var::instrument_issuer, T::string}},
      {"instrument.parent_issuer", {Var::instrument_parent_issuer, T::string}},
      {"instrument.sector", {Var::instrument_sector, T::string}},
      {"instrument.country", {Var::instrument_country, T::string}},
      {"instrument.asset_class", {Var::instrument_asset_class, T::string}},
      {"instrument.currency", {Var::instrument_currency, T::string}},
      {"instrument.reference_price", {Var::instrument_reference_price, T::number}},
      {"instrument.adv", {Var::instrument_adv, T::number}},
      {"instrument.shares_outstanding", {Var::instrument_shares_outstanding, T::number}},
      {"account.id", {Var::account_id, T::string}},
      {"account.name", {Var::account_name, T::string}},
      {"account.groups", {Var::account_groups, T::string_list}},
      {"pre_trade.nav", {Var::pre_nav, T::number}},
      {"pre_trade.cash", {Var::pre_cash, T::number}},
      {"pre_trade.position", {Var::pre_position, T::number}},
      {"pre_trade.position_pct_nav", {Var::pre_position_pct_nav, T::number}},
      {"pre_trade.issuer_pct_nav", {Var::pre_issuer_pct_nav, T::number}},
      {"pre_trade.parent_issuer_pct_nav", {Var::pre_parent_issuer_pct_nav, T::number}},
      {"pre_trade.sector_pct_nav", {Var::pre_sector_pct_nav, T::number}},
      {"pre_trade.country_pct_nav", {Var::pre_country_pct_nav, T::number}},
      {"pre_trade.asset_class_pct_nav", {Var::pre_asset_class_pct_nav, T::number}},
      {"post_trade.nav", {Var::post_nav, T::number}},
      {"post_trade.cash", {Var::post_cash, T::number}},
      {"post_trade.position", {Var::post_position, T::number}},
      {"post_trade.position_pct_nav", {Var::post_position_pct_nav, T::number}},
      {"post_trade.issuer_pct_nav", {Var::post_issuer_pct_nav, T::number}},
      {"post_trade.parent_issuer_pct_nav", {Var::post_parent_issuer_pct_nav, T::number}},
      {"post_trade.sector_pct_nav", {Var::post_sector_pct_nav, T::number}},
      {"post_trade.country_pct_nav", {Var::post_country_pct_nav, T::number}},
      {"post_trade.asset_class_pct_nav", {Var::post_asset_class_pct_nav, T::number}},
  };
  return table;
}

const char* type_name(ValueType t) {
  switch (t) {
    case ValueType::boolean: return "true/false";
    case ValueType::number: return "a number";
    case ValueType::string: return "text";
    case ValueType::string_list: return "a list";
  }
  return "?";
}

enum class Tok : std::uint8_t { end, number, string, ident, lparen, rparen, lbrack, rbrack, comma, op };

struct Token {
  Tok kind{Tok::end};
  std::string text;
  int offset{0};
};

class Parser {
 public:
  explicit Parser(std::string_view src) : src_(src) { next(); }

  std::unique_ptr<ExprNode> parse_all() {
    auto n = parse_or();
    if (!n) return nullptr;
    if (tok_.kind != Tok::end) return fail(tok_.offset, "unexpected '" + tok_.text + "'");
    return n;
  }
  ParseError error;

 private:
  static constexpr int kMaxDepth = 64;  // bounds recursion on hostile input

  std::unique_ptr<ExprNode> fail(int offset, std::string msg) {
    if (error.message.empty()) error = ParseError{offset, std::move(msg)};
    return nullptr;
  }

  void next() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
    tok_ = Token{Tok::end, "", static_cast<int>(pos_)};
    if (pos_ >= src_.size()) return;
    const char c = src_[pos_];
    const std::size_t start = pos_;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (pos_ < src_.size() && (std::isdigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '.')) ++pos_;
      tok_.kind = Tok::number;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (pos_ < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_' || src_[pos_] == '.'))
        ++pos_;
      tok_.kind = Tok::ident;
    } else if (c == '"' || c == '\'') {
      ++pos_;
      std::string s;
      while (pos_ < src_.size() && src_[pos_] != c) s += src_[pos_++];
      if (pos_ >= src_.size()) {
        tok_.kind = Tok::op;
        tok_.text = "unterminated text";
        bad_string_ = true;
        return;
      }
      ++pos_;
      tok_.kind = Tok::string;
      tok_.text = std::move(s);
      return;
    } else if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
      ++pos_;
      tok_.kind = c == '(' ? Tok::lparen : c == ')' ? Tok::rparen : c == '[' ? Tok::lbrack : c == ']' ? Tok::rbrack : Tok::comma;
    } else {
      static const char* two[] = {"==", "!=", "<=", ">=", "&&", "||"};
      tok_.kind = Tok::op;
      for (const char* t : two)
        if (src_.substr(pos_, 2) == t) {
          pos_ += 2;
          tok_.text = t;
          return;
        }
      ++pos_;
    }
    tok_.text = std::string(src_.substr(start, pos_ - start));
  }

  bool is_op(std::string_view s) const { return (tok_.kind == Tok::op || tok_.kind == Tok::ident) && tok_.text == s; }

  std::unique_ptr<ExprNode> binary(Op op, ValueType type, std::unique_ptr<ExprNode> l, std::unique_ptr<ExprNode> r) {
    auto n = std::make_unique<ExprNode>();
    n->op = op;
    n->type = type;
    n->lhs = std::move(l);
    n->rhs = std::move(r);
    return n;
  }

  std::unique_ptr<ExprNode> parse_or() {
    if (++depth_ > kMaxDepth) return fail(tok_.offset, "expression is nested too deeply");
    auto l = parse_and();
    while (l && (is_op("or") || is_op("||"))) {
      const int at = tok_.offset;
      next();
      auto r = parse_and();
      if (!r) return nullptr;
      if (l->type != ValueType::boolean || r->type != ValueType::boolean)
        return fail(at, "'or' needs true/false on both sides");
      l = binary(Op::or_, ValueType::boolean, std::move(l), std::move(r));
    }
    --depth_;
    return l;
  }
  std::unique_ptr<ExprNode> parse_and() {
    auto l = parse_not();
    while (l && (is_op("and") || is_op("&&"))) {
      const int at = tok_.offset;
      next();
      auto r = parse_not();
      if (!r) return nullptr;
      if (l->type != ValueType::boolean || r->type != ValueType::boolean)
        return fail(at, "'and' needs true/false on both sides");
      l = binary(Op::and_, ValueType::boolean, std::move(l), std::move(r));
    }
    return l;
  }
  std::unique_ptr<ExprNode> parse_not() {
    if (is_op("not") || is_op("!")) {
      const int at = tok_.offset;
      if (++depth_ > kMaxDepth) return fail(at, "expression is nested too deeply");
      next();
      auto x = parse_not();
      --depth_;
      if (!x) return nullptr;
      if (x->type != ValueType::boolean) return fail(at, "'not' needs true/false");
      auto n = std::make_unique<ExprNode>();
      n->op = Op::not_;
      n->lhs = std::move(x);
      return n;
    }
    return parse_cmp();
  }
  std::unique_ptr<ExprNode> parse_cmp() {
    auto l = parse_sum();
    if (!l) return nullptr;
    static const std::pair<const char*, Op> ops[] = {{"==", Op::eq}, {"!=", Op::ne}, {"<=", Op::le}, {">=", Op::ge},
                                                     {"<", Op::lt},  {">", Op::gt},  {"contains", Op::contains},
                                                     {"in", Op::in}};
    for (const auto& [text, op] : ops) {
      if (!is_op(text)) continue;
      const int at = tok_.offset;
      next();
      auto r = parse_sum();
      if (!r) return nullptr;
      const ValueType lt = l->type, rt = r->type;
      if (op == Op::eq || op == Op::ne) {
        if (lt != rt || lt == ValueType::string_list)
          return fail(at, std::string("cannot compare ") + type_name(lt) + " with " + type_name(rt));
      } else if (op == Op::contains) {
        if (!((lt == ValueType::string_list || lt == ValueType::string) && rt == ValueType::string))
          return fail(at, "'contains' needs a list or text on the left and text on the right");
      } else if (op == Op::in) {
        if (!(lt == ValueType::string && rt == ValueType::string_list))
          return fail(at, "'in' needs text on the left and a list on the right");
      } else if (lt != ValueType::number || rt != ValueType::number) {
        return fail(at, std::string("'") + text + "' compares numbers, not " + type_name(lt) + " and " + type_name(rt));
      }
      return binary(op, ValueType::boolean, std::move(l), std::move(r));
    }
    return l;
  }
  std::unique_ptr<ExprNode> parse_sum() {
    auto l = parse_prod();
    while (l && (is_op("+") || is_op("-"))) {
      const Op op = tok_.text == "+" ? Op::add : Op::sub;
      const int at = tok_.offset;
      next();
      auto r = parse_prod();
      if (!r) return nullptr;
      if (l->type != ValueType::number || r->type != ValueType::number) return fail(at, "arithmetic needs numbers");
      l = binary(op, ValueType::number, std::move(l), std::move(r));
    }
    return l;
  }
  std::unique_ptr<ExprNode> parse_prod() {
    auto l = parse_unary();
    while (l && (is_op("*") || is_op("/"))) {
      const Op op = tok_.text == "*" ? Op::mul : Op::div;
      const int at = tok_.offset;
      next();
      auto r = parse_unary();
      if (!r) return nullptr;
      if (l->type != ValueType::number || r->type != ValueType::number) return fail(at, "arithmetic needs numbers");
      l = binary(op, ValueType::number, std::move(l), std::move(r));
    }
    return l;
  }
  std::unique_ptr<ExprNode> parse_unary() {
    if (is_op("-")) {
      const int at = tok_.offset;
      if (++depth_ > kMaxDepth) return fail(at, "expression is nested too deeply");
      next();
      auto x = parse_unary();
      --depth_;
      if (!x) return nullptr;
      if (x->type != ValueType::number) return fail(at, "'-' needs a number");
      auto n = std::make_unique<ExprNode>();
      n->op = Op::neg;
      n->type = ValueType::number;
      n->lhs = std::move(x);
      return n;
    }
    return parse_primary();
  }
  std::unique_ptr<ExprNode> parse_primary() {
    const Token t = tok_;
    if (bad_string_) return fail(t.offset, "text is missing its closing quote");
    auto n = std::make_unique<ExprNode>();
    switch (t.kind) {
      case Tok::end: return fail(t.offset, "expression ends too early");
      case Tok::number: {
        auto v = Exact::parse(t.text);
        if (!v) return fail(t.offset, "'" + t.text + "' is not a number");
        n->type = ValueType::number;
        n->literal.type = ValueType::number;
        n->literal.n = *v;
        next();
        return n;
      }
      case Tok::string:
        n->type = ValueType::string;
        n->text = t.text;
        next();
        return n;
      case Tok::ident: {
        if (t.text == "true" || t.text == "false") {
          n->literal.b = t.text == "true";
          next();
          return n;
        }
        const auto& table = var_table();
        if (auto it = table.find(t.text); it != table.end()) {
          n->op = Op::var;
          n->var = it->second.var;
          n->type = it->second.type;
        } else if (t.text.rfind("instrument.attr.", 0) == 0 && t.text.size() > 16) {
          n->op = Op::var;
          n->var = Var::instrument_attr;
          n->type = ValueType::string;
          n->text = t.text.substr(16);
        } else {
          return fail(t.offset, "unknown name '" + t.text + "' (see the expression reference in README.md)");
        }
        next();
        return n;
      }
      case Tok::lparen: {
        next();
        auto inner = parse_or();
        if (!inner) return nullptr;
        if (tok_.kind != Tok::rparen) return fail(tok_.offset, "missing ')'");
        next();
        return inner;
      }
      case Tok::lbrack: {
        next();
        n->op = Op::list;
        n->type = ValueType::string_list;
        while (tok_.kind != Tok::rbrack) {
          if (tok_.kind != Tok::string) return fail(tok_.offset, "a list holds quoted text items, like [\"a\", \"b\"]");
          n->items.push_back(tok_.text);
          next();
          if (tok_.kind == Tok::comma) next();
          else if (tok_.kind != Tok::rbrack) return fail(tok_.offset, "missing ']'");
        }
        next();
        return n;
      }
      default: return fail(t.offset, "unexpected '" + t.text + "'");
    }
  }

  std::string_view src_;
  std::size_t pos_{0};
  Token tok_;
  int depth_{0};
  bool bad_string_{false};
};

__int128 gcd128(__int128 a, __int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const __int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

bool reduce(__int128 num, __int128 den, Exact& out) {
  if (den < 0) num = -num, den = -den;
  const __int128 g = gcd128(num, den);
  if (g > 1) num /= g, den /= g;
  out = Exact{num, den};
  return true;
}

bool arith(Op op, const Exact& a, const Exact& b, Exact& out, std::string& err) {
  __int128 x = 0, y = 0, n = 0, d = 0;
  switch (op) {
    case Op::add:
    case Op::sub:
      if (__builtin_mul_overflow(a.num, b.den, &x) || __builtin_mul_overflow(b.num, a.den, &y) ||
          (op == Op::add ? __builtin_add_overflow(x, y, &n) : __builtin_sub_overflow(x, y, &n)) ||
          __builtin_mul_overflow(a.den, b.den, &d))
        break;
      return reduce(n, d, out);
    case Op::mul:
      if (__builtin_mul_overflow(a.num, b.num, &n) || __builtin_mul_overflow(a.den, b.den, &d)) break;
      return reduce(n, d, out);
    case Op::div:
      if (b.num == 0) {
        err = "division by zero";
        return false;
      }
      if (__builtin_mul_overflow(a.num, b.den, &n) || __builtin_mul_overflow(a.den, b.num, &d)) break;
      return reduce(n, d, out);
    default: break;
  }
  err = "number too large";
  return false;
}

bool eval(const ExprNode& node, const ExprEnv& env, ExprValue& out, std::string& err) {
  switch (node.op) {
    case Op::lit:
      out = node.literal;
      if (node.type == ValueType::string) out.type = ValueType::string, out.s = node.text;
      return true;
    case Op::var: out = env.get(node.var, node.text); return true;
    case Op::list:
      out = ExprValue{};
      out.type = ValueType::string_list;
      out.list = &node.items;
      return true;
    case Op::neg: {
      if (!eval(*node.lhs, env, out, err)) return false;
      out.n.num = -out.n.num;
      return true;
    }
    case Op::not_:
      if (!eval(*node.lhs, env, out, err)) return false;
      out.b = !out.b;
      return true;
    case Op::and_:
    case Op::or_: {
      if (!eval(*node.lhs, env, out, err)) return false;
      if (out.b == (node.op == Op::or_)) return true;  // short-circuit
      return eval(*node.rhs, env, out, err);
    }
    default: break;
  }
  ExprValue l, r;
  if (!eval(*node.lhs, env, l, err) || !eval(*node.rhs, env, r, err)) return false;
  out = ExprValue{};
  out.type = node.type;
  switch (node.op) {
    case Op::add:
    case Op::sub:
    case Op::mul:
    case Op::div: return arith(node.op, l.n, r.n, out.n, err);
    case Op::eq:
    case Op::ne: {
      bool eq = false;
      if (l.type == ValueType::number) eq = compare(l.n, r.n) == 0;
      else if (l.type == ValueType::string) eq = l.s == r.s;
      else eq = l.b == r.b;
      out.b = node.op == Op::eq ? eq : !eq;
      return true;
    }
    case Op::lt: out.b = compare(l.n, r.n) < 0; return true;
    case Op::le: out.b = compare(l.n, r.n) <= 0; return true;
    case Op::gt: out.b = compare(l.n, r.n) > 0; return true;
    case Op::ge: out.b = compare(l.n, r.n) >= 0; return true;
    case Op::contains:
      if (l.type == ValueType::string) {
        out.b = l.s.find(r.s) != std::string_view::npos;
      } else {
        out.b = false;
        if (l.list)
          for (const auto& s : *l.list)
            if (s == r.s) out.b = true;
      }
      return true;
    case Op::in:
      out.b = false;
      if (r.list)
        for (const auto& s : *r.list)
          if (s == l.s) out.b = true;
      return true;
    default: err = "internal: bad node"; return false;
  }
}

}  // namespace

Result<Expression> Expression::parse(std::string_view text, ParseError* err) {
  Parser p(text);
  auto root = p.parse_all();
  if (root && root->type != ValueType::boolean) {
    p.error = ParseError{0, std::string("the condition must be true/false, not ") + type_name(root->type)};
    root.reset();
  }
  if (!root) {
    if (err) *err = p.error;
    return make_error(Errc::parse_error, p.error.message);
  }
  Expression e;
  e.text_ = std::string(text);
  e.root_ = std::shared_ptr<const ExprNode>(std::move(root));
  return e;
}

bool Expression::evaluate(const ExprEnv& env, bool& out, std::string& error) const {
  ExprValue v;
  if (!root_ || !eval(*root_, env, v, error)) return false;
  out = v.b;
  return true;
}

}  // namespace oms::compliance
