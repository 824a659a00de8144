// The synthesis report (issue 7) from a real Store: every format carries the
// counts, the comments grouped by topic, the units deemed to consent with the
// rule quoted, the provisional mark while open; HTML escapes reply text and CSV
// neutralises formulas.
#include "reports/report.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"
#include "text/normalize.h"
#include "text/stance.h"
#include "views/views.h"

namespace tacit::reports {
namespace {

using testing::FakeClock;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

constexpr const char* kTopicTarget = "Chỉ tiêu đạt 100% trong năm 2026";
constexpr const char* kTopicSchedule = "Tiến độ thực hiện";

// RFC 4180 rows, for reading back what RenderCsv wrote.
std::vector<std::vector<std::string>> ParseCsv(std::string_view csv) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false, in_cell = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"' && !in_cell) {
      quoted = in_cell = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
      in_cell = false;
    } else if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      in_cell = false;
      rows.emplace_back();
      ++i;
    } else {
      cell += c;
      in_cell = true;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override { Load("consent"); }

  void Load(const std::string& silence) {
    std::string config_path = testing::WriteSmallConfig(dir_, "09/02/2026", silence);
    // The small config has one topic; the report groups by the letter's topics.
    dir_.Write("consultations/dan-chu-2026.toml",
               "id = \"dan-chu-2026\"\n"
               "reference = \"12/VH-XH\"\n"
               "subject = \"Xin ý kiến dự thảo <Kế hoạch> & \\\"phụ lục\\\"\"\n"
               "issuer = \"Phòng Văn hóa – Xã hội\"\n"
               "signer = \"Nguyễn Chí Linh\"\n"
               "deadline = \"09/02/2026\"\n"
               "silence_means = \"" +
                   silence +
                   "\"\n"
                   "addressees = [\"*\"]\n"
                   "topics = [\"Chỉ tiêu đạt 100% trong năm 2026\", \"Tiến độ thực hiện\"]\n");
    Result<Config> c = LoadConfig(config_path);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
    auto s = store::Store::Open(dir_.path() + "/tacit.db", config_.tz);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  }

  TimePoint Local(const std::string& text) {
    return *ParseDate(text, config_.tz, DateKind::kInstant);
  }

  std::int64_t Record(std::optional<std::string> unit, const std::string& received, Stance stance,
                      const std::string& text, const std::string& source_ref = "") {
    store::NewReply r;
    if (unit) r.consultation_id = "dan-chu-2026";
    r.unit_code = unit;
    r.channel = source_ref.empty() ? Channel::kManual : Channel::kDrop;
    r.received_at = Local(received);
    r.stance = stance;
    r.text = text;
    r.sender = unit ? "" : "la@example.vn";
    r.subject = unit ? "" : "Góp ý <dự thảo>";
    r.source_ref = source_ref;
    r.match_rule = unit ? "test" : "no unit named";
    r.content_hash = Sha256Hex(unit.value_or("-") + text + received);
    Result<store::RecordOutcome> out = store_->RecordReply(r, clock_.Now(), "test");
    EXPECT_TRUE(out.has_value()) << out.error().message();
    return out.has_value() ? out->reply_id : 0;
  }

  // Replies of every stance, NFD text, markup and formulas; one unit silent.
  void RecordTypicalReplies() {
    clock_.Set(Local("09/02/2026 12:00"));
    Record("tdp-01", "06/02/2026 09:00", Stance::kComments,
           "Nhất trí với dự thảo.\n\n"
           "- Đề nghị điều chỉnh chỉ tiêu đạt 100% xuống 95% cho tổ dân phố.\n\n"
           "- Đề nghị lùi tiến độ thực hiện sang quý II.\n\n"
           "Ngoài ra đề nghị bổ sung kinh phí cho ban công tác mặt trận.",
           "archive/2026/02/tdp-01.pdf");
    Record("ubnd", "07/02/2026 10:30", Stance::kAgree, "- Đồng ý với nội dung dự thảo.");
    Record("cong-an", "07/02/2026 15:00", Stance::kObject,
           "<script>alert(1)</script>\n\" onmouseover=alert(2) x='y'\n"
           "Không đồng ý, đề nghị Phòng Văn ho\xCC\x81" /* NFD "hó" */ "a xem lại.");
    Record(std::nullopt, "08/02/2026 08:00", Stance::kUnknown, "Ý kiến không rõ đơn vị");
  }

  void PassDeadline() {
    clock_.Set(Local("10/02/2026 08:00"));
    ASSERT_TRUE(store_->ApplyDueDeadlines(clock_.Now(), {}, "test").has_value());
    // A late reply: recorded, shown, the status stays deemed_consent.
    Record("tdp-02", "10/02/2026 08:00", Stance::kAgree, "=cmd|' /C calc'!A0 nhất trí");
  }

  ReportData Gather() {
    Result<ReportData> d =
        GatherReport(*store_, config_.consultations.front(), config_.tz, clock_.Now());
    EXPECT_TRUE(d.has_value()) << d.error().message();
    return d.has_value() ? std::move(*d) : ReportData{};
  }

  const store::UnitState& Unit(const ReportData& d, const std::string& code) {
    for (const store::UnitState& u : d.consultation.units) {
      if (u.code == code) return u;
    }
    ADD_FAILURE() << "no unit " << code;
    return d.consultation.units.front();
  }

  TempDir dir_;
  FakeClock clock_{TimePoint{std::chrono::seconds{1770267600}}};  // 05/02/2026 12:00 +07
  Config config_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(ReportTest, OpenConsultationIsProvisionalInEveryFormat) {
  RecordTypicalReplies();
  ReportData d = Gather();
  EXPECT_TRUE(d.provisional);
  EXPECT_THAT(RenderMarkdown(d, config_.tz), HasSubstr("(TẠM THỜI)"));
  EXPECT_THAT(RenderMarkdown(d, config_.tz), HasSubstr("Báo cáo tạm thời"));
  EXPECT_THAT(RenderHtml(d, config_.tz), HasSubstr("(TẠM THỜI)"));
  auto j = nlohmann::json::parse(RenderJson(d, config_.tz));
  EXPECT_EQ(j["provisional"], true);
  EXPECT_EQ(j["state"], "open");
  // Nothing is deemed before the deadline.
  EXPECT_THAT(RenderMarkdown(d, config_.tz), HasSubstr("Chưa hết hạn: chưa có đơn vị nào."));
}

TEST_F(ReportTest, ClosedReportCountsAndDeemedList) {
  RecordTypicalReplies();
  PassDeadline();
  ReportData d = Gather();
  EXPECT_FALSE(d.provisional);
  EXPECT_EQ(d.counts.addressed, 4);
  EXPECT_EQ(d.counts.replied, 3);
  EXPECT_EQ(d.counts.agree, 1);
  EXPECT_EQ(d.counts.comments, 1);
  EXPECT_EQ(d.counts.object, 1);
  EXPECT_EQ(d.counts.deemed_consent, 1);
  EXPECT_EQ(d.counts.late, 1);
  EXPECT_EQ(Unit(d, "tdp-02").status, UnitStatus::kDeemedConsent);
  EXPECT_EQ(d.silence_rule, "Đơn vị không gửi ý kiến đến hết ngày 09/02/2026 được hiểu là đồng ý.");

  std::string md = RenderMarkdown(d, config_.tz);
  EXPECT_THAT(md, Not(HasSubstr("TẠM THỜI")));
  EXPECT_THAT(md, HasSubstr("- Số/ký hiệu văn bản: 12/VH-XH"));
  EXPECT_THAT(md, HasSubstr("- Người ký: Nguyễn Chí Linh"));
  EXPECT_THAT(md, HasSubstr("- Hạn gửi ý kiến: hết ngày 09/02/2026"));
  EXPECT_THAT(md, HasSubstr("| Đơn vị được xin ý kiến | 4 |"));
  EXPECT_THAT(md, HasSubstr("| Đã trả lời | 3 |"));
  EXPECT_THAT(md, HasSubstr("| — không nhất trí | 1 |"));
  EXPECT_THAT(md, HasSubstr("| Được hiểu là đồng ý (hết hạn không trả lời) | 1 |"));
  EXPECT_THAT(md, HasSubstr("| Trả lời sau hạn | 1 |"));
  EXPECT_THAT(md, HasSubstr("## 4. Danh sách đơn vị được hiểu là đồng ý"));
  EXPECT_THAT(
      md,
      HasSubstr("\"Đơn vị không gửi ý kiến đến hết ngày 09/02/2026 được hiểu là "
                "đồng ý.\"\n\n1. Tổ dân phố số 2 (tdp-02; Tổ dân phố), có ý kiến gửi sau hạn\n"));
  // Per group, then per unit.
  size_t leaders = md.find("### Lãnh đạo (1 đơn vị)");
  size_t police = md.find("### Công an (1 đơn vị)");
  size_t groups = md.find("### Tổ dân phố (2 đơn vị)");
  ASSERT_NE(leaders, std::string::npos);
  EXPECT_LT(leaders, police);
  EXPECT_LT(police, groups);
  EXPECT_THAT(md, HasSubstr("| tdp-02 | Tổ dân phố số 2 | coi như đồng ý | nhất trí | văn bản giấy "
                            "| 10/02/2026 08:00 | có |"));

  std::string html = RenderHtml(d, config_.tz);
  EXPECT_THAT(html, Not(HasSubstr("TẠM THỜI")));
  EXPECT_THAT(html, HasSubstr("<h2>4. Danh sách đơn vị được hiểu là đồng ý</h2>"));
  EXPECT_THAT(
      html,
      HasSubstr("<li>Tổ dân phố số 2 <small>(Tổ dân phố; có ý kiến gửi sau hạn)</small></li>"));

  auto j = nlohmann::json::parse(RenderJson(d, config_.tz));
  EXPECT_EQ(j["state"], "closed");
  EXPECT_EQ(j["counts"]["addressed"], 4);
  EXPECT_EQ(j["counts"]["deemed_consent"], 1);
  EXPECT_EQ(j["units"].size(), 4u);
  EXPECT_EQ(j["silent_units"], nlohmann::json::array({"tdp-02"}));
  EXPECT_EQ(j["replies"].size(), 4u);
  EXPECT_EQ(j["unmatched"].size(), 1u);
  EXPECT_FALSE(j["events"].empty());
  EXPECT_EQ(j["deadline"], "2026-02-09T23:59:59+07:00");
  EXPECT_TRUE(j.contains("deadline_applied_at"));
}

// report.json is written array by array, not as one tree (issue 9: the tree
// was most of the peak RSS of a large report). Its bytes must still be what
// one pretty dump(2) of the whole document gives: same key order, same
// layout, arrays full or empty, text with line breaks and a placeholder's
// look-alike left as written.
TEST_F(ReportTest, JsonReportIsExactlyOnePrettyDocument) {
  auto same_as_one_dump = [&](const ReportData& d) {
    const std::string out = RenderJson(d, config_.tz);
    const nlohmann::ordered_json j = nlohmann::ordered_json::parse(out);
    EXPECT_EQ(out, j.dump(2) + "\n");
    return j;
  };
  // Open, no replies: the long arrays other than units are empty.
  nlohmann::ordered_json j = same_as_one_dump(Gather());
  EXPECT_EQ(j["replies"], nlohmann::ordered_json::array());
  EXPECT_EQ(j["units"].size(), 4u);

  RecordTypicalReplies();
  Record("ubnd", "08/02/2026 09:00", Stance::kComments,
         "Dòng một\ndòng hai \x01tacit-array:replies \\u0001tacit-array:events");
  PassDeadline();
  j = same_as_one_dump(Gather());
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_THAT(keys, ::testing::ElementsAre(
                        "generated_at", "provisional", "id", "reference", "subject", "issuer",
                        "signer", "deadline", "state", "silence_means", "silence_rule", "topics",
                        "counts", "units", "deadline_applied_at", "comments_by_topic",
                        "silent_units", "timeline", "replies", "events", "unmatched"));
  EXPECT_EQ(j["replies"].size(), 5u);
  EXPECT_EQ(j["unmatched"].size(), 1u);
  EXPECT_FALSE(j["events"].empty());
  EXPECT_FALSE(j["comments_by_topic"].empty());
  bool kept = false;
  for (const auto& r : j["replies"]) {
    kept |= r["text"] == "Dòng một\ndòng hai \x01tacit-array:replies \\u0001tacit-array:events";
  }
  EXPECT_TRUE(kept) << "a reply's text is written as it was";
}

TEST_F(ReportTest, NoResponseRuleIsQuotedGenerically) {
  Load("no_response");
  PassDeadline();
  ReportData d = Gather();
  EXPECT_EQ(d.silence_rule,
            "Đơn vị không gửi ý kiến đến hết ngày 09/02/2026 được ghi nhận là không có ý kiến.");
  std::string md = RenderMarkdown(d, config_.tz);
  EXPECT_THAT(md, HasSubstr("## 4. Danh sách đơn vị không có ý kiến"));
  EXPECT_THAT(md, HasSubstr("| Không có ý kiến (hết hạn không trả lời) | 4 |"));
  EXPECT_THAT(md, Not(HasSubstr("Được hiểu là đồng ý")));
  EXPECT_THAT(md, HasSubstr("1. Ủy ban nhân dân phường (ubnd; Lãnh đạo)"));
}

TEST_F(ReportTest, CommentsAreGroupedByTopicWithTheirOriginal) {
  RecordTypicalReplies();
  ReportData d = Gather();
  ASSERT_EQ(d.sections.size(), 3u);
  EXPECT_EQ(d.sections[0].topic, kTopicTarget);
  EXPECT_EQ(d.sections[1].topic, kTopicSchedule);
  EXPECT_EQ(d.sections[2].topic, kOtherTopic);
  ASSERT_EQ(d.sections[0].paragraphs.size(), 1u);
  EXPECT_EQ(d.TextOf(d.sections[0].paragraphs[0]),
            "- Đề nghị điều chỉnh chỉ tiêu đạt 100% xuống 95% cho tổ dân phố.");
  EXPECT_EQ(d.UnitNameOf(d.sections[0].paragraphs[0]), "Tổ dân phố số 1");
  EXPECT_EQ(d.ReplyOf(d.sections[0].paragraphs[0]).source_ref(), "archive/2026/02/tdp-01.pdf");
  ASSERT_EQ(d.sections[1].paragraphs.size(), 1u);
  EXPECT_EQ(d.TextOf(d.sections[1].paragraphs[0]), "- Đề nghị lùi tiến độ thực hiện sang quý II.");
  std::vector<std::string> other;
  for (const QuotedParagraph& p : d.sections[2].paragraphs) other.emplace_back(d.TextOf(p));
  // The rest of tdp-01's reply (its paragraphs together) and of the objection;
  // ubnd's plain agreement is no comment.
  ASSERT_EQ(other.size(), 2u);
  EXPECT_EQ(other[0],
            "Nhất trí với dự thảo.\n\n"
            "Ngoài ra đề nghị bổ sung kinh phí cho ban công tác mặt trận.");
  EXPECT_EQ(d.ReplyOf(d.sections[2].paragraphs[0]).id, 1);
  EXPECT_THAT(other[1], HasSubstr("Phòng Văn hóa xem lại."));  // NFD composed to NFC
  EXPECT_EQ(d.ReplyOf(d.sections[2].paragraphs[1]).unit_code(), "cong-an");
  EXPECT_EQ(d.UnitNameOf(d.sections[2].paragraphs[1]), "Công an phường");

  std::string md = RenderMarkdown(d, config_.tz);
  size_t target = md.find("### 3.1. Chỉ tiêu đạt 100% trong năm 2026");
  size_t schedule = md.find("### 3.2. Tiến độ thực hiện");
  size_t rest = md.find("### 3.3. Ý kiến khác");
  ASSERT_NE(target, std::string::npos);
  ASSERT_NE(schedule, std::string::npos);
  ASSERT_NE(rest, std::string::npos);
  size_t quote = md.find("> - Đề nghị điều chỉnh chỉ tiêu");
  EXPECT_GT(quote, target);
  EXPECT_LT(quote, schedule);
  EXPECT_THAT(md, HasSubstr("**Tổ dân phố số 1** (06/02/2026 09:00; ý kiến số 1, bản gốc: "
                            "archive/2026/02/tdp-01.pdf):"));
  EXPECT_THAT(md, HasSubstr("**Công an phường** (07/02/2026 15:00; ý kiến số 3):"));

  std::string html = RenderHtml(d, config_.tz);
  EXPECT_THAT(html, HasSubstr("<h3>3.3. Ý kiến khác</h3>"));
  EXPECT_THAT(html, HasSubstr("ý kiến số 1, bản gốc: archive/2026/02/tdp-01.pdf"));

  auto j = nlohmann::json::parse(RenderJson(d, config_.tz));
  EXPECT_EQ(j["comments_by_topic"][0]["topic"], kTopicTarget);
  EXPECT_EQ(j["comments_by_topic"][0]["paragraphs"][0]["source"], "archive/2026/02/tdp-01.pdf");
  EXPECT_EQ(j["comments_by_topic"][2]["other"], true);
}

// The daemon keeps each reply's topic grouping between status writes: the
// report made through the cache is the report made without it, a changed
// topic list is grouped again, and replies no longer gathered are forgotten.
TEST_F(ReportTest, TopicCacheGivesTheSameGroupingAndFollowsTopicChanges) {
  RecordTypicalReplies();
  const ReportData plain = Gather();
  Result<std::vector<store::ConsultationState>> cs = store_->Consultations();
  ASSERT_TRUE(cs.has_value());
  TopicCache cache;
  auto markdown = [&](const Config& config) {
    Result<ReportData> d = GatherReport(*store_, config, cs->front(), clock_.Now(), &cache);
    EXPECT_TRUE(d.has_value());
    return d.has_value() ? RenderMarkdown(*d, config.tz) : std::string();
  };
  const std::string first = markdown(config_);
  EXPECT_EQ(first, RenderMarkdown(plain, config_.tz));
  EXPECT_EQ(cache.size(), 3u);          // the three matched replies
  EXPECT_EQ(markdown(config_), first);  // from the cache

  // Without the schedule topic its paragraph is an "other" comment.
  Config fewer = config_;
  fewer.consultations.front().topics = {kTopicTarget};
  const std::string changed = markdown(fewer);
  EXPECT_THAT(changed, Not(HasSubstr("### 3.2. Tiến độ thực hiện")));
  EXPECT_THAT(changed, HasSubstr("### 3.2. Ý kiến khác"));
  size_t other = changed.find("### 3.2. Ý kiến khác");
  EXPECT_NE(changed.find("> - Đề nghị lùi tiến độ thực hiện sang quý II.", other),
            std::string::npos);

  cache.Sweep();  // all three were looked up since the start
  EXPECT_EQ(cache.size(), 3u);
  cache.Sweep();  // none since the last sweep
  EXPECT_EQ(cache.size(), 0u);
}

// The cache is flat (issue 9): replies looked up out of id order, a text that
// changes, and a Sweep that compacts the lists must all still give what
// text::ParagraphTopics gives.
TEST(TopicCacheTest, FlatListsAreParagraphTopicsWhateverTheOrder) {
  const std::vector<std::string> topics = {"Chỉ tiêu", "Tiến độ"};
  const std::string a = "Về chỉ tiêu: giảm.\n\nVề tiến độ: lùi.\n\nKhác.";
  const std::string b = "Tiến độ chậm.\n\nChỉ tiêu cao, tiến độ gấp.";
  const std::string c = "Không có ý kiến.";
  auto same = [&](TopicLists got, const std::string& text) {
    const std::vector<std::vector<size_t>> want = text::ParagraphTopics(text, topics);
    for (size_t i = 0; i < topics.size(); ++i) {
      std::vector<size_t> have(got[i].begin(), got[i].end());
      EXPECT_EQ(have, want[i]) << text << " topic " << i;
    }
  };
  ASSERT_EQ(text::ParagraphTopics(a, topics), (std::vector<std::vector<size_t>>{{0}, {1}}));
  ASSERT_EQ(text::ParagraphTopics(b, topics), (std::vector<std::vector<size_t>>{{1}, {0, 1}}));
  TopicCache cache;
  same(cache.Find(9, a, topics), a);
  same(cache.Find(2, b, topics), b);  // before 9
  same(cache.Find(5, c, topics), c);  // between
  EXPECT_EQ(cache.size(), 3u);
  same(cache.Find(2, a, topics), a);  // its text changed: grouped again
  cache.Sweep();
  same(cache.Find(9, a, topics), a);  // compacted, still right
  same(cache.Find(5, c, topics), c);
  cache.Sweep();  // 2 was not looked up since the last sweep
  EXPECT_EQ(cache.size(), 2u);
  same(cache.Find(2, b, topics), b);
  same(cache.Find(9, a, topics), a);
}

// A Markdown viewer that renders raw HTML must not run a reply's <script>: '<' is
// backslash-escaped, in quotes and in table cells (the subject of the letter).
TEST_F(ReportTest, MarkdownCarriesNoRawHtml) {
  RecordTypicalReplies();
  std::string md = RenderMarkdown(Gather(), config_.tz);
  EXPECT_THAT(md, HasSubstr("> \\<script>alert(1)\\</script>"));
  for (std::size_t at = md.find('<'); at != std::string::npos; at = md.find('<', at + 1)) {
    ASSERT_GT(at, 0u);
    EXPECT_EQ(md[at - 1], '\\') << md.substr(at, 40);
  }
}

TEST_F(ReportTest, HtmlEscapesReplyAndConfigText) {
  RecordTypicalReplies();
  ReportData d = Gather();
  std::string html = RenderHtml(d, config_.tz);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("\" onmouseover")));
  EXPECT_THAT(html, Not(HasSubstr("x='y'")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("&quot; onmouseover=alert(2) x=&#39;y&#39;"));
  // The subject from the config, and an unmatched reply's subject.
  EXPECT_THAT(html, HasSubstr("V/v Xin ý kiến dự thảo &lt;Kế hoạch&gt; &amp; &quot;phụ lục&quot;"));
  EXPECT_THAT(html, HasSubstr("Góp ý &lt;dự thảo&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<Kế hoạch>")));

  // Self-contained and printable.
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("@page { size: A4;"));
  EXPECT_THAT(html, HasSubstr("break-before: page"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  for (const char* external : {"<link", " src=", "url(", "@import", "href=", "<iframe"}) {
    EXPECT_THAT(html, Not(HasSubstr(external))) << external;
  }
  EXPECT_EQ(EscapeHtml("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
}

TEST_F(ReportTest, CsvHasBomQuotingAndNeutralisedCells) {
  RecordTypicalReplies();
  PassDeadline();
  ReportData d = Gather();
  std::string csv = RenderCsv(d, config_.tz);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  std::vector<std::vector<std::string>> rows = ParseCsv(std::string_view(csv).substr(3));
  ASSERT_EQ(rows.size(), 5u);  // header + one row per unit
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"code", "name", "group", "status", "stance", "channel",
                                      "received_at", "late", "replies", "reminders_sent",
                                      "notice_failed", "excluded_reason", "comment", "check"}));
  for (const auto& row : rows) EXPECT_EQ(row.size(), 14u);
  std::map<std::string, std::vector<std::string>> by_code;
  for (const auto& row : rows) by_code[row[0]] = row;
  EXPECT_EQ(by_code["ubnd"][3], "replied");
  EXPECT_EQ(by_code["ubnd"][4], "agree");
  EXPECT_EQ(by_code["ubnd"][6], "2026-02-07T10:30:00+07:00");
  // "- Đồng ý" reads the same, but is not a formula.
  EXPECT_EQ(by_code["ubnd"][12], "'- Đồng ý với nội dung dự thảo.");
  EXPECT_EQ(by_code["tdp-02"][3], "deemed_consent");
  EXPECT_EQ(by_code["tdp-02"][7], "true");
  EXPECT_EQ(by_code["tdp-02"][12], "'=cmd|' /C calc'!A0 nhất trí");
  // Multi-line text with quotes survives the round trip.
  EXPECT_EQ(by_code["cong-an"][12].substr(0, 27), "<script>alert(1)</script>\n\"");
  EXPECT_THAT(csv, HasSubstr("\"<script>alert(1)</script>\n\"\" onmouseover"));

  EXPECT_EQ(CsvCell("Tổ dân phố"), "Tổ dân phố");
  EXPECT_EQ(CsvCell("a;b"), "\"a;b\"");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("x\ny"), "\"x\ny\"");
  EXPECT_EQ(CsvCell("=1+2"), "'=1+2");
  EXPECT_EQ(CsvCell("+84 912"), "'+84 912");
  EXPECT_EQ(CsvCell("-5"), "'-5");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvCell("=a;b"), "\"'=a;b\"");
  EXPECT_EQ(CsvCell(""), "");
}

