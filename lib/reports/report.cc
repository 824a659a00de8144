#include "reports/report.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <future>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "reports/report_internal.h"
#include "text/lines.h"
#include "text/normalize.h"
#include "text/stance.h"

namespace tacit::reports {
namespace {

using std::chrono::days;

constexpr int kMaxTimelineDays = 92;

// The local calendar day of `t`.
std::chrono::sys_days LocalDay(TimePoint t, const TimeZone& tz) {
  return std::chrono::floor<days>(t + std::chrono::seconds{tz.OffsetSeconds(t)});
}

std::string FormatDay(std::chrono::sys_days d) {
  std::chrono::year_month_day ymd{d};
  return fmt::format("{:02}/{:02}/{:04}", static_cast<unsigned>(ymd.day()),
                     static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
}

// The texts many replies share, each kept once in `arena` while gathering
// (the map goes with the gathering). Up to kMaxInterned different ones: past
// that, a text is added on its own (subjects that all differ would otherwise
// fill the map, 200,000 of them).
class Interner {
 public:
  explicit Interner(TextArena& arena) : arena_(arena) {}
  const char* Get(std::string_view s) {
    if (s.empty()) return nullptr;
    if (auto it = seen_.find(s); it != seen_.end()) return it->second;
    const char* p = arena_.AddCounted(s);
    if (seen_.size() < kMaxInterned) seen_.emplace(TextArena::Counted(p), p);
    return p;
  }

 private:
  static constexpr size_t kMaxInterned = 4096;
  TextArena& arena_;
  std::unordered_map<std::string_view, const char*> seen_;
};

// What the reports keep of `r`: its texts, in NFC but the codes, in `texts`.
Reply Keep(const store::ReplyRow& r, TextArena& texts, Interner& shared) {
  Reply k;
  k.id = r.id;
  k.received_at = r.received_at;
  k.recorded_at = r.recorded_at;
  k.ocr_confidence = r.ocr_confidence;
  k.channel = r.channel;
  k.stance = r.stance;
  k.late = r.late;
  k.needs_check = r.needs_check;
  k.has_consultation = r.consultation_id.has_value();
  k.has_unit = r.unit_code.has_value();
  std::string own;
  auto add = [&](Reply::Text t, std::string_view s) {
    k.lengths[t] = static_cast<std::uint32_t>(s.size());
    own += s;
  };
  add(Reply::kUnit, r.unit_code.value_or(""));
  add(Reply::kSender, text::Nfc(r.sender));
  add(Reply::kText, text::Nfc(r.text));
  add(Reply::kSource, text::Nfc(r.source_ref));
  k.texts = texts.Add(own).data();
  k.shared[Reply::kConsultation] = shared.Get(r.consultation_id.value_or(""));
  k.shared[Reply::kSubject] = shared.Get(text::Nfc(r.subject));
  k.shared[Reply::kMatchRule] = shared.Get(r.match_rule);
  k.shared[Reply::kActor] = shared.Get(text::Nfc(r.actor));
  return k;
}

// ParagraphTopics' lists, flat as TopicLists reads them, appended to `out`.
void AppendFlat(const std::vector<std::vector<size_t>>& by_topic, std::vector<std::uint32_t>& out) {
  for (const std::vector<size_t>& list : by_topic) {
    out.push_back(static_cast<std::uint32_t>(list.size()));
    for (size_t p : list) out.push_back(static_cast<std::uint32_t>(p));
  }
}

// `unit_index`: unit code -> index in the consultation's units; `joined`:
// where the quotes of several paragraphs go.
std::vector<TopicSection> GroupByTopic(const std::vector<Reply>& replies,
                                       const std::vector<std::string>& topics, TopicCache* cache,
                                       std::vector<std::string>& joined) {
  std::vector<TopicSection> sections;
  sections.reserve(topics.size() + 1);
  for (const std::string& t : topics) sections.push_back({t, {}});
  sections.push_back({kOtherTopic, {}});
  for (size_t at = 0; at < replies.size(); ++at) {
    const Reply& r = replies[at];
    const std::string_view text = r.text();
    if (text.empty()) continue;
    const std::vector<std::string_view> paragraphs = text::SplitParagraphs(text);
    // The paragraphs of one reply under one heading are quoted together: one
    // by where it stands in the text, several joined.
    auto add = [&](TopicSection& section, std::span<const std::uint32_t> found) {
      if (found.empty()) return;
      QuotedParagraph q;
      q.reply = static_cast<std::uint32_t>(at);
      if (found.size() == 1) {
        const std::string_view one = paragraphs[found.front()];
        q.offset = static_cast<std::uint32_t>(one.data() - text.data());
        q.length = static_cast<std::uint32_t>(one.size());
      } else {
        std::string quote;
        for (std::uint32_t p : found) {
          if (!quote.empty()) quote += "\n\n";
          quote += paragraphs[p];
        }
        q.offset = static_cast<std::uint32_t>(joined.size());
        q.length = QuotedParagraph::kJoined;
        joined.push_back(std::move(quote));
      }
      section.paragraphs.push_back(q);
    };
    std::vector<std::uint32_t> uncached;  // without a cache
    if (!cache) AppendFlat(text::ParagraphTopics(text, topics), uncached);
    const TopicLists by_topic = cache ? cache->Find(r.id, text, topics) : TopicLists(uncached);
    std::set<std::string_view> tagged;
    for (size_t i = 0; i < topics.size(); ++i) {
      for (std::uint32_t p : by_topic[i]) tagged.insert(paragraphs[p]);
      add(sections[i], by_topic[i]);
    }
    if (r.stance == Stance::kAgree) continue;
    std::vector<std::uint32_t> rest;
    for (size_t p = 0; p < paragraphs.size(); ++p) {
      if (!paragraphs[p].empty() && !tagged.count(paragraphs[p])) {
        rest.push_back(static_cast<std::uint32_t>(p));
      }
    }
    add(sections.back(), rest);
  }
  // Held until the report is written: without the slack of growing.
  for (TopicSection& s : sections) s.paragraphs.shrink_to_fit();
  joined.shrink_to_fit();
  return sections;
}

std::vector<DayCount> Timeline(const std::vector<Reply>& replies, const TimeZone& tz) {
  std::map<std::chrono::sys_days, DayCount> by_day;
  for (const Reply& r : replies) {
    DayCount& d = by_day[LocalDay(r.received_at, tz)];
    ++d.replies;
    if (r.late) ++d.late;
  }
  std::vector<DayCount> out;
  if (by_day.empty()) return out;
  std::chrono::sys_days first = by_day.begin()->first, last = by_day.rbegin()->first;
  if ((last - first).count() < kMaxTimelineDays) {
    for (std::chrono::sys_days d = first; d <= last; d += days{1}) by_day.try_emplace(d);
  }
  for (auto& [day, count] : by_day) {
    count.date = FormatDay(day);
    out.push_back(count);
  }
  return out;
}

// `state`: the consultation as the caller already read it from `store` (the
// daemon reads the store once per status write, SPEC §5 at 100,000 units).
Result<ReportData> Gather(store::Store& store, store::ConsultationState state,
                          const std::vector<std::string>& topics, const ReportHeaderConfig& header,
                          TimePoint now, const TimeZone& tz, TopicCache* cache, bool with_events) {
  ReportData d;
  d.consultation = std::move(state);
  store::ConsultationState& c = d.consultation;
  const std::string id = c.id;
  for (std::string* s : {&c.reference, &c.subject, &c.issuer, &c.signer}) *s = text::Nfc(*s);
  // Views of the codes in c.units, used only while gathering (the units do
  // not move until `d` is returned).
  std::unordered_map<std::string_view, std::uint32_t> unit_index;
  unit_index.reserve(c.units.size());
  for (size_t i = 0; i < c.units.size(); ++i) {
    store::UnitState& u = c.units[i];
    u.name = text::Nfc(u.name);
    u.group = text::Nfc(u.group);
    u.excluded_reason = text::Nfc(u.excluded_reason);
    unit_index.try_emplace(u.code, static_cast<std::uint32_t>(i));
  }
  for (const std::string& t : topics) d.topics.push_back(text::Nfc(t));

  // One row at a time, kept as a Reply: never the whole ReplyRow vector.
  Interner shared(d.texts);
  if (Status s = store.EachReply(
          c.id, [&](size_t n) { d.replies.reserve(n); },
          [&](const store::ReplyRow& r) {
            Reply& k = d.replies.emplace_back(Keep(r, d.texts, shared));
            if (auto it = unit_index.find(k.unit_code()); k.has_unit && it != unit_index.end()) {
              k.unit = it->second;
            }
          });
      !s.ok()) {
    return s;
  }
  if (with_events) {
    Result<std::vector<store::EventRow>> events = store.Events(c.id);
    if (!events) return events.error();
    d.events = std::move(*events);
    for (store::EventRow& e : d.events) e.detail = text::Nfc(e.detail);
  }
  if (Status s = store.EachUnmatched(
          [&](const store::ReplyRow& r) { d.unmatched.push_back(Keep(r, d.texts, shared)); });
      !s.ok()) {
    return s;
  }
  d.unmatched.shrink_to_fit();
  Result<std::vector<store::FailedAddress>> failed = store.FailedAddresses(id);
  if (!failed) return failed.error();
  d.failed_addresses = std::move(*failed);
  for (store::FailedAddress& f : d.failed_addresses) f.reason = text::Nfc(f.reason);

  d.counts = views::CountUnits(c);
  d.sections = GroupByTopic(d.replies, d.topics, cache, d.joined);
  d.timeline = Timeline(d.replies, tz);
  d.generated_at = now;
  d.provisional = !c.closed;
  d.silence_rule = SilenceRuleText(c, tz);
  d.header = ResolveReportHeader(header, c);
  return d;
}

}  // namespace

const char* TextArena::AddCounted(std::string_view s) {
  if (s.empty()) return nullptr;
  const auto n = static_cast<std::uint32_t>(s.size());
  std::string counted(sizeof n, '\0');
  std::memcpy(counted.data(), &n, sizeof n);
  counted += s;
  return Add(counted).data();
}

std::string_view TextArena::Add(std::string_view s) {
  if (s.empty()) return {};
  // A chunk of 256 KiB holds a few hundred replies' texts; a text larger than
  // a quarter of one gets a chunk of its own (the current one keeps its room).
  constexpr size_t kChunk = size_t{256} * 1024;
  if (s.size() > kChunk / 4) {
    auto own = std::make_unique_for_overwrite<char[]>(s.size());
    std::memcpy(own.get(), s.data(), s.size());
    std::string_view v(own.get(), s.size());
    chunks_.push_back(std::move(own));  // at_ stays in the chunk it was in
    bytes_ += s.size();
    return v;
  }
  if (s.size() > left_) {
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunk));
    at_ = chunks_.back().get();
    left_ = kChunk;
    bytes_ += kChunk;
  }
  std::memcpy(at_, s.data(), s.size());
  std::string_view v(at_, s.size());
  at_ += s.size();
  left_ -= s.size();
  return v;
}

