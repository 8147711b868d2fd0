// libFuzzer-style targets for the rule-file loader and the expression parser. Built with clang -fsanitize=fuzzer
// (define OMS_FUZZ_EXPRESSION for the expression target), or linked with fuzz_driver.cpp under GCC for a
// time-boxed run in ctest. Kept free of <ranges> so clang 14 can compile it against libstdc++.
#include <cstddef>
#include <cstdint>
#include <string>

#include "oms/compliance/expression.hpp"
#include "oms/compliance/rule_book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Both targets in one entry: the first byte picks which, so one corpus exercises both.
  if (size > 0 && data[0] == '!') {
    oms::compliance::ParseError err;
    auto e = oms::compliance::Expression::parse(std::string_view(text).substr(1), &err);
    if (!e.ok() && (err.offset < 0 || static_cast<std::size_t>(err.offset) > size)) __builtin_trap();
    return 0;
  }
  auto r = oms::compliance::load_rule_text(text, "fuzz.yaml", "/nonexistent");
  if (r.ok() == !r.errors.empty()) __builtin_trap();  // exactly one of a book or errors
  for (const auto& e : r.errors)
    if (e.message.empty()) __builtin_trap();
  return 0;
}