TEST_F(ReportTest, TimelineCountsRepliesPerLocalDayWithoutGaps) {
  RecordTypicalReplies();
  PassDeadline();
  ReportData d = Gather();
  ASSERT_EQ(d.timeline.size(), 5u);  // 06/02 .. 10/02, 09/02 with none
  EXPECT_EQ(d.timeline[0].date, "06/02/2026");
  EXPECT_EQ(d.timeline[1].replies, 2);
  EXPECT_EQ(d.timeline[2].replies, 0);  // the unmatched reply is not this consultation's
  EXPECT_EQ(d.timeline[3].replies, 0);
  EXPECT_EQ(d.timeline[4].date, "10/02/2026");
  EXPECT_EQ(d.timeline[4].late, 1);
  EXPECT_THAT(RenderMarkdown(d, config_.tz), HasSubstr("| 07/02/2026 | 2 | 0 |"));
}

TEST_F(ReportTest, WarningsForFailedNoticesAndUnmatchedReplies) {
  RecordTypicalReplies();
  ReportData d = Gather();
  for (store::UnitState& u : d.consultation.units) u.notice_failed = u.code == "tdp-02";
  std::string md = RenderMarkdown(d, config_.tz);
  EXPECT_THAT(md, HasSubstr("### Đơn vị không nhận được thư thông báo (gửi thư thất bại)\n\n"
                            "- Tổ dân phố số 2 (tdp-02; Tổ dân phố)\n"));
  EXPECT_THAT(md, HasSubstr("### Ý kiến chưa xác định được đơn vị (1)\n\n- số 4, nhận 08/02/2026 "
                            "08:00 qua văn bản giấy: la@example.vn — Góp ý \\<dự thảo> "
                            "(no unit named)\n"));
  std::string html = RenderHtml(d, config_.tz);
  EXPECT_THAT(html, HasSubstr("<li class=\"warn\">Tổ dân phố số 2 <small>(Tổ dân phố)</small>"));
  std::string csv = RenderCsv(d, config_.tz);
  EXPECT_THAT(csv, HasSubstr("tdp-02,Tổ dân phố số 2,Tổ dân phố,pending,,,,false,0,0,true,,,\r\n"));
}