std::string DeadlineWords(TimePoint deadline, const TimeZone& tz) {
  std::string human = FormatHuman(deadline, tz);  // "09/02/2026 23:59"
  std::string date = human.substr(0, 10);
  std::chrono::sys_days day = LocalDay(deadline, tz);
  bool end_of_day = LocalDay(deadline + std::chrono::seconds{1}, tz) != day;
  if (end_of_day) return "hết ngày " + date;
  return human.substr(11) + " ngày " + date;
}

std::string SilenceRuleText(const store::ConsultationState& c, const TimeZone& tz) {
  std::string when = DeadlineWords(c.deadline, tz);
  if (c.silence_means == SilenceMeans::kConsent) {
    return fmt::format("Đơn vị không gửi ý kiến đến {} được hiểu là đồng ý.", when);
  }
  return fmt::format("Đơn vị không gửi ý kiến đến {} được ghi nhận là không có ý kiến.", when);
}

Result<ReportData> GatherReport(store::Store& store, const Consultation& c, const TimeZone& tz,
                                TimePoint now) {
  Result<std::vector<store::ConsultationState>> cs = store.Consultations(c.id);
  if (!cs) return cs.error();
  if (cs->empty()) return Status::NotFound(fmt::format("no consultation '{}'", c.id));
  return Gather(store, std::move(cs->front()), c.topics, c.report, now, tz, nullptr, true);
}

