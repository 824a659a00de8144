#include "core/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tacit {
namespace {

using nlohmann::ordered_json;

// The writer's promise: the layout of nlohmann's dump(2), so that a file it
// writes is the same bytes as before it existed.
TEST(JsonWriterTest, LayoutIsNlohmannsPrettyDump) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Field("name", "Tổ dân phố số 1");
  w.Field("count", std::int64_t{-42});
  w.Field("ok", true);
  w.Key("nothing");
  w.Null();
  w.Key("empty_list");
  w.BeginArray();
  w.EndArray();
  w.Key("empty_object");
  w.BeginObject();
  w.EndObject();
  w.Key("list");
  w.BeginArray();
  w.Int(1);
  w.String("hai");
  w.BeginObject();
  w.Field("x", false);
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.EndArray();
  w.EndObject();
  ordered_json j = {{"name", "Tổ dân phố số 1"},
                    {"count", -42},
                    {"ok", true},
                    {"nothing", nullptr},
                    {"empty_list", ordered_json::array()},
                    {"empty_object", ordered_json::object()},
                    {"list", {1, "hai", {{"x", false}}, ordered_json::array()}}};
  EXPECT_EQ(out, j.dump(2));
}

TEST(JsonWriterTest, StringsAreEscapedAsNlohmannDoes) {
  const std::string tricky = std::string("quote\" backslash\\ slash/ \b\f\n\r\t nul:") +
                             std::string(1, '\0') +
                             "\x01\x1f del:\x7f Việt Nam NFD: Vie\xcc\xa3\xcc\x82t 😀";
  std::string out;
  AppendJsonString(out, tricky);
  EXPECT_EQ(out, ordered_json(tricky).dump());
  EXPECT_EQ(ordered_json::parse(out).get<std::string>(), tricky);
}

TEST(JsonWriterTest, InvalidUtf8BecomesReplacementCharacters) {
  std::string out;
  // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate.
  AppendJsonString(out,
                   "a\x80 b\xe1\xba"
                   " c\xc0\xaf"
                   " d\xed\xa0\x80 e");
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(out, "\"a" + r + " b" + r + r + " c" + r + r + " d" + r + r + r + " e\"");
  EXPECT_TRUE(ordered_json::accept(out));
}

}  // namespace
}  // namespace tacit
