#include "text/stance.h"

#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "text/lines.h"
#include "text/quotes.h"
#include "unit/text/seed_letter.h"

namespace tacit::text {
namespace {

using test_data::kSeedLetter;

struct StanceCase {
  const char* text;
  Stance expected;
};

void PrintTo(const StanceCase& c, std::ostream* os) { *os << c.text; }

class StanceTableTest : public ::testing::TestWithParam<StanceCase> {
 protected:
  const StanceClassifier classifier_;
};

TEST_P(StanceTableTest, Classifies) {
  EXPECT_EQ(ToString(classifier_.Classify(GetParam().text)), ToString(GetParam().expected));
}

constexpr Stance kA = Stance::kAgree;
constexpr Stance kC = Stance::kComments;
constexpr Stance kO = Stance::kObject;
constexpr Stance kU = Stance::kUnknown;

INSTANTIATE_TEST_SUITE_P(
    Agree, StanceTableTest,
    ::testing::Values(
        StanceCase{"Nhất trí với nội dung dự thảo.", kA}, StanceCase{"Không có ý kiến khác", kA},
        StanceCase{"khong co y kien bo sung", kA}, StanceCase{"TDP số 5 thống nhất", kA},
        StanceCase{"Đồng ý.", kA}, StanceCase{"ĐƠN VỊ NHẤT TRÍ VỚI 02 DỰ THẢO KẾ HOẠCH", kA},
        StanceCase{"nhat tri", kA}, StanceCase{"Nha\xCC\x82\xCC\x81t tri\xCC\x81 (NFD)", kA},
        StanceCase{"Công an phường thống nhất với nội dung dự thảo", kA},
        StanceCase{"Đơn vị tán thành.", kA}, StanceCase{"Không có ý kiến", kA},
        StanceCase{"Không có ý kiến gì thêm.", kA},
        StanceCase{"Đơn vị không có ý kiến bổ sung.", kA},
        StanceCase{"Không đề nghị sửa đổi gì.", kA}, StanceCase{"Nhất trí, không có góp ý.", kA},
        StanceCase{"Không phản đối.", kA}, StanceCase{"Đơn vị không có ý kiến phản đối.", kA},
        StanceCase{"Hoàn toàn nhất trí với các nội dung.", kA},
        StanceCase{"Nhất trí.\nKhông có ý kiến gì khác.", kA},
        StanceCase{"Đã nghiên cứu, nhất trí thông qua", kA},
        StanceCase{"1. Kế hoạch 01: nhất trí.\n2. Kế hoạch 02: nhất trí.", kA},
        StanceCase{"Không có ý kiến khác đồng ý với dự thảo", kA},
        StanceCase{"Đồng ý với dự thảo, không cần chỉnh sửa", kA}, StanceCase{"Ok, đồng ý", kA},
        StanceCase{"Nhất trí thông qua; không có đề xuất thêm", kA},
        StanceCase{"Phúc đáp Công văn đề nghị tham gia ý kiến của Phòng "
                   "VH-XH, đơn vị nhất trí.",
                   kA},
        StanceCase{"Kính gửi Phòng Văn hóa – Xã hội\n\nTổ dân phố số 05 "
                   "thống nhất với 02 dự thảo.\n\nTrân trọng!",
                   kA}));

INSTANTIATE_TEST_SUITE_P(
    Object, StanceTableTest,
    ::testing::Values(
        StanceCase{"Không đồng ý với chỉ tiêu 100%", kO}, StanceCase{"Không nhất trí", kO},
        StanceCase{"KHONG DONG Y", kO}, StanceCase{"Đơn vị phản đối chỉ tiêu đạt 100%.", kO},
        StanceCase{"Chưa đồng ý với phân công nhiệm vụ", kO},
        StanceCase{"Không hoàn toàn nhất trí với dự thảo", kO},
        StanceCase{"Không thống nhất với tiến độ", kO}, StanceCase{"Không tán thành", kO},
        StanceCase{"Không đồng ý với chỉ tiêu X, đề nghị sửa thành 90%.", kO},
        StanceCase{"Nhất trí kế hoạch 01; không nhất trí kế hoạch 02.", kO},
        StanceCase{"ko đồng ý", kO}, StanceCase{"Chưa thật sự đồng ý với tiến độ", kO},
        StanceCase{"Kho\xCC\x82ng \xC4\x91o\xCC\x82\xCC\x80ng y\xCC\x81", kO},
        StanceCase{"Đơn vị chúng tôi không\nđồng ý với chỉ tiêu", kO},
        StanceCase{"1. Nhất trí kế hoạch 01.\n2. Phản đối chỉ tiêu 100%.", kO}));

INSTANTIATE_TEST_SUITE_P(
    Comments, StanceTableTest,
    ::testing::Values(StanceCase{"Đơn vị nhất trí, đề nghị bổ sung tiến độ quý II", kC},
                      StanceCase{"Đề nghị sửa mục 2 như sau: thay 100% bằng 95%.", kC},
                      StanceCase{"Nhất trí với dự thảo, đề nghị bổ sung nội dung tuyên "
                                 "truyền.",
                                 kC},
                      StanceCase{"Bổ sung thêm nhiệm vụ cho Đoàn Thanh niên.", kC},
                      StanceCase{"Đơn vị góp ý như sau: chỉ tiêu quá cao.", kC},
                      StanceCase{"TDP 5 có ý kiến như sau: chỉ tiêu cao", kC},
                      StanceCase{"Kiến nghị điều chỉnh chỉ tiêu", kC},
                      StanceCase{"Đề xuất lùi tiến độ sang quý III", kC},
                      StanceCase{"Cần điều chỉnh lại thời gian", kC},
                      StanceCase{"Đề nghị làm rõ trách nhiệm của từng bộ phận", kC},
                      StanceCase{"Kính gửi Phòng Văn hóa - Xã hội,\nĐơn vị có một số nội "
                                 "dung:\n1. Chỉ tiêu 100% là quá cao với TDP.\n2. Thời gian "
                                 "triển khai quá ngắn.",
                                 kC},
                      StanceCase{"a) Kế hoạch 01 nhất trí.\nb) Kế hoạch 02 cần giao cụ thể "
                                 "cho từng tổ.",
                                 kC},
                      StanceCase{"Nhất trí. Tuy nhiên cần sửa lại câu chữ ở mục III.", kC},
                      StanceCase{"Chỉnh sửa tên phụ lục", kC}, StanceCase{"DE NGHI BO SUNG", kC},
                      StanceCase{"Nhất trí nhưng xem xét lại tiến độ.", kC},
                      StanceCase{"Không có ý kiến khác.\nĐề nghị bổ sung kinh phí.", kC},
                      StanceCase{"Thống nhất. Đề nghị thay đổi thời gian họp.", kC}));

INSTANTIATE_TEST_SUITE_P(
    Unknown, StanceTableTest,
    ::testing::Values(StanceCase{"Xin gửi lại văn bản", kU}, StanceCase{"", kU},
                      StanceCase{"Đã nhận được công văn.", kU}, StanceCase{"Xin cảm ơn.", kU},
                      StanceCase{"Đơn vị sẽ trả lời sau.", kU}, StanceCase{"Xem file đính kèm", kU},
                      StanceCase{"Phúc đáp Công văn về việc xin ý kiến tham gia dự thảo", kU},
                      StanceCase{"Được hiểu là đồng ý", kU}, StanceCase{"1. Xem\n2. Xem", kU},
                      StanceCase{"Đơn vị chưa có ý kiến.", kU},
                      StanceCase{"\xFF\xFE garbage \xC3", kU}));

TEST(StanceTest, QuotedLetterDoesNotCount) {
  // The letter asks ("kính đề nghị") and says silence "được hiểu là đồng ý".
  const std::string body =
      "Xin gửi lại văn bản.\n\nVào Th 2, 9 thg 2, 2026 lúc 08:00 Phòng Văn "
      "hóa - Xã hội <vhxh@hungdao.gov.vn> đã viết:\n" +
      std::string(kSeedLetter);
  const StanceClassifier classifier;
  EXPECT_EQ(classifier.Classify(body), Stance::kComments);
  EXPECT_EQ(classifier.Classify(SplitQuoted(body).own), Stance::kUnknown);

  const std::string agree = "Nhất trí.\n\n" + body.substr(body.find("Vào"));
  EXPECT_EQ(classifier.Classify(SplitQuoted(agree).own), Stance::kAgree);
}

TEST(StanceTest, KeywordsCanBeReplaced) {
  StanceKeywords keywords = StanceKeywords::Defaults();
  keywords.agree.push_back("OK");
  keywords.negations.clear();
  const StanceClassifier custom(keywords);
  EXPECT_EQ(custom.Classify("ok"), Stance::kAgree);
  EXPECT_EQ(StanceClassifier().Classify("ok"), Stance::kUnknown);
  // Without negations "chưa đồng ý" is just "đồng ý"; the object list stays.
  EXPECT_EQ(custom.Classify("chưa đồng ý"), Stance::kAgree);
  EXPECT_EQ(custom.Classify("Không đồng ý"), Stance::kObject);

  StanceKeywords empty;
  empty.agree = {"", "  ", "Ừ"};
  EXPECT_EQ(StanceClassifier(empty).Classify("ừ"), Stance::kAgree);
  EXPECT_EQ(StanceClassifier(empty).Classify("nhất trí"), Stance::kUnknown);
}

const char kCommentsReply[] =
    "Kính gửi Phòng Văn hóa - Xã hội,\n"
    "\n"
    "Đơn vị có ý kiến như sau:\n"
    "1. Về chỉ tiêu: đề nghị giảm xuống 95% vì dân cư\n"
    "biến động.\n"
    "2. Về phân công: cần giao rõ cho từng tổ.\n"
    "3. Tiến độ thực hiện nên lùi đến quý III.\n"
    "- Nhiệm vụ của các bộ phận chưa rõ ràng.\n"
    "\n"
    "Đơn vị sẽ thực hiện đúng thời hạn.\n"
    "ve chi tieu: da tinh toan lai";

TEST(ParagraphsForTopicTest, ByHeadPhraseOrSignificantWords) {
  EXPECT_EQ(
      ParagraphsForTopic(kCommentsReply, "Chỉ tiêu đạt 100% trong năm 2026"),
      (std::vector<std::string>{"1. Về chỉ tiêu: đề nghị giảm xuống 95% vì dân cư\nbiến động.",
                                "Đơn vị sẽ thực hiện đúng thời hạn.\n"
                                "ve chi tieu: da tinh toan lai"}));
  EXPECT_EQ(ParagraphsForTopic(kCommentsReply, "Phân công nhiệm vụ cho từng bộ phận"),
            (std::vector<std::string>{"2. Về phân công: cần giao rõ cho từng tổ.",
                                      "- Nhiệm vụ của các bộ phận chưa rõ ràng."}));
  EXPECT_EQ(ParagraphsForTopic(kCommentsReply, "TIẾN ĐỘ THỰC HIỆN"),
            (std::vector<std::string>{"3. Tiến độ thực hiện nên lùi đến quý III."}));
}

TEST(ParagraphsForTopicTest, NothingForEmptyOrStopwordTopics) {
  EXPECT_TRUE(ParagraphsForTopic(kCommentsReply, "").empty());
  EXPECT_TRUE(ParagraphsForTopic(kCommentsReply, "và của các").empty());
  EXPECT_TRUE(ParagraphsForTopic("", "Tiến độ thực hiện").empty());
  EXPECT_TRUE(ParagraphsForTopic("Đơn vị sẽ thực hiện đúng hạn.", "Tiến độ thực hiện").empty());
}

TEST(ParagraphsForTopicTest, AllTopicsAtOnceGiveIndicesOfTheSameParagraphs) {
  const std::vector<std::string> topics = {"Chỉ tiêu đạt 100% trong năm 2026",
                                           "Phân công nhiệm vụ cho từng bộ phận", "",
                                           "Tiến độ thực hiện"};
  const std::vector<std::vector<size_t>> all = ParagraphTopics(kCommentsReply, topics);
  ASSERT_EQ(all.size(), topics.size());
  EXPECT_TRUE(all[2].empty());
  for (const std::string& text :
       {std::string(kCommentsReply), std::string("Nhất trí."),
        std::string(
            "1. Chỉ tiêu đạt 100% là quá cao.\n2. Phân công nhiệm vụ chưa rõ.\n3. Tiến độ gấp."),
        std::string("chi tieu dat 100% trong nam 2026 can xem lai\n\nphan cong cho tung bo phan"),
        std::string("Năm 2026 đạt 100% — nhiệm vụ phân công hợp lý; tiến độ thực hiện phù hợp."),
        std::string("")}) {
    const std::vector<std::vector<size_t>> found = ParagraphTopics(text, topics);
    const std::vector<std::string_view> paragraphs = SplitParagraphs(text);
    for (size_t t = 0; t < topics.size(); ++t) {
      std::vector<std::string> by_index;
      for (size_t p : found[t]) by_index.emplace_back(paragraphs.at(p));
      EXPECT_EQ(by_index, ParagraphsForTopic(text, topics[t])) << text << " / " << topics[t];
    }
  }
  EXPECT_EQ(all[0].size(), 2u);
  EXPECT_EQ(all[3].size(), 1u);
}

}  // namespace
}  // namespace tacit::text