Result<ReportData> GatherReport(store::Store& store, const Config& config,
                                store::ConsultationState state, TimePoint now, TopicCache* cache,
                                bool with_events) {
  const Consultation* cc = config.FindConsultation(state.id);
  return Gather(store, std::move(state), cc ? cc->topics : std::vector<std::string>{},
                cc ? cc->report : config.report, now, config.tz, cache, with_events);
}

EventStream EventsFromDatabase(std::string path, std::string id, std::int64_t through) {
  return [path = std::move(path), id = std::move(id),
          through](const std::function<void(const store::EventRow&)>& each) {
    return store::EachEvent(path, id, through, [&](store::EventRow& e) {
      e.detail = text::Nfc(e.detail);
      each(e);
    });
  };
}

TopicLists TopicCache::Find(std::int64_t reply_id, std::string_view text,
                            const std::vector<std::string>& topics) {
  std::uint64_t key = std::hash<std::string_view>{}(text);
  for (const std::string& t : topics) {
    key = key * 1000003u ^ std::hash<std::string_view>{}(t);
  }
  auto it = std::lower_bound(entries_.begin(), entries_.end(), reply_id,
                             [](const Entry& e, std::int64_t id) { return e.id < id; });
  if (it == entries_.end() || it->id != reply_id) {
    it = entries_.insert(it, Entry{reply_id, ~key, 0, 0, false});  // ~key: not grouped yet
  }
  if (it->key != key) {
    // New, or its text or the topics changed: the old lists stay in lists_
    // until the next Sweep.
    it->first = static_cast<std::uint32_t>(lists_.size());
    AppendFlat(text::ParagraphTopics(text, topics), lists_);
    it->size = static_cast<std::uint32_t>(lists_.size() - it->first);
    it->key = key;
  }
  it->used = true;
  return TopicLists(std::span<const std::uint32_t>(lists_).subspan(it->first, it->size));
}