TEST_F(ReportTest, WritesFourFilesAndStatusPage) {
  RecordTypicalReplies();
  ReportData d = Gather();
  PosixFileSystem fs;
  const std::string reports = dir_.path() + "/reports";
  ASSERT_TRUE(WriteReports(d, config_.tz, reports, fs).ok());
  for (const char* name : {"report.md", "report.html", "report.csv", "report.json"}) {
    Result<std::string> body = fs.ReadFile(reports + "/dan-chu-2026/" + name);
    ASSERT_TRUE(body.has_value()) << name;
    EXPECT_FALSE(body->empty()) << name;
  }
  Result<std::string> md = RenderReport(d, config_.tz, "md");
  ASSERT_TRUE(md.has_value());
  EXPECT_EQ(*md, *fs.ReadFile(reports + "/dan-chu-2026/report.md"));
  EXPECT_EQ(RenderReport(d, config_.tz, "pdf").error().code(), ErrorCode::kBadInput);

  EXPECT_EQ(StatusHtmlPath("/var/lib/tacit/status.json"), "/var/lib/tacit/status.html");
  EXPECT_EQ(StatusHtmlPath("/var/lib/tacit.d/status"), "/var/lib/tacit.d/status.html");
  const std::string status_html = dir_.path() + "/status.html";
  ASSERT_TRUE(WriteStatusHtml(*store_, config_, fs, status_html, clock_.Now()).ok());
  std::string page = *fs.ReadFile(status_html);
  EXPECT_THAT(page, HasSubstr("<meta http-equiv=\"refresh\" content=\"30\">"));
  EXPECT_THAT(page, HasSubstr("<article class=\"report\" id=\"dan-chu-2026\">"));
  EXPECT_THAT(page, Not(HasSubstr("<script")));
}

