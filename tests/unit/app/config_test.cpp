#include "oms/app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace oms::app {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("oms-config-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST(ShippedConfig, LoadsWithItsReferenceData) {
  auto config = load_config(fs::path(OMS_SOURCE_DIR) / "config/oms.yaml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->durability, Durability::process);
  EXPECT_EQ(config->fix.default_broker, "BROKER");
  ASSERT_EQ(config->fix.sessions.size(), 2u);
  EXPECT_EQ(config->fix.sessions[1].begin_string, "FIX.4.2");
  EXPECT_EQ(config->api.listen_port, 8080);
  auto ref = load_reference_data(*config);
  ASSERT_TRUE(ref.ok()) << ref.error().message;
  EXPECT_EQ(ref->instruments.at(Symbol{"TM"}).lot_size, Quantity::from_int(100));
  EXPECT_EQ(ref->instruments.at(Symbol{"SMALLCO"}).parent_issuer, "Small Cap Holdings");
  EXPECT_EQ(ref->accounts.at(AccountId{"GROWTH"}).pms.at(0).value, "alice");
  EXPECT_FALSE(ref->start_of_day.positions.empty());
}

TEST_F(ConfigTest, RelativePathsAreRelativeToTheFile) {
  auto f = write("oms.yaml", "database: {path: db/oms.db}\nreference: {instruments: i.csv, accounts: a.yaml}\n");
  auto config = load_config(f);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->database, dir_ / "db/oms.db");
  EXPECT_EQ(config->instruments_file, dir_ / "i.csv");
}

TEST_F(ConfigTest, UnknownKeyIsAnErrorNamingKeyFileAndLine) {
  auto f = write("oms.yaml", "database:\n  path: x.db\n  durabilty: power\nreference: {instruments: i.csv, accounts: a.yaml}\n");
  auto config = load_config(f);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find(f.string() + ":3:"), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find("database.durabilty"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, WrongTypesAreErrorsNamingTheKey) {
  auto f = write("oms.yaml",
                 "database: {path: x.db}\nreference: {instruments: i.csv, accounts: a.yaml}\n"
                 "fix:\n  sessions:\n    - {name: B, sender_comp_id: A, target_comp_id: B, port: lots}\n");
  auto config = load_config(f);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("fix.sessions[0].port"), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find("expected an integer"), std::string::npos);

  f = write("oms.yaml", "database: {path: x.db, durability: sometimes}\nreference: {instruments: i.csv, accounts: a.yaml}\n");
  config = load_config(f);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("database.durability"), std::string::npos) << config.error().message;

  f = write("oms.yaml", "database: [1, 2]\nreference: {instruments: i.csv, accounts: a.yaml}\n");
  config = load_config(f);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("expected a mapping"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, MissingRequiredKeyAndBrokenYamlAreNamed) {
  auto f = write("oms.yaml", "reference: {instruments: i.csv, accounts: a.yaml}\ndatabase: {}\n");
  auto config = load_config(f);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("database.path: is required"), std::string::npos) << config.error().message;

  f = write("oms.yaml", "database: {path: x.db\nreference: [\n");
  config = load_config(f);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find(f.string()), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, DefaultBrokerMustNameASession) {
  auto f = write("oms.yaml",
                 "database: {path: x.db}\nreference: {instruments: i.csv, accounts: a.yaml}\n"
                 "fix:\n  default_broker: NOPE\n  sessions:\n    - {name: B, sender_comp_id: A, target_comp_id: B, port: 1}\n");
  auto config = load_config(f);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("fix.default_broker"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, InstrumentCsvErrorsNameFileAndLine) {
  auto f = write("i.csv", "symbol,reference_price,lot_size\nAAPL,190,1\nMSFT,abc,1\n");
  auto r = load_instruments(f);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(f.string() + ":3"), std::string::npos) << r.error().message;
  f = write("i.csv", "symbol,reference_price\nAAPL,190\nAAPL,191\n");
  r = load_instruments(f);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("duplicate symbol AAPL"), std::string::npos) << r.error().message;
  f = write("i.yaml", "instruments:\n  - {symbol: X, reference_price: 10.5, sector: Tech, rating: AA}\n");
  r = load_instruments(f);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at(Symbol{"X"}).attributes.at("rating"), "AA");
}

TEST_F(ConfigTest, AccountsAreStrictToo) {
  auto f = write("a.yaml", "accounts:\n  - {id: F1, cash: 100, pms: [alice], positons: []}\n");
  auto r = load_accounts(f, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("accounts[0].positons"), std::string::npos) << r.error().message;
  f = write("a.yaml", "accounts:\n  - {id: F1, cash: 1.23456}\n");
  r = load_accounts(f, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("accounts[0].cash"), std::string::npos) << r.error().message;
  engine::StartOfDay sod;
  f = write("a.yaml", "accounts:\n  - {id: F1, cash: 100.25, positions: [{symbol: AAPL, quantity: 10}]}\n");
  r = load_accounts(f, &sod);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at(AccountId{"F1"}).cash, *Money::parse("100.25"));
  ASSERT_EQ(sod.positions.size(), 1u);
  EXPECT_EQ(sod.positions[0].quantity, Quantity::from_int(10));
}

}  // namespace
}  // namespace oms::app