void TopicCache::Sweep() {
  std::vector<Entry> kept;
  std::vector<std::uint32_t> lists;
  size_t n = 0, words = 0;
  for (const Entry& e : entries_) {
    if (e.used) {
      ++n;
      words += e.size;
    }
  }
  if (n == entries_.size() && words == lists_.size()) {
    // Nothing to forget (every status write but the one after a change): no
    // copy, which at 200,000 replies was 9 MB more at tacitd's peak.
    for (Entry& e : entries_) e.used = false;
    return;
  }
  kept.reserve(n);
  lists.reserve(words);
  for (const Entry& e : entries_) {
    if (!e.used) continue;
    Entry k = e;
    k.first = static_cast<std::uint32_t>(lists.size());
    k.used = false;
    lists.insert(lists.end(), lists_.begin() + e.first, lists_.begin() + e.first + e.size);
    kept.push_back(k);
  }
  entries_ = std::move(kept);
  lists_ = std::move(lists);
}

Result<std::vector<ReportData>> GatherAllReports(
    store::Store& store, const Config& config,
    std::vector<store::ConsultationState>&& consultations, TimePoint now, TopicCache* cache,
    bool with_events) {
  std::vector<ReportData> out;
  out.reserve(consultations.size());
  for (store::ConsultationState& c : consultations) {
    Result<ReportData> d = GatherReport(store, config, std::move(c), now, cache, with_events);
    if (!d) return d.error();
    out.push_back(std::move(*d));
  }
  return out;
}

Status StreamEvents(store::Store& store, ReportData& data) {
  Result<std::int64_t> through = store.LastEventId(data.consultation.id);
  if (!through) return through.error();
  data.events_from = EventsFromDatabase(store.database().path(), data.consultation.id, *through);
  return Status::Ok();
}

Result<std::string> RenderReport(const ReportData& data, const TimeZone& tz,
                                 const std::string& format) {
  if (format == "md") return RenderMarkdown(data, tz);
  if (format == "html") return RenderHtml(data, tz);
  if (format == "csv") return RenderCsv(data, tz);
  if (format == "json") {
    TextSink whole;
    if (Status s = RenderJsonTo(data, tz, whole); !s.ok()) return s;
    return whole.Take();
  }
  if (format == "docx") return RenderDocx(data, tz, data.header);
  return Status::BadInput(
      fmt::format("report format '{}': expected md, html, csv, json or docx", format));
}