// tacitd's page thread does not gather the audit trail: the JSON report reads
// it from the database as it is written (issue 9: 100 MB at 200,000 replies).
// The file must be the one a gathered trail gives, end at the event the
// stream was cut at, and not replace report.json when the trail cannot be read.
TEST_F(ReportTest, JsonReportStreamsItsAuditTrailFromTheDatabase) {
  RecordTypicalReplies();
  PassDeadline();
  const ReportData gathered = Gather();
  ASSERT_GE(gathered.events.size(), 3u);
  const std::int64_t last = gathered.events.back().id;
  ReportData streamed = Gather();  // the same data (ReportData is not copyable)
  // A change after the gathering: not in this report.
  Record("tdp-01", "10/02/2026 09:00", Stance::kComments, "Ý kiến bổ sung sau khi tổng hợp.");

  streamed.events.clear();
  streamed.events_from = EventsFromDatabase(dir_.path() + "/tacit.db", "dan-chu-2026", last);
  PosixFileSystem fs;
  const std::string reports = dir_.path() + "/reports";
  ASSERT_TRUE(WriteReports(streamed, config_.tz, reports, fs).ok());
  const std::string json_path = reports + "/dan-chu-2026/report.json";
  Result<std::string> written = fs.ReadFile(json_path);
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(*written, RenderJson(gathered, config_.tz));
  EXPECT_EQ(*written, *RenderReport(streamed, config_.tz, "json"));
  // Cut where the gathering was: the later reply's event is not in it.
  EXPECT_EQ(nlohmann::json::parse(*written)["events"].back()["id"], last);

  ReportData& broken = streamed;
  broken.events_from = EventsFromDatabase(dir_.path() + "/missing.db", "dan-chu-2026", last);
  Status s = WriteReports(broken, config_.tz, reports, fs);
  EXPECT_EQ(s.code(), ErrorCode::kIo) << s.message();
  EXPECT_THAT(s.message(), HasSubstr("missing.db"));
  EXPECT_EQ(*fs.ReadFile(json_path), *written) << "a failed trail replaced report.json";
  EXPECT_EQ(RenderReport(broken, config_.tz, "json").error().code(), ErrorCode::kIo);
  EXPECT_EQ(RenderJson(broken, config_.tz), "");
}

