// The column policies (column_policies.h, column_policy_rules.h, source_column_type.h, the source
// type as column_def.h's ExtrasOf reads it): which keys are accepted, which column takes which
// policy, the schema parameters and the values.
#include "connectors/mysql/connector/column_policies.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "connectors/mysql/connector/config.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

using Parameters = std::vector<std::pair<std::string, std::string>>;

std::string Text(const sluice_datum& d) { return std::string(d.u.str.ptr, d.u.str.len); }
sluice_datum String(const std::string& text) { return sluice_datum_string(text.data(), text.size()); }

// A column whose catalog row says `column_type` (its DATA_TYPE the first word), with the source
// type ExtrasOf reads from it.
ColumnDef Column(const std::string& name, FieldKind kind, const std::string& column_type) {
  CatalogColumn row;
  row.name = name;
  row.column_type = column_type;
  row.data_type = column_type.substr(0, column_type.find_first_of("( "));
  ColumnDef def;
  def.name = name;
  def.kind = kind;
  def.source_type = ExtrasOf(row, /*json=*/false, /*mariadb=*/false).source_type;
  return def;
}

std::vector<ColumnPolicyRule> Rules(const std::map<std::string, std::string>& raw) {
  absl::StatusOr<std::vector<ColumnPolicyRule>> rules = ParseColumnPolicies(raw);
  EXPECT_TRUE(rules.ok()) << rules.status();
  return rules.ok() ? *rules : std::vector<ColumnPolicyRule>{};
}

// Expected digests: Java 17 (default charset UTF-8, as Debezium's images run) doing what
// Debezium 3.6.1's MaskStrings.HashValueConverter does —
//   MessageDigest md = MessageDigest.getInstance(algorithm); md.update(salt.getBytes());
//   v1: ObjectOutputStream over a ByteArrayOutputStream, writeObject(value), md.digest(bytes)
//   v2: md.digest(value.getBytes())
//   each byte as String.format("%02x")
// run with `java Hash.java` on this machine (not computed by the code under test).
struct JavaDigest {
  const char* algorithm;
  const char* salt;
  const char* value;
  size_t value_size;
  const char* v1;
  const char* v2;
};
const JavaDigest kJavaDigests[] = {
    {"SHA-256", "CzQMA0cB5K", "123-45-6789", 11,
     "377189d9d7c7e96e2be1135d7b2de30b4060912652dafde77a1caa0352244d75",
     "ec5d1c2c938883bcadbd5602beaa9555d8486f1a9e6a456e0c0947c7a6065530"},
    {"SHA-256", "CzQMA0cB5K", "", 0,
     "7b061bc77caec9afdc6b986ab6c4de894d58006b32ac0f7ea728404a5cf3a9e5",
     "38bc986eb4a5475fab16ac693f6c1b4c2445600da5c5aec3d04301e48d6d0d68"},
    {"SHA-256", "CzQMA0cB5K", "h\xC3\xA9llo w\xC3\xB6rld", 13,
     "757f07adb88745a78ce86ecd9f979587bc8886baf0119a6a4afdb5f58fc9af50",
     "63a6f0d05cab5a20ea1ae2824585ee3d30685a716c044871b5b2037bc3f419e4"},
    // Beyond the BMP: v1 writes the surrogate pair in modified UTF-8.
    {"SHA-256", "CzQMA0cB5K", "emoji \xF0\x9F\x98\x80!", 11,
     "b37d63087408ddf0d81c797589e6eb083823a5229517c952201ce92c7f9299eb",
     "c995f1f39415159adced25fde3e673899fe905e5d53a9bbee7697ac1152cceeb"},
    // NUL: v1 writes C0 80.
    {"SHA-256", "CzQMA0cB5K", "a\0b", 3,
     "7a4e0b6193a8e8b07915879af5d44e8a0e21f873107f348336246570a1eb7a54",
     "ee3dd6d52d216c6dd4eecb1b5afb8c5f79459939e423b753dcf404a148d09527"},
    {"MD5", "salt", "123-45-6789", 11, "2ef4252ecfc186f6d9df28de774f9791",
     "1a1c348965567980fb15a510971be540"},
    {"md5", "salt", "h\xC3\xA9llo w\xC3\xB6rld", 13, "36d2f488739d34e100f099c0278545a0",
     "eca03e28a16d288e46bb9d2e30e2f677"},
    {"SHA-1", "s", "123-45-6789", 11, "6f6293c9a677d2375bec8d07e97ba9e03cf314f1",
     "2fe98866c2392ea55663ad644ddc089e84a8999b"},
    {"SHA-512", "pepper.with.dots", "123-45-6789", 11,
     "06298eb5fb60cbb71f4554e073badcec8b5f51341e410ef21374b1c524d91e7ce9089ea916e7540b3508854bf8a3"
     "391bf2ab4122e03f38fb8fa568040ffd672c",
     "5125a3b0269c8ff8620078586a131757cff8a315edd0d512eee8778420bf82bdbb40164c22ce31ac79f2f204eb30"
     "c2ff32fa7fd603fd927a0ce84823fee5b16b"},
    {"SHA3-256", "x", "123-45-6789", 11,
     "eda4c679b92b786866097ae32668b516fbcd9e8bf544fd1f4696d09bd7da0eea",
     "edd1c78d2be73e539d58bbff4dd3b64255fa78dbe9245f2ef426f8b8120b4bef"},
};

