#include "text/template.h"

#include <gtest/gtest.h>

namespace tacit::text {
namespace {

const std::vector<std::string> kKnown = {"unit_name", "deadline", "tag"};

TEST(Template, RendersFields) {
  EXPECT_EQ(RenderTemplate("Kính gửi: {{unit_name}}, trước {{ deadline }}.",
                           {{"unit_name", "Tổ dân phố số 1"}, {"deadline", "09/02/2026"}}),
            "Kính gửi: Tổ dân phố số 1, trước 09/02/2026.");
  EXPECT_EQ(RenderTemplate("no fields", {}), "no fields");
  EXPECT_EQ(RenderTemplate("{{tag}}{{tag}}", {{"tag", "x"}}), "xx");
}

TEST(Template, ValuesAreNotTemplates) {
  // A unit name that looks like a placeholder stays text.
  EXPECT_EQ(RenderTemplate("{{unit_name}}", {{"unit_name", "{{deadline}}"}, {"deadline", "x"}}),
            "{{deadline}}");
}

TEST(Template, CheckRefusesUnknownAndUnclosed) {
  EXPECT_TRUE(CheckTemplate("{{unit_name}} {{deadline}}", kKnown).ok());
  Status s = CheckTemplate("{{unit}}", kKnown);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown field {{unit}}"), std::string::npos) << s.message();
  s = CheckTemplate("Hạn {{deadline", kKnown);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unclosed"), std::string::npos);
}

TEST(Template, UsesField) {
  EXPECT_TRUE(UsesField("x {{ tag }}", "tag"));
  EXPECT_FALSE(UsesField("x {{deadline}}", "tag"));
}

}  // namespace
}  // namespace tacit::text