Status WriteReports(const ReportData& data, const TimeZone& tz, const std::string& report_dir,
                    FileSystem& fs) {
  const std::string dir = report_dir + "/" + data.consultation.id;
  if (Status s = fs.MakeDirs(dir); !s.ok()) return s;
  // Two at a time: the JSON report (which reads the audit trail) and the docx
  // on a thread of their own, the other three here; the data is only read.
  // At 100,000 units this took the five from 3.3 s to about 2 (issue 9).
  auto json_and_docx = std::async(std::launch::async, [&]() -> Status {
    // The JSON report fails when its audit trail cannot be read: the file it
    // would replace stays as it was.
    Status json = fs.WriteAtomicStreamed(
        dir + "/report.json", [&](TextSink& out) { return RenderJsonTo(data, tz, out); });
    if (!json.ok()) return json;
    Result<std::string> docx = RenderDocx(data, tz, data.header);
    if (!docx) return docx.error();
    return fs.WriteAtomic(dir + "/report.docx", *docx);
  });
  using Renderer = void (*)(const ReportData&, const TimeZone&, TextSink&);
  const std::pair<const char*, Renderer> streamed[] = {
      {"md", RenderMarkdownTo}, {"html", RenderHtmlTo}, {"csv", RenderCsvTo}};
  Status here = Status::Ok();
  for (const auto& entry : streamed) {
    const Renderer render = entry.second;
    here = fs.WriteAtomicStreamed(dir + "/report." + entry.first, [&](TextSink& out) {
      render(data, tz, out);
      return Status::Ok();
    });
    if (!here.ok()) break;
  }
  Status there = json_and_docx.get();
  return here.ok() ? there : here;
}

std::string StatusHtmlPath(const std::string& status_file) {
  std::string::size_type slash = status_file.rfind('/');
  std::string::size_type dot = status_file.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) ||
      dot == (slash == std::string::npos ? 0 : slash + 1)) {
    return status_file + ".html";
  }
  return status_file.substr(0, dot) + ".html";
}

Status WriteStatusHtml(store::Store& store, const Config& config, FileSystem& fs,
                       const std::string& path, TimePoint now) {
  Result<std::vector<store::ConsultationState>> cs = store.Consultations();
  if (!cs) return cs.error();
  return WriteStatusHtml(store, config, fs, path, now, *cs);
}

Status WriteStatusHtml(store::Store& store, const Config& config, FileSystem& fs,
                       const std::string& path, TimePoint now,
                       const std::vector<store::ConsultationState>& consultations) {
  // status.html shows no audit trail.
  Result<std::vector<ReportData>> all = GatherAllReports(
      store, config, std::vector<store::ConsultationState>(consultations), now, nullptr, false);
  if (!all) return all.error();
  return WriteStatusHtml(*all, config.tz, fs, path, now);
}

Status WriteStatusHtml(const std::vector<ReportData>& reports, const TimeZone& tz, FileSystem& fs,
                       const std::string& path, TimePoint now) {
  return fs.WriteAtomicStreamed(path, [&](TextSink& out) {
    RenderStatusHtmlTo(reports, tz, now, out);
    return Status::Ok();
  });
}

std::string_view ChannelLabel(Channel c) {
  switch (c) {
    case Channel::kDrop: return "thư mục nhận";
    case Channel::kMaildir: return "thư điện tử";
    case Channel::kImap: return "thư điện tử (IMAP)";
    case Channel::kManual: return "văn bản giấy";
  }
  return "?";
}

views::ReplyFields FieldsOf(const Reply& r) {
  views::ReplyFields f;
  f.id = r.id;
  if (r.has_consultation) f.consultation = r.Get(Reply::kConsultation);
  if (r.has_unit) f.unit = r.unit_code();
  f.channel = r.channel;
  f.received_at = r.received_at;
  f.recorded_at = r.recorded_at;
  f.late = r.late;
  f.stance = r.stance;
  f.sender = r.sender();
  f.subject = r.subject();
  f.text = r.text();
  f.match_rule = r.match_rule();
  f.source = r.source_ref();
  f.actor = r.Get(Reply::kActor);
  f.ocr_confidence = r.ocr_confidence;
  f.needs_check = r.needs_check;
  return f;
}