// The reports keep a compact copy of each reply (Reply, issue 9): the JSON
// report must still show every field `tacitctl replies --json` shows of the
// same row, for matched, OCR'd, manual and unmatched replies alike, with the
// shared texts (subject, match rule) kept once for many replies.
TEST_F(ReportTest, JsonReportShowsEveryFieldOfEachReply) {
  RecordTypicalReplies();
  for (int i = 0; i < 3; ++i) {  // the same subject and rule three times
    Record(std::nullopt, fmt::format("08/02/2026 0{}:00", i), Stance::kUnknown,
           fmt::format("Ý kiến {} không rõ đơn vị.", i));
  }
  store::NewReply scan;
  scan.consultation_id = "dan-chu-2026";
  scan.unit_code = "ubnd";
  scan.channel = Channel::kDrop;
  scan.received_at = Local("08/02/2026 11:00");
  scan.text = "Bản quét: nhất trí.";
  scan.stance = Stance::kAgree;
  scan.match_rule = "filename";
  scan.content_hash = Sha256Hex("scan");
  scan.source_ref = "archive/scan.pdf";
  scan.ocr_confidence = 61.5;
  scan.needs_check = true;
  ASSERT_TRUE(store_->RecordReply(scan, clock_.Now(), "ocr").has_value());
  store::NewReply manual;
  manual.consultation_id = "dan-chu-2026";
  manual.unit_code = "tdp-02";
  manual.received_at = Local("08/02/2026 12:00");
  manual.text = "Phản đối.";
  manual.stance = Stance::kObject;
  manual.match_rule = "manual";
  manual.content_hash = Sha256Hex("manual");
  ASSERT_TRUE(store_->RecordReply(manual, clock_.Now(), "chi.lan").has_value());

  const ReportData d = Gather();
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(RenderJson(d, config_.tz));
  Result<std::vector<store::ReplyRow>> rows = store_->Replies("dan-chu-2026");
  Result<std::vector<store::ReplyRow>> unmatched = store_->Unmatched();
  ASSERT_TRUE(rows.has_value() && unmatched.has_value());
  ASSERT_EQ(j["replies"].size(), rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    views::Json want = views::ReplyJson((*rows)[i], config_.tz);
    // The report's texts are in NFC; tacitctl shows them as stored.
    for (const char* k : {"sender", "subject", "text", "source", "actor"}) {
      want[k] = text::Nfc(want[k].get<std::string>());
    }
    EXPECT_EQ(j["replies"][i], want) << i;
  }
  ASSERT_EQ(j["unmatched"].size(), unmatched->size());
  ASSERT_GE(unmatched->size(), 3u);
  for (size_t i = 0; i < unmatched->size(); ++i) {
    EXPECT_EQ(j["unmatched"][i], views::ReplyJson((*unmatched)[i], config_.tz)) << i;
    EXPECT_EQ(j["unmatched"][i]["consultation"], nullptr);
    EXPECT_EQ(j["unmatched"][i]["subject"], "Góp ý <dự thảo>");
  }
  bool saw_scan = false, saw_manual = false;
  for (const auto& r : j["replies"]) {
    if (r["source"] == "archive/scan.pdf") {
      saw_scan = true;
      EXPECT_EQ(r["ocr_confidence"], 61.5);
      EXPECT_EQ(r["needs_check"], true);
    }
    if (r["actor"] == "chi.lan") saw_manual = true;
  }
  EXPECT_TRUE(saw_scan);
  EXPECT_TRUE(saw_manual);
}

