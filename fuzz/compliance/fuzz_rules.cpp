// libFuzzer targets for the rule-file loader and the expression parser. Built with clang -fsanitize=fuzzer by
// scripts/fuzz.sh (ctest compliance_libfuzzer_*), or linked with fuzz_driver.cpp under GCC for a time-boxed run in
// ctest (compliance_fuzz). Kept free of <ranges> so clang 14 can compile it against libstdc++.
#include <cstddef>
#include <cstdint>
#include <string>

#include "oms/compliance/expression.hpp"
#include "oms/compliance/rule_book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Under GCC's driver both targets share one entry: a leading '!' picks the expression parser. Under libFuzzer
  // each is its own binary (OMS_FUZZ_TARGET_EXPRESSION / OMS_FUZZ_TARGET_RULES) with its own corpus.
#if defined(OMS_FUZZ_TARGET_EXPRESSION)
  const bool expression = true;
  const std::size_t skip = 0;
#elif defined(OMS_FUZZ_TARGET_RULES)
  const bool expression = false;
  const std::size_t skip = 0;
#else
  const bool expression = size > 0 && data[0] == '!';
  const std::size_t skip = 1;
#endif
  if (expression) {
    oms::compliance::ParseError err;
    auto e = oms::compliance::Expression::parse(std::string_view(text).substr(skip), &err);
    if (!e.ok() && (err.offset < 0 || static_cast<std::size_t>(err.offset) > size)) __builtin_trap();
    return 0;
  }
  auto r = oms::compliance::load_rule_text(text, "fuzz.yaml", "/nonexistent");
  if (r.ok() == !r.errors.empty()) __builtin_trap();  // exactly one of a book or errors
  for (const auto& e : r.errors)
    if (e.message.empty()) __builtin_trap();
  return 0;
}