TEST(ColumnPolicies, HashesAsJavaDoesForBothVersions) {
  for (const JavaDigest& expected : kJavaDigests) {
    const absl::string_view value(expected.value, expected.value_size);
    EXPECT_EQ(DebeziumHash(expected.algorithm, expected.salt, value, false), expected.v1)
        << expected.algorithm << " v1 of '" << value << "'";
    EXPECT_EQ(DebeziumHash(expected.algorithm, expected.salt, value, true), expected.v2)
        << expected.algorithm << " v2 of '" << value << "'";
  }
}

TEST(ColumnPolicies, HashesALongStringAsJavaWritesOne) {
  // Past 65535 bytes Java writes TC_LONGSTRING with an 8-byte length (same Java program: 70000
  // characters 'a' + i % 26, SHA-256, salt CzQMA0cB5K, v1).
  std::string text;
  for (int i = 0; i < 70000; ++i) text.push_back(static_cast<char>('a' + i % 26));
  EXPECT_EQ(DebeziumHash("SHA-256", "CzQMA0cB5K", text, false),
            "a62866709a6c04ff1a75352c5620479edc66ba911e350d5f239a9f00bd772d21");
}

TEST(ColumnPolicies, KeysAreParsedInDebeziumsOrderOfKinds) {
  std::vector<ColumnPolicyRule> rules = Rules({
      {"column.mask.hash.v2.SHA-256.with.salt.a.b", "db.t.h2"},
      {"column.mask.hash.MD5.with.salt.s", "db.t.h1"},
      {"datatype.propagate.source.type", ".+\\.VARCHAR"},
      {"column.propagate.source.type", "db.t.p"},
      {"column.mask.with.4.chars", "db.t.m, db.t.n"},
      {"column.truncate.to.10.chars", "db.t.x"},
      {"database.hostname", "ignored"},
  });
  ASSERT_EQ(rules.size(), 6u);
  EXPECT_EQ(rules[0].kind, ColumnPolicyKind::kTruncate);
  EXPECT_EQ(rules[0].chars, 10);
  EXPECT_EQ(rules[1].kind, ColumnPolicyKind::kMask);
  EXPECT_EQ(rules[1].chars, 4);
  EXPECT_EQ(rules[1].patterns, (std::vector<std::string>{"db.t.m", "db.t.n"}));
  EXPECT_EQ(rules[2].kind, ColumnPolicyKind::kPropagate);
  EXPECT_EQ(rules[3].kind, ColumnPolicyKind::kPropagateByType);
  EXPECT_EQ(rules[4].kind, ColumnPolicyKind::kHashV1);
  EXPECT_EQ(rules[4].algorithm, "MD5");
  EXPECT_EQ(rules[4].salt, "s");
  EXPECT_EQ(rules[5].kind, ColumnPolicyKind::kHashV2);
  EXPECT_EQ(rules[5].algorithm, "SHA-256");
  EXPECT_EQ(rules[5].salt, "a.b");  // the salt is everything after `.with.salt.`
}