// Texts in a TextArena stay where they are when it grows or is moved; a text
// larger than a chunk gets one of its own.
TEST(TextArenaTest, ViewsStayValidThroughGrowthAndMoves) {
  TextArena arena;
  std::vector<std::pair<std::string, std::string_view>> kept;
  for (int i = 0; i < 20000; ++i) {
    std::string s = fmt::format("ý kiến số {} ", i) + std::string(static_cast<size_t>(i % 97), 'x');
    std::string_view v = arena.Add(s);
    kept.emplace_back(std::move(s), v);
  }
  const std::string big(size_t{300} * 1024, 'b');
  const std::string_view big_view = arena.Add(big);
  const char* counted = arena.AddCounted("Góp ý");
  EXPECT_EQ(arena.AddCounted(""), nullptr);
  EXPECT_EQ(TextArena::Counted(nullptr), "");
  EXPECT_EQ(arena.Add(""), "");
  TextArena moved = std::move(arena);
  const std::string_view after = moved.Add("sau khi chuyển");
  for (const auto& [text, view] : kept) ASSERT_EQ(view, text);
  EXPECT_EQ(big_view, big);
  EXPECT_EQ(TextArena::Counted(counted), "Góp ý");
  EXPECT_EQ(after, "sau khi chuyển");
  EXPECT_GE(moved.bytes(), big.size() + kept.size() * 12);
}

