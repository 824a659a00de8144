// match_bench: matching and stance throughput (issue 3). Not a timed test: it
// prints items/s and what became of the items, to show that matching stays far
// from being the ingest bottleneck (target: ≥ 50k items/s).
//
// Generates 10,000 units over 200 wards (5,000 "Tổ dân phố số N", and per ward
// police, military command, mass organisations, offices and schools, each
// with aliases and an email), three consultations, and 100,000 candidates: by
// sender, plus-address, drop subfolder or file name, subject, own text or
// attachment, unmatched and ambiguous ones, replies to our reminders,
// auto-replies and bounces; bodies are a few hundred bytes of Vietnamese with
// the letter quoted below. Then runs Matcher::Match over all of them.
//
// Usage: match_bench [candidates]   (default 100000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "config/config.h"
#include "match/matcher.h"
#include "text/normalize.h"

namespace {

using tacit::Config;
using tacit::Consultation;
using tacit::Unit;
using tacit::match::Candidate;
using tacit::match::MatchContext;
using tacit::match::Matcher;
using tacit::match::MatchResult;
using tacit::match::Outcome;
using tacit::match::SentMessage;

constexpr int kWards = 200;
constexpr int kGroupsPerWard = 25;

const std::vector<std::string> kWardFirst = {
    "Hưng", "An",  "Tân",   "Phú",   "Vĩnh", "Minh",  "Thành", "Quang", "Hòa", "Đông",
    "Nam",  "Bắc", "Trung", "Phước", "Long", "Thạnh", "Bình",  "Cát",   "Hải", "Ngọc"};
const std::vector<std::string> kWardSecond = {"Đạo", "Biên", "Lập",  "Yên", "Khánh",
                                              "Sơn", "Thủy", "Xuân", "Lợi", "Hà"};

// "Hưng Đạo" -> "hung-dao".
std::string Slug(const std::string& ward) {
  std::string slug = tacit::text::FoldToWords(ward);
  for (char& c : slug) {
    if (c == ' ') c = '-';
  }
  return slug;
}

struct Org {
  const char* code;
  const char* name;  // "{}" is the ward
  const char* email;
  std::vector<const char*> aliases;
};

const std::vector<Org> kOrgs = {
    {"ca", "Công an phường {}", "congan", {"CA phường {}"}},
    {"bchqs", "Ban Chỉ huy Quân sự phường {}", "quansu", {"BCH QS phường {}"}},
    {"tyt", "Trạm Y tế phường {}", "tramyte", {"TYT phường {}"}},
    {"pn", "Hội Liên hiệp Phụ nữ phường {}", "phunu", {"Hội Phụ nữ phường {}"}},
    {"ccb", "Hội Cựu chiến binh phường {}", "ccb", {"Hội CCB phường {}"}},
    {"nd", "Hội Nông dân phường {}", "nongdan", {"Hội ND phường {}"}},
    {"dtn", "Đoàn TNCS Hồ Chí Minh phường {}", "doantn", {"Đoàn Thanh niên phường {}"}},
    {"cd", "Công đoàn phường {}", "congdoan", {"CĐ phường {}"}},
    {"mttq", "Ban Thường trực UBMTTQ Việt Nam phường {}", "mttq", {"UBMTTQ phường {}"}},
    {"hdnd", "Thường trực HĐND phường {}", "hdnd", {"HĐND phường {}"}},
    {"ct", "Chủ tịch UBND phường {}", "chutich", {"CT UBND phường {}"}},
    {"pct-kt", "Phó Chủ tịch UBND phường {} phụ trách Kinh tế", "pctkt", {}},
    {"pct-vx", "Phó Chủ tịch UBND phường {} phụ trách Văn hóa – Xã hội", "pctvx", {}},
    {"vp", "Văn phòng HĐND và UBND phường {}", "vanphong", {"Văn phòng phường {}"}},
    {"kt", "Phòng Kinh tế, Hạ tầng và Đô thị phường {}", "ktht", {"Phòng KT-HT-ĐT phường {}"}},
    {"vhxh", "Phòng Văn hóa – Xã hội phường {}", "vhxh", {"Phòng VH-XH phường {}"}},
    {"hcc", "Trung tâm Phục vụ hành chính công phường {}", "hcc", {"Trung tâm HCC phường {}"}},
    {"dvc", "Trung tâm Cung ứng dịch vụ công phường {}", "dvc", {}},
    {"mn1", "Trường Mầm non {}", "mn1", {"MN {}"}},
    {"mn2", "Trường Mầm non số 2 {}", "mn2", {"MN số 2 {}"}},
    {"th1", "Trường Tiểu học {}", "th1", {"TH {}"}},
    {"th2", "Trường Tiểu học số 2 {}", "th2", {"TH số 2 {}"}},
    {"thcs1", "Trường THCS {}", "thcs1", {"THCS {}"}},
    {"thcs2", "Trường THCS số 2 {}", "thcs2", {}},
    {"thpt", "Trường THPT {}", "thpt", {"THPT {}"}},
};

struct World {
  Config config;
  std::vector<std::string> wards;
  std::vector<std::string> slugs;
};

World MakeWorld() {
  World w;
  for (const std::string& a : kWardFirst) {
    for (const std::string& b : kWardSecond) {
      w.wards.push_back(a + " " + b);
      w.slugs.push_back(Slug(a + " " + b));
    }
  }
  w.wards.resize(kWards);
  w.slugs.resize(kWards);
  for (int i = 0; i < kWards; ++i) {
    const std::string& ward = w.wards[static_cast<size_t>(i)];
    const std::string& slug = w.slugs[static_cast<size_t>(i)];
    for (int n = 1; n <= kGroupsPerWard; ++n) {
      Unit u;
      u.code = fmt::format("tdp-{}-{:02}", slug, n);
      u.name = fmt::format("Tổ dân phố số {} phường {}", n, ward);
      u.group = "Tổ dân phố";
      u.emails = {fmt::format("tdp{:02}.{}@example.vn", n, slug)};
      u.aliases = {fmt::format("TDP {} {}", n, ward), fmt::format("TDP số {:02} {}", n, ward),
                   fmt::format("Tổ {} {}", n, ward)};
      w.config.units.push_back(std::move(u));
    }
    for (const Org& org : kOrgs) {
      Unit u;
      u.code = fmt::format("{}-{}", org.code, slug);
      u.name = fmt::format(fmt::runtime(org.name), ward);
      u.group = org.code[0] == 'm' || org.code[0] == 't' ? "Trường học" : "Phường";
      u.emails = {fmt::format("{}.{}@example.vn", org.email, slug)};
      for (const char* alias : org.aliases) {
        u.aliases.push_back(fmt::format(fmt::runtime(alias), ward));
      }
      w.config.units.push_back(std::move(u));
    }
  }
  Consultation dan_chu;
  dan_chu.id = "dan-chu-2026";
  dan_chu.reference = "15/VH-XH";
  dan_chu.subject =
      "Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện dân chủ ở cơ sở và công "
      "tác dân vận năm 2026";
  dan_chu.topics = {"Chỉ tiêu đạt 100% trong năm 2026", "Phân công nhiệm vụ cho từng bộ phận",
                    "Tiến độ thực hiện"};
  Consultation giao_duc;
  giao_duc.id = "giao-duc-2026";
  giao_duc.reference = "22/VH-XH";
  giao_duc.subject = "Xin ý kiến dự thảo Kế hoạch phát triển giáo dục năm học 2026-2027";
  giao_duc.topics = {"Chỉ tiêu", "Kinh phí"};
  Consultation pccc;
  pccc.id = "pccc-2025";
  pccc.reference = "9/CA";
  pccc.subject = "Lấy ý kiến về phương án phòng cháy chữa cháy khu dân cư năm 2025";
  for (const Unit& u : w.config.units) {
    dan_chu.addressed_units.push_back(u.code);
    if (u.group == "Trường học") giao_duc.addressed_units.push_back(u.code);
    if (u.group == "Tổ dân phố") pccc.addressed_units.push_back(u.code);
  }
  w.config.consultations = {dan_chu, giao_duc, pccc};
  return w;
}

constexpr const char* kReSubject =
    "Re: Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện dân chủ ở cơ sở và "
    "công tác dân vận năm 2026";
constexpr const char* kQuoted =
    "Vào Th 5, 05/02/2026 Phòng VH-XH <vhxh@example.vn> đã viết:\n"
    "> Kính gửi: Công an phường; BCH Quân sự phường; các trường học; các tổ dân phố.\n"
    "> Sau thời gian nêu trên, các đơn vị không có ý kiến được hiểu là đồng ý.";
const std::vector<std::string> kBodies = {
    "Kính gửi: Phòng Văn hóa – Xã hội\n\nSau khi nghiên cứu dự thảo 02 Kế hoạch, đơn vị nhất trí "
    "với nội dung dự thảo, không có ý kiến khác.\n\nTrân trọng./.",
    "Kính gửi: Phòng Văn hóa – Xã hội\n\nĐơn vị cơ bản nhất trí, đề nghị bổ sung vào phần Tiến độ "
    "thực hiện: hoàn thành trước 30/6/2026.\n\nVề chỉ tiêu: đề nghị giảm còn 90% vì địa bàn "
    "đông dân cư, nhiều hộ tạm trú.\n\nTrân trọng!",
    "Đơn vị không nhất trí với chỉ tiêu đạt 100% trong năm 2026 vì chưa phù hợp thực tế địa bàn; "
    "đề nghị Phòng xem xét lại.",
    "Gửi kèm văn bản tham gia ý kiến của đơn vị.",
};

struct Corpus {
  std::vector<Candidate> candidates;
  std::unordered_map<std::string, SentMessage> sent;
};

Corpus MakeCandidates(const World& w, size_t count) {
  Corpus corpus;
  std::mt19937 rng(20260209);
  const auto& units = w.config.units;
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  for (size_t i = 0; i < count; ++i) {
    Candidate c;
    c.channel = tacit::Channel::kImap;
    const size_t ward = pick(kWards);
    const size_t n = 1 + pick(kGroupsPerWard);
    const Unit& unit = units[pick(units.size())];
    const std::string& ward_name = w.wards[ward];
    c.subject = kReSubject;
    c.own_text = kBodies[pick(kBodies.size())];
    c.quoted_text = kQuoted;
    switch (i % 20) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5:  // sender
        c.from = {unit.emails[0]};
        break;
      case 6:  // plus-address
        c.from = {"vhxh+" + unit.code + "@example.vn"};
        break;
      case 7:
      case 8:  // drop folder: subfolder, then file name
        c.channel = tacit::Channel::kDrop;
        c.subject.clear();
        c.subfolders = {"dan-chu-2026"};
        if (i % 20 == 7) c.subfolders.push_back(unit.code);
        c.file_name = fmt::format("TDP so {:02} {} - gop y.docx", n, ward_name);
        break;
      case 9:
      case 10:  // subject
        c.from = {fmt::format("nguoidan{}@gmail.com", i)};
        c.subject =
            fmt::format("Ý kiến của {}", unit.aliases.empty() ? unit.name : unit.aliases[0]);
        break;
      case 11:
      case 12:
      case 13:  // own text
        c.from = {fmt::format("nguoidan{}@gmail.com", i)};
        c.own_text = fmt::format("TỔ DÂN PHỐ SỐ {} PHƯỜNG {}\n\n{}", n, ward_name, c.own_text);
        break;
      case 14:  // attachment
        c.from = {fmt::format("nguoidan{}@gmail.com", i)};
        c.own_text = kBodies[3];
        c.attachments.push_back(
            {"ykien.docx", fmt::format("{}\n\n{}", unit.name, kBodies[pick(3)])});
        break;
      case 15:  // unmatched: nothing names a unit
        c.from = {fmt::format("nguoidan{}@gmail.com", i)};
        break;
      case 16:  // unmatched: two units in the text
        c.from = {fmt::format("nguoidan{}@gmail.com", i)};
        c.own_text = fmt::format("TDP {} {} đã họp cùng Công an phường {}, thống nhất.", n,
                                 ward_name, ward_name);
        break;
      case 17: {  // reply to our reminder
        const std::string id = fmt::format("r{}@tacit.example.vn", i);
        corpus.sent[id] = {"dan-chu-2026", unit.code};
        c.from = {fmt::format("nguoidan{}@gmail.com", i)};
        c.in_reply_to = "<" + id + ">";
        break;
      }
      case 18:  // auto-reply
        c.from = {unit.emails[0]};
        c.subject = "Trả lời tự động: " + c.subject;
        break;
      default:  // bounce
        c.from = {"MAILER-DAEMON@mail.example.vn"};
        c.subject = "Undelivered Mail Returned to Sender";
        c.references = {fmt::format("<r{}@tacit.example.vn>", i - 2)};
        break;
    }
    corpus.candidates.push_back(std::move(c));
  }
  return corpus;
}

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t count = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  using Clock = std::chrono::steady_clock;
  const World world = MakeWorld();
  const Corpus corpus = MakeCandidates(world, count);

  const auto build_start = Clock::now();
  const Matcher matcher(world.config);
  const double build_s = std::chrono::duration<double>(Clock::now() - build_start).count();

  MatchContext context;
  context.open_consultations = {"dan-chu-2026", "giao-duc-2026"};
  context.sent_lookup = [&](const std::string& id) -> std::optional<SentMessage> {
    const auto it = corpus.sent.find(id);
    if (it == corpus.sent.end()) return std::nullopt;
    return it->second;
  };

  std::map<std::string, size_t> outcomes;
  std::map<std::string, size_t> stances;
  const double cpu_start = CpuSeconds();
  const auto start = Clock::now();
  for (const Candidate& c : corpus.candidates) {
    const MatchResult r = matcher.Match(c, context);
    switch (r.outcome) {
      case Outcome::kMatched: ++outcomes["matched"]; break;
      case Outcome::kUnmatched: ++outcomes["unmatched"]; break;
      case Outcome::kNotAReply: ++outcomes["not a reply"]; break;
    }
    if (r.outcome != Outcome::kNotAReply) ++stances[std::string(tacit::ToString(r.stance))];
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu_seconds = CpuSeconds() - cpu_start;

  fmt::print("units: {}, consultations: {}, candidates: {}\n", world.config.units.size(),
             world.config.consultations.size(), corpus.candidates.size());
  fmt::print("matcher built in {:.3f} s\n", build_s);
  const auto items = static_cast<double>(corpus.candidates.size());
  fmt::print("matched {} candidates in {:.3f} s: {:.0f} items/s\n", corpus.candidates.size(),
             seconds, items / seconds);
  // On a shared machine the wall time includes other processes' turns.
  fmt::print("cpu time {:.3f} s: {:.0f} items/s of cpu\n", cpu_seconds, items / cpu_seconds);
  for (const auto& [name, n] : outcomes) fmt::print("  {:<12} {}\n", name, n);
  for (const auto& [name, n] : stances) fmt::print("  stance {:<8} {}\n", name, n);
  return 0;
}