std::string OriginalRef(std::int64_t reply_id, std::string_view source_ref) {
  if (source_ref.empty()) return fmt::format("ý kiến số {}", reply_id);
  return fmt::format("ý kiến số {}, bản gốc: {}", reply_id, source_ref);
}

std::string ProvisionalNote(const ReportData& data, const TimeZone& tz) {
  if (!data.provisional) return "";
  return fmt::format(
      "Báo cáo tạm thời: đợt xin ý kiến chưa kết thúc (hạn {}), số liệu tính đến {}.",
      DeadlineWords(data.consultation.deadline, tz), FormatHuman(data.generated_at, tz));
}

std::string_view SilentListTitle(SilenceMeans s) {
  return s == SilenceMeans::kConsent ? "Danh sách đơn vị được hiểu là đồng ý"
                                     : "Danh sách đơn vị không có ý kiến";
}

UnitStatus SilentStatus(SilenceMeans s) {
  return s == SilenceMeans::kConsent ? UnitStatus::kDeemedConsent : UnitStatus::kNoResponse;
}

std::vector<std::pair<std::string, std::vector<const store::UnitState*>>> UnitsByGroup(
    const ReportData& data) {
  std::vector<std::pair<std::string, std::vector<const store::UnitState*>>> groups;
  // Group name -> its index in `groups` (a linear search per unit is quadratic
  // at 100,000 units in 1,000 groups).
  std::unordered_map<std::string_view, size_t> index;
  for (const store::UnitState& u : data.consultation.units) {
    auto [it, added] = index.try_emplace(u.group, groups.size());
    if (added) groups.push_back({u.group, {}});
    groups[it->second].second.push_back(&u);
  }
  return groups;
}

std::string UnitDeadlineNote(const store::UnitState& u, const TimeZone& tz) {
  std::string note;
  if (u.unit_deadline) note = "gia hạn đến " + DeadlineWords(*u.unit_deadline, tz);
  if (u.late_reply && u.status != UnitStatus::kReplied) {
    note += (note.empty() ? "" : "; ") + std::string("có ý kiến gửi sau hạn");
  }
  return note;
}

std::vector<CountRow> CountRows(const ReportData& data) {
  const ReportCounts& n = data.counts;
  std::vector<CountRow> rows = {
      {"Đơn vị được xin ý kiến", n.addressed, false},
      {"Đã trả lời", n.replied, false},
      {"nhất trí", n.agree, true},
      {"có góp ý", n.comments, true},
      {"không nhất trí", n.object, true},
      {"cần xem", n.unknown, true},
  };
  if (data.consultation.silence_means == SilenceMeans::kConsent || n.deemed_consent > 0) {
    rows.push_back({"Được hiểu là đồng ý (hết hạn không trả lời)", n.deemed_consent, false});
  }
  if (data.consultation.silence_means == SilenceMeans::kNoResponse || n.no_response > 0) {
    rows.push_back({"Không có ý kiến (hết hạn không trả lời)", n.no_response, false});
  }
  rows.push_back({"Chưa trả lời", n.pending, false});
  rows.push_back({"Trả lời sau hạn", n.late, false});
  if (n.excluded > 0) rows.push_back({"Không tính (đưa ra khỏi đợt)", n.excluded, false});
  return rows;
}

std::string UnitNotes(const store::UnitState& u, const TimeZone& tz) {
  std::vector<std::string> notes;
  if (u.status == UnitStatus::kExcluded && !u.excluded_reason.empty()) {
    notes.push_back("lý do: " + u.excluded_reason);
  }
  if (u.unit_deadline) notes.push_back("gia hạn đến " + DeadlineWords(*u.unit_deadline, tz));
  if (u.notice_failed) notes.push_back("gửi thư thất bại");
  if (u.needs_check) notes.push_back(std::string(kNeedsCheck) + " (văn bản quét, OCR chưa rõ)");
  std::string out;
  for (const std::string& n : notes) out += (out.empty() ? "" : "; ") + n;
  return out;
}

}  // namespace tacit::reports