TEST_F(ReportTest, UnknownConsultationIsNotFound) {
  Consultation c = config_.consultations.front();
  c.id = "nope";
  Result<ReportData> d = GatherReport(*store_, c, config_.tz, clock_.Now());
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tacit::reports

namespace tacit::reports {
namespace {

// Whole-file golden tests: the four formats of a fixed consultation (every
// stance, a late reply, an unmatched reply, a failed address, NFD text,
// <script>, =cmd|, "- Đồng ý") byte for byte. After an intended change, run
// the test with TACIT_UPDATE_GOLDEN=1 and review the diff of tests/golden/.
class GoldenReportTest : public ReportTest {};

TEST_F(GoldenReportTest, EveryFormatMatchesItsGoldenFile) {
  // cong-an's only address fails before it replies.
  store::PlannedMessage m;
  m.kind = "reminder";
  m.consultation_id = "dan-chu-2026";
  m.unit_code = "cong-an";
  m.slot = "2026-02-06 08:00";
  m.message_id = "tacit.reminder.dan-chu-2026.cong-an.20260206T0800@example.vn";
  m.recipients = {"congan@example.vn"};
  m.subject = "Nhắc";
  m.message = "Subject: x\r\n\r\nx\r\n";
  m.due_at = Local("06/02/2026 08:00");
  clock_.Set(Local("06/02/2026 08:00"));
  ASSERT_EQ(*store_->PlanMessages({m}, clock_.Now(), "test"), 1);
  auto row = **store_->NextOutgoing(clock_.Now());
  ASSERT_TRUE(store_->MarkSending(row.id, clock_.Now()).ok());
  ASSERT_TRUE(store_
                  ->MarkFailed(row.id, clock_.Now(), "550 5.1.1 <congan@example.vn>: no such user",
                               "tacitd")
                  .ok());
  RecordTypicalReplies();
  PassDeadline();
  ReportData d = Gather();
  const bool update = std::getenv("TACIT_UPDATE_GOLDEN") != nullptr;
  for (const char* format : {"md", "html", "csv", "json"}) {
    Result<std::string> got = RenderReport(d, config_.tz, format);
    ASSERT_TRUE(got.has_value()) << format;
    EXPECT_THAT(*got, Not(HasSubstr(dir_.path()))) << "a temporary path in the " << format;
    const std::string path = std::string(TACIT_SOURCE_DIR) + "/tests/golden/report." + format;
    if (update) {
      std::ofstream(path, std::ios::binary) << *got;
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in.good()) << path << " is missing (run with TACIT_UPDATE_GOLDEN=1)";
    std::string want((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(*got == want) << format << " differs from " << path
                              << " (run with TACIT_UPDATE_GOLDEN=1 and review the diff)";
  }
}

}  // namespace
}  // namespace tacit::reports
