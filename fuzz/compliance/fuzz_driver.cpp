// A small stand-in for libFuzzer under GCC: feeds seed files and mutations of them (byte flips, insertions of YAML
// and expression tokens, splices, truncations) to LLVMFuzzerTestOneInput for a given number of seconds.
//   fuzz_compliance SECONDS SEED_FILE...
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SECONDS [SEED_FILE...]\n", argv[0]);
    return 2;
  }
  const long seconds = std::strtol(argv[1], nullptr, 10);
  std::vector<std::string> corpus = {"", "rules:\n", "!order.quantity > 1", "!not (a", "rules: [ { id: x } ]"};
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    corpus.push_back(ss.str());
    // Also the expressions inside it, as expression-target inputs.
    std::string line;
    std::istringstream lines(ss.str());
    while (std::getline(lines, line))
      if (auto p = line.find("require:"); p != std::string::npos) corpus.push_back("!" + line.substr(p + 8));
  }
  static const char* tokens[] = {":", "- ", "{", "}", "[", "]", "\n", "  ", "\"", "'", "#", "&a", "*a", "!!str", "|",
                                 ">", "rules:", "id:", "type:", "severity:", "scope:", "require:", "and", "or", "not",
                                 "(", ")", "==", "<=", "contains", "in", "order.quantity", "instrument.attr.x",
                                 "99999999999999999999", "-", "0.0000001", "/", "0", "list_file:", "\t", "\xff"};
  std::mt19937_64 rng(12345);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::uint64_t runs = 0;
  while (std::chrono::steady_clock::now() < end) {
    for (int batch = 0; batch < 64; ++batch, ++runs) {
      std::string s = corpus[rng() % corpus.size()];
      const int edits = 1 + static_cast<int>(rng() % 8);
      for (int e = 0; e < edits; ++e) {
        const std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
        switch (rng() % 5) {
          case 0: if (!s.empty() && pos < s.size()) s[pos] = static_cast<char>(rng()); break;
          case 1: s.insert(pos, tokens[rng() % (sizeof tokens / sizeof *tokens)]); break;
          case 2: if (pos < s.size()) s.erase(pos, 1 + rng() % 16); break;
          case 3: { const auto& o = corpus[rng() % corpus.size()]; if (!o.empty()) { const auto a = rng() % o.size(); s.insert(pos, o.substr(a, rng() % 64)); } break; }
          case 4: s.resize(pos); break;
        }
      }
      if (s.size() > 65536) s.resize(65536);
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
      if (runs % 4096 == 0 && corpus.size() < 4096) corpus.push_back(s);  // keep some mutants as new seeds
    }
  }
  std::printf("fuzz_compliance: %llu inputs in %ld s, no crash\n", static_cast<unsigned long long>(runs), seconds);
  return 0;
}