TEST(ColumnPolicies, BadKeysAndValuesAreRefusedNamingTheKey) {
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"column.mask.with.four.chars", "db.t.c"},
           {"column.truncate.to.-1.chars", "db.t.c"},
           {"column.truncate.to.99999999999.chars", "db.t.c"},
           {"column.mask.hash.NOPE-1.with.salt.s", "db.t.c"},
           {"column.mask.hash.SHA-256.with.salt.", "db.t.c"},
           {"column.mask.hash.SHA-256", "db.t.c"},
           {"column.mask.with.3.chars", "db.t.(c"},
           {"column.propagate.source.type", "db.t.[c"},
       }) {
    absl::StatusOr<std::vector<ColumnPolicyRule>> rules = ParseColumnPolicies({{key, value}});
    ASSERT_FALSE(rules.ok()) << key << "=" << value;
    EXPECT_TRUE(absl::StartsWith(rules.status().message(), "`" + key + "`")) << rules.status();
  }
}

TEST(ColumnPolicies, TheConnectorConfigKeepsThemAndRefusesBadOnes) {
  std::map<std::string, std::string> raw = {{"database.hostname", "db"},
                                            {"database.user", "cdc"},
                                            {"database.server.id", "7"},
                                            {"topic.prefix", "shop"},
                                            {"column.mask.with.3.chars", "shop.people.ssn"}};
  absl::StatusOr<ConnectorConfig> config = ParseConnectorConfig(raw);
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->column_policies.size(), 1u);
  EXPECT_TRUE(config->warnings.empty());
  raw["column.mask.hash.SHA-999.with.salt.x"] = "shop.people.ssn";
  EXPECT_FALSE(ParseConnectorConfig(raw).ok());
}

TEST(ColumnPolicies, ColumnsMatchWholeAndIgnoringCase) {
  ColumnPolicies policies(Rules({{"column.mask.with.3.chars", "Shop.People.SSN"}}));
  const ColumnDef ssn = Column("ssn", FieldKind::kText, "varchar(11)");
  EXPECT_TRUE(policies.For("shop", "people", ssn).has_value());
  EXPECT_FALSE(policies.For("shop", "people2", ssn).has_value());  // the whole name, not a part
  EXPECT_FALSE(policies.For("xshop", "people", ssn).has_value());
}

