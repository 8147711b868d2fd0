// Rule book versions in the order book record: each version taken into force is a RuleBookLoaded event (content
// hash, time, who loaded it), recorded once per content hash; failed loads stay Alerts.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "engine_fixture.hpp"
#include "oms/compliance/rule_book.hpp"

namespace oms::engine::test {
namespace {

namespace fs = std::filesystem;

// One rule; the tests edit its limit to make a new version.
const char* kRules = "rules:\n  - {id: fat-finger, description: at most 1000 shares, type: max_order_quantity,"
                     " max_quantity: 1000, severity: block}\n";

class RuleBookVersions : public EngineFixture {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "oms-rule-versions-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    write(kRules);
    rules = &holder;
    EngineFixture::SetUp();
  }
  void TearDown() override {
    EngineFixture::TearDown();
    fs::remove_all(dir_);
  }
  void write(const std::string& text) { std::ofstream(dir_ / "rules.yaml") << text; }
  RulesReload reload(const std::string& by) { return engine->reload_rules(dir_.string(), by).get(); }

  template <class T>
  std::vector<EventRecord> recorded() {
    std::vector<EventRecord> out;
    const auto all = store.load();
    for (const auto& e : *all)
      if (std::holds_alternative<T>(e.payload)) out.push_back(e);
    return out;
  }

  fs::path dir_;
  compliance::RuleBookHolder holder;
};

TEST_F(RuleBookVersions, ReloadRecordsOneVersionDurableBeforeTheReply) {
  const auto r = reload("carol");
  ASSERT_TRUE(r.result.ok());
  EXPECT_TRUE(r.recorded);
  // The reply came after the event was durable: the store already has it.
  const auto versions = recorded<RuleBookLoaded>();
  ASSERT_EQ(versions.size(), 1u);
  const auto& v = std::get<RuleBookLoaded>(versions[0].payload);
  EXPECT_EQ(v.version, r.result.book->version());
  EXPECT_EQ(v.version.rfind("fnv1a64:", 0), 0u);
  EXPECT_EQ(v.loaded_by, "carol");
  EXPECT_EQ(versions[0].actor, UserId{"carol"});
  EXPECT_EQ(versions[0].time, clock.now());
  EXPECT_EQ(v.rule_count, 1u);
  EXPECT_EQ(v.directory, dir_.string());
  ASSERT_EQ(v.files.size(), 1u);
  EXPECT_EQ(v.files[0].name, "rules.yaml");
  EXPECT_EQ(v.files[0].hash.size(), std::string("fnv1a64:").size() + 16);
  EXPECT_EQ(v.previous_version, "");
  ASSERT_TRUE(r.in_force.has_value());
  EXPECT_EQ(*r.in_force, versions[0]);
}

TEST_F(RuleBookVersions, IdenticalReloadRecordsNothing) {
  ASSERT_TRUE(reload("carol").recorded);
  const auto before = store.load()->size();
  write(kRules);  // touched, same content
  const auto r = reload("file change");
  ASSERT_TRUE(r.result.ok());
  EXPECT_FALSE(r.recorded);
  engine->sync();
  EXPECT_EQ(store.load()->size(), before);
  ASSERT_TRUE(r.in_force.has_value());
  EXPECT_EQ(std::get<RuleBookLoaded>(r.in_force->payload).loaded_by, "carol");  // still the version in force
}

TEST_F(RuleBookVersions, ChangedFilesRecordANewVersionNamingThePrevious) {
  const std::string v1 = reload("carol").result.book->version();
  std::string edited = kRules;
  edited.replace(edited.find("1000, "), 4, "500");
  write(edited);
  clock.advance(std::chrono::seconds(5));
  const auto r = reload("file change");
  ASSERT_TRUE(r.recorded);
  const auto versions = recorded<RuleBookLoaded>();
  ASSERT_EQ(versions.size(), 2u);
  const auto& v2 = std::get<RuleBookLoaded>(versions[1].payload);
  EXPECT_NE(v2.version, v1);
  EXPECT_EQ(v2.previous_version, v1);
  EXPECT_EQ(v2.loaded_by, "file change");
  EXPECT_EQ(versions[1].time, clock.now());
  EXPECT_NE(v2.files[0].hash, std::get<RuleBookLoaded>(versions[0].payload).files[0].hash);
}

TEST_F(RuleBookVersions, FailedReloadRecordsAnAlertAndNoVersion) {
  ASSERT_TRUE(reload("carol").recorded);
  write("rules:\n  - id: x\n    type: no_such_type\n");
  const auto r = reload("dave");
  EXPECT_FALSE(r.result.ok());
  EXPECT_FALSE(r.recorded);
  EXPECT_EQ(recorded<RuleBookLoaded>().size(), 1u);
  const auto alerts = recorded<Alert>();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(std::get<Alert>(alerts[0].payload).kind, "rule_book");
  EXPECT_EQ(alerts[0].actor, UserId{"dave"});
}

TEST_F(RuleBookVersions, StartupRecordsOnlyWhenTheVersionInForceChanged) {
  // omsd loads the book, recovers, then records it as loaded at startup.
  ASSERT_TRUE(holder.reload(dir_.string(), "startup", clock.now()).ok());
  auto first = engine->record_rules_in_force(dir_.string(), "startup").get();
  EXPECT_TRUE(first.recorded);
  // A restart on the same files: the record already ends with this version.
  restart();
  EXPECT_EQ(read([](const EngineState& s) { return s.rule_books().size(); }), 1u);
  EXPECT_FALSE(engine->record_rules_in_force(dir_.string(), "startup").get().recorded);
  EXPECT_EQ(recorded<RuleBookLoaded>().size(), 1u);
  // Files edited while omsd was down: the next start records the new version.
  write(std::string(kRules) +
        "  - {id: no-tsla, description: TSLA, type: restricted_list, symbols: [TSLA], severity: block}\n");
  ASSERT_TRUE(holder.reload(dir_.string(), "startup", clock.now()).ok());
  restart();
  const auto again = engine->record_rules_in_force(dir_.string(), "startup").get();
  EXPECT_TRUE(again.recorded);
  const auto versions = recorded<RuleBookLoaded>();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(std::get<RuleBookLoaded>(versions[1].payload).rule_count, 2u);
  EXPECT_EQ(std::get<RuleBookLoaded>(versions[1].payload).previous_version,
            std::get<RuleBookLoaded>(versions[0].payload).version);
}

}  // namespace
}  // namespace oms::engine::test
