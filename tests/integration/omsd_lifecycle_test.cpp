// omsd as operations see it: starts on a configuration, opens the record, stops cleanly on SIGTERM and
// SIGINT, refuses a broken configuration with a message naming the file and key.
#include <gtest/gtest.h>

#include "../support/process.hpp"

namespace oms::test {
namespace {

namespace fs = std::filesystem;

const std::string kOmsd = OMSD_PATH;

fs::path write_config(const fs::path& dir, const std::string& extra = "") {
  std::ofstream(dir / "oms.yaml") << "database: {path: " << (dir / "oms.db").string() << "}\n"
                                  << "reference:\n  instruments: " << OMS_SOURCE_DIR << "/config/instruments.csv\n"
                                  << "  accounts: " << OMS_SOURCE_DIR << "/config/accounts.yaml\n"
                                  << extra;
  return dir / "oms.yaml";
}

// Data rows of the demo instruments file (comments and the header excluded): the file grows with test symbols.
std::size_t instrument_rows() {
  std::ifstream in(std::string(OMS_SOURCE_DIR) + "/config/instruments.csv");
  std::size_t rows = 0;
  bool header_seen = false;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) header_seen = true;
    else ++rows;
  }
  return rows;
}

TEST(OmsdLifecycle, StartsOpensTheRecordAndStopsCleanlyOnSigterm) {
  const auto dir = temp_dir("omsd-lifecycle");
  const std::string loaded = "loaded " + std::to_string(instrument_rows()) + " instruments and 3 accounts";
  ASSERT_NE(loaded, "loaded 0 instruments and 3 accounts");
  const auto config = write_config(dir);
  for (int sig : {SIGTERM, SIGINT}) {
    Process omsd(kOmsd, {"--config", config.string(), "--api-port", "0"}, dir / "omsd.log");
    ASSERT_TRUE(omsd.wait_for_output("recovered 0 orders")) << omsd.output();
    EXPECT_NE(omsd.output().find(loaded), std::string::npos) << omsd.output();
    EXPECT_EQ(omsd.stop(sig), 0) << omsd.output();
    EXPECT_NE(omsd.output().find("stopped cleanly"), std::string::npos) << omsd.output();
    fs::remove(dir / "omsd.log");
  }
  EXPECT_TRUE(fs::exists(dir / "oms.db"));
  fs::remove_all(dir);
}

TEST(OmsdLifecycle, BrokenConfigurationIsRefusedWithFileAndKey) {
  const auto dir = temp_dir("omsd-badconfig");
  const auto config = write_config(dir, "fix:\n  sesions: []\n");
  Process omsd(kOmsd, {"--config", config.string(), "--api-port", "0"}, dir / "omsd.log");
  EXPECT_EQ(omsd.wait_exit(), 2);
  EXPECT_NE(omsd.output().find(config.string() + ":"), std::string::npos) << omsd.output();
  EXPECT_NE(omsd.output().find("fix.sesions"), std::string::npos) << omsd.output();
  EXPECT_FALSE(fs::exists(dir / "oms.db"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace oms::test