TEST(ColumnPolicies, AColumnTakesTheFirstPolicyThatMatches) {
  ColumnPolicies policies(Rules({{"column.mask.with.3.chars", "db.t.c"},
                                 {"column.truncate.to.2.chars", "db.t.c"},
                                 {"column.propagate.source.type", "db.t.*"}}));
  std::optional<ColumnPolicy> c = policies.For("db", "t", Column("c", FieldKind::kText, "text"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), ColumnPolicyKind::kTruncate);  // truncation comes first, as in Debezium
  std::optional<ColumnPolicy> d = policies.For("db", "t", Column("d", FieldKind::kText, "text"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind(), ColumnPolicyKind::kPropagate);
}

TEST(ColumnPolicies, DatatypeMatchesTheTableAndTheTypeName) {
  ColumnPolicies policies(Rules({{"datatype.propagate.source.type", ".+\\.float,db\\.t\\.INT UNSIGNED"}}));
  EXPECT_TRUE(policies.For("db", "t", Column("f", FieldKind::kFloat32, "float(8,4)")).has_value());
  EXPECT_TRUE(
      policies.For("db", "t", Column("u", FieldKind::kInt64, "int(10) unsigned")).has_value());
  EXPECT_FALSE(policies.For("db", "t", Column("i", FieldKind::kInt32, "int(11)")).has_value());
}

TEST(ColumnPolicies, MaskReplacesCharacterValuesNullIncludedAndMarksTheSchema) {
  ColumnPolicies policies(Rules({{"column.mask.with.5.chars", "db.t.*"}}));
  std::string out;
  for (const ColumnDef& def : {Column("v", FieldKind::kText, "varchar(20)"),
                               Column("c", FieldKind::kText, "char(2)"),
                               Column("x", FieldKind::kText, "longtext"),
                               Column("e", FieldKind::kEnum, "enum('a','b')"),
                               Column("s", FieldKind::kSet, "set('a','b')")}) {
    std::optional<ColumnPolicy> policy = policies.For("db", "t", def);
    ASSERT_TRUE(policy.has_value()) << def.name;
    EXPECT_EQ(Text(policy->Apply(String("secret"), out)), "*****") << def.name;
    EXPECT_EQ(Text(policy->Apply(sluice_datum_null(), out)), "*****") << def.name;
    Parameters parameters;
    policy->AddSchemaParameters(def, &parameters);
    EXPECT_EQ(parameters, (Parameters{{"masked", "true"}})) << def.name;
  }
  // Not a character column: the value stays, the schema is marked all the same (Debezium's
  // MaskStrings adds the parameter whatever the type).
  for (const ColumnDef& def : {Column("i", FieldKind::kInt32, "int(11)"),
                               Column("b", FieldKind::kBinary, "varbinary(10)"),
                               Column("j", FieldKind::kJson, "json")}) {
    std::optional<ColumnPolicy> policy = policies.For("db", "t", def);
    ASSERT_TRUE(policy.has_value());
    const sluice_datum value = sluice_datum_int(42);
    EXPECT_EQ(policy->Apply(value, out).u.i, 42) << def.name;
    Parameters parameters;
    policy->AddSchemaParameters(def, &parameters);
    EXPECT_EQ(parameters, (Parameters{{"masked", "true"}})) << def.name;
  }
}

TEST(ColumnPolicies, HashIsCutToTheColumnLengthAndLeavesNullAlone) {
  ColumnPolicies policies(Rules({{"column.mask.hash.SHA-256.with.salt.CzQMA0cB5K", "db.t.*"},
                                 {"column.mask.hash.v2.MD5.with.salt.salt", "db.u.*"}}));
  std::string out;
  std::optional<ColumnPolicy> ssn =
      policies.For("db", "t", Column("ssn", FieldKind::kText, "varchar(11)"));
  ASSERT_TRUE(ssn.has_value());
  EXPECT_EQ(Text(ssn->Apply(String("123-45-6789"), out)), "377189d9d7c");  // 11 of the digest
  EXPECT_EQ(ssn->Apply(sluice_datum_null(), out).kind, SLUICE_DATUM_NULL);
  std::optional<ColumnPolicy> text = policies.For("db", "t", Column("x", FieldKind::kText, "text"));
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(Text(text->Apply(String("123-45-6789"), out)),
            "377189d9d7c7e96e2be1135d7b2de30b4060912652dafde77a1caa0352244d75");  // no length
  std::optional<ColumnPolicy> wide =
      policies.For("db", "u", Column("w", FieldKind::kText, "varchar(255)"));
  ASSERT_TRUE(wide.has_value());
  EXPECT_EQ(Text(wide->Apply(String("123-45-6789"), out)),
            "1a1c348965567980fb15a510971be540");  // shorter than the column: never padded
  std::optional<ColumnPolicy> member =
      policies.For("db", "u", Column("e", FieldKind::kEnum, "enum('a','b')"));
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(Text(member->Apply(String("123-45-6789"), out)), "1");  // ENUM's length is 1
}

TEST(ColumnPolicies, TruncateCutsUtf16UnitsOrBytesWhenTheColumnMayBeLonger) {
  ColumnPolicies policies(Rules({{"column.truncate.to.3.chars", "db.t.*"}}));
  std::string out;
  std::optional<ColumnPolicy> text = policies.For("db", "t", Column("x", FieldKind::kText, "text"));
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(Text(text->Apply(String("h\xC3\xA9llo"), out)), "h\xC3\xA9l");  // characters, not bytes
  EXPECT_EQ(Text(text->Apply(String("ab"), out)), "ab");
  // A character beyond the BMP is two UTF-16 units in Java's String.length(); one that would be
  // split is left out whole.
  EXPECT_EQ(Text(text->Apply(String("a\xF0\x9F\x98\x80"), out)), "a\xF0\x9F\x98\x80");
  EXPECT_EQ(Text(text->Apply(String("ab\xF0\x9F\x98\x80"), out)), "ab");
  EXPECT_EQ(text->Apply(sluice_datum_null(), out).kind, SLUICE_DATUM_NULL);
  Parameters parameters;
  text->AddSchemaParameters(Column("x", FieldKind::kText, "text"), &parameters);
  EXPECT_EQ(parameters, (Parameters{{"truncateLength", "3"}}));

  std::optional<ColumnPolicy> binary =
      policies.For("db", "t", Column("b", FieldKind::kBinary, "varbinary(16)"));
  ASSERT_TRUE(binary.has_value());
  const uint8_t bytes[] = {1, 2, 3, 4, 5};
  const sluice_datum cut = binary->Apply(sluice_datum_bytes(bytes, 5), out);
  ASSERT_EQ(cut.kind, SLUICE_DATUM_BYTES);
  EXPECT_EQ(cut.u.bytes.len, 3u);

  // A column no longer than N: neither value nor schema change.
  const ColumnDef narrow = Column("n", FieldKind::kText, "char(3)");
  std::optional<ColumnPolicy> short_column = policies.For("db", "t", narrow);
  ASSERT_TRUE(short_column.has_value());
  EXPECT_FALSE(short_column->changes_values());
  EXPECT_EQ(Text(short_column->Apply(String("abc"), out)), "abc");
  parameters.clear();
  short_column->AddSchemaParameters(narrow, &parameters);
  EXPECT_TRUE(parameters.empty());
}

TEST(ColumnPolicies, PropagateAddsTheSourceTypeParameters) {
  ColumnPolicies policies(Rules({{"column.propagate.source.type", "db.t.*"}}));
  struct Case {
    const char* column_type;
    Parameters expected;
  };
  for (const Case& c : std::vector<Case>{
           {"decimal(10,2)",
            {{"__debezium.source.column.type", "DECIMAL"},
             {"__debezium.source.column.length", "10"},
             {"__debezium.source.column.scale", "2"},
             {"__debezium.source.column.name", "c"}}},
           {"int(10) unsigned zerofill",
            {{"__debezium.source.column.type", "INT UNSIGNED ZEROFILL"},
             {"__debezium.source.column.length", "10"},
             {"__debezium.source.column.name", "c"}}},
           {"int",
            {{"__debezium.source.column.type", "INT"}, {"__debezium.source.column.name", "c"}}},
           {"varchar(128)",
            {{"__debezium.source.column.type", "VARCHAR"},
             {"__debezium.source.column.length", "128"},
             {"__debezium.source.column.name", "c"}}},
           {"enum('a','b,c','d''e')",
            {{"__debezium.source.column.type", "ENUM"},
             {"__debezium.source.column.length", "1"},
             {"__debezium.source.column.name", "c"}}},
           {"set('a','b,c','d''e')",
            {{"__debezium.source.column.type", "SET"},
             {"__debezium.source.column.length", "5"},
             {"__debezium.source.column.name", "c"}}},
           {"datetime(3)",
            {{"__debezium.source.column.type", "DATETIME"},
             {"__debezium.source.column.length", "3"},
             {"__debezium.source.column.name", "c"}}},
           {"longtext",
            {{"__debezium.source.column.type", "LONGTEXT"},
             {"__debezium.source.column.name", "c"}}},
       }) {
    const ColumnDef def = Column("c", FieldKind::kText, c.column_type);
    std::optional<ColumnPolicy> policy = policies.For("db", "t", def);
    ASSERT_TRUE(policy.has_value());
    EXPECT_FALSE(policy->changes_values());
    Parameters parameters;
    policy->AddSchemaParameters(def, &parameters);
    EXPECT_EQ(parameters, c.expected) << c.column_type;
  }
}

}  // namespace
}  // namespace sluice::mysql
