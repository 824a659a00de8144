// The synthesis report (báo cáo tổng hợp ý kiến) of one consultation, SPEC §5
// and issue 7: gathered once from the Store and the consultation's config into
// a ReportData, then rendered as Markdown (email bodies, terminals), HTML (one
// self-contained printable A4 file: inline CSS and SVG, no scripts), CSV (one
// row per unit, UTF-8 with BOM, safe against formula injection) and JSON (the
// status file's consultation object plus replies, events and the grouping).
//
// Renderers are pure functions of the data and the time zone: the same data
// gives the same bytes. Every text that comes from a reply or the config is
// normalised to NFC (invalid UTF-8 becomes U+FFFD) when gathered and escaped
// for the output format when rendered. Labels are Vietnamese.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/file_system.h"
#include "core/status.h"
#include "core/text_sink.h"
#include "domain/dates.h"
#include "store/store.h"
#include "views/views.h"

namespace tacit::reports {

// Same meaning as the status file's "counts" (SPEC §5).
using ReportCounts = views::Counts;

// Paragraphs of one reply under one heading; several are joined by a blank
// line. The reply's other fields (id, unit, time, late, original) are read
// from ReportData::replies through ReportData::ReplyOf and UnitNameOf: a copy
// of each per quote was a sixth of tacitd's peak memory at 200,000 replies.
// The text itself is read through ReportData::TextOf: one paragraph is where
// it stands in the reply's text (offset, length), and only several are joined
// into a string of their own (ReportData::joined); copies of every quoted
// paragraph were 40 MB of the daemon's peak at 200,000 replies.
struct QuotedParagraph {
  std::uint32_t reply = 0;  // index in ReportData::replies
  // In the reply's text; or, when length is kJoined, offset is the index in
  // ReportData::joined.
  std::uint32_t offset = 0, length = 0;
  static constexpr std::uint32_t kJoined = 0xFFFFFFFF;
};

struct TopicSection {
  std::string topic;  // as configured; kOtherTopic for the rest
  std::vector<QuotedParagraph> paragraphs;
};

// Replies received on one local day.
struct DayCount {
  std::string date;  // "dd/mm/yyyy"
  int replies = 0;
  int late = 0;
};

// The blocks of the docx report around the body (issue 11): tacit.toml's and
// the consultation's [report] with the defaults filled in.
struct ReportHeader {
  // Top left, 1–3 lines; the last is the issuing body itself (bold), the
  // others the bodies above it. Default: the consultation's issuer in capitals.
  std::vector<std::string> issuing_body;
  // After "Số:      /". Default: "BC-" and the symbol of the consultation's
  // reference ("15/VH-XH" -> "BC-VH-XH"), or "BC".
  std::string number_suffix;
  std::string place;  // before ", ngày"; default: dots for the clerk to fill
  // Default: "TRƯỞNG PHÒNG" when the issuer is a "Phòng …", else "THỦ TRƯỞNG ĐƠN VỊ".
  std::string signer_title;
  std::string signer_name;              // default: the consultation's signer
  std::vector<std::string> recipients;  // "Nơi nhận:"; default: "Lưu: VT."
};

// Hands each event of an audit trail to a function, oldest first; fails as a
// whole when it cannot read them all.
using EventStream = std::function<Status(const std::function<void(const store::EventRow&)>& each)>;

// The audit trail of consultation `id` up to event `through`, read when the
// stream is run by a read-only connection of its own to the database at
// `path` (store::EachEvent), each detail in NFC as GatherReport gives them.
EventStream EventsFromDatabase(std::string path, std::string id, std::int64_t through);

// Texts kept side by side in chunks that never move: a view of an added text
// stays valid as long as the arena, moved or not. One allocation per chunk
// instead of one per text (issue 9: five texts of 200,000 replies). Not
// copyable: views into it would point at the original.
class TextArena {
 public:
  TextArena() = default;
  TextArena(TextArena&& o) noexcept
      : chunks_(std::move(o.chunks_)),
        at_(std::exchange(o.at_, nullptr)),
        left_(std::exchange(o.left_, 0)),
        bytes_(std::exchange(o.bytes_, 0)) {}
  TextArena& operator=(TextArena&& o) noexcept {
    chunks_ = std::move(o.chunks_);
    at_ = std::exchange(o.at_, nullptr);
    left_ = std::exchange(o.left_, 0);
    bytes_ = std::exchange(o.bytes_, 0);
    return *this;
  }
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;

  // A copy of `s`, as long as the arena lives.
  std::string_view Add(std::string_view s);
  // A copy of `s` after its length (4 bytes), for Counted; null when empty.
  const char* AddCounted(std::string_view s);
  // The text AddCounted returned `p` for.
  static std::string_view Counted(const char* p) {
    if (p == nullptr) return {};
    std::uint32_t n = 0;
    std::memcpy(&n, p, sizeof n);
    return {p + sizeof n, n};
  }
  // Bytes allocated for the texts.
  size_t bytes() const { return bytes_; }

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* at_ = nullptr;  // free space of the newest chunk
  size_t left_ = 0;
  size_t bytes_ = 0;
};

// A reply as the reports show it: store::ReplyRow's fields, its texts in NFC
// (but the match rule and the consultation, which are codes) held by the
// ReportData's TextArena (`texts`) and read through the accessors. Its own
// texts are side by side; the ones many replies share (subject, consultation,
// match rule, actor) are kept once, each with its length before it. 112 bytes
// and no allocation of its own, against ReplyRow's 328 and one per text: at
// 200,000 replies 22 MB of rows instead of 65 MB (issue 9, tacitd's peak
// memory).
struct Reply {
  enum Text { kUnit, kSender, kText, kSource, kTexts };
  enum Shared { kConsultation, kSubject, kMatchRule, kActor, kShared };
  std::int64_t id = 0;
  TimePoint received_at, recorded_at;
  std::optional<double> ocr_confidence;
  const char* texts = nullptr;  // the own texts, in Text order, one after the other
  std::array<std::uint32_t, kTexts> lengths{};
  // Each a 4-byte length then the text (TextArena::AddCounted); null: empty.
  std::array<const char*, kShared> shared{};
  Channel channel = Channel::kManual;
  Stance stance = Stance::kUnknown;
  bool late = false;
  bool needs_check = false;
  bool has_consultation = false, has_unit = false;
  // Index in ReportData::consultation.units of the reply's unit; kNoUnit when
  // the unit is not among them.
  std::uint32_t unit = kNoUnit;
  static constexpr std::uint32_t kNoUnit = 0xFFFFFFFF;

  std::string_view Get(Text t) const {
    if (texts == nullptr) return {};  // all of them empty
    size_t at = 0;
    for (int i = 0; i < t; ++i) at += lengths[i];
    return {texts + at, lengths[t]};
  }
  std::string_view Get(Shared s) const { return TextArena::Counted(shared[s]); }
  // The unit's code; empty when attributed to none (has_unit false).
  std::string_view unit_code() const { return Get(kUnit); }
  std::string_view sender() const { return Get(kSender); }
  std::string_view subject() const { return Get(kSubject); }
  std::string_view text() const { return Get(kText); }
  std::string_view match_rule() const { return Get(kMatchRule); }
  std::string_view source_ref() const { return Get(kSource); }
};
static_assert(sizeof(Reply) <= 112, "Reply has grown: see its comment");

// Heading of the paragraphs that mention no configured topic.
inline constexpr const char* kOtherTopic = "Ý kiến khác";

struct ReportData {
  store::ConsultationState consultation;  // units in units.csv order
  std::vector<std::string> topics;        // as configured
  TextArena texts;                        // the texts of `replies` and `unmatched`
  std::vector<Reply> replies;             // this consultation's, oldest first
  std::vector<store::EventRow> events;    // the audit trail
  // When set, the JSON report reads the audit trail from here instead of
  // `events` (EventsFromDatabase): the daemon's page thread streams it rather
  // than hold it (about 100 MB at 200,000 replies, issue 9).
  EventStream events_from;
  std::vector<Reply> unmatched;  // every reply no rule attributed yet
  // Addresses a notice could not reach (SMTP 5xx or a bounce), oldest first.
  std::vector<store::FailedAddress> failed_addresses;
  ReportCounts counts;
  // One per configured topic, in config order, then kOtherTopic; sections may
  // be empty. A paragraph that mentions several topics is quoted under each.
  // The rest of a reply goes under kOtherTopic unless the reply simply agrees
  // (its stance is agree): "Nhất trí." from forty units is not a comment.
  std::vector<TopicSection> sections;
  // The quotes of several paragraphs of a reply, "\n\n" between them.
  std::vector<std::string> joined;
  // Every local day from the first reply to the last (at most 92 days; beyond
  // that only days with replies). Empty without replies.
  std::vector<DayCount> timeline;
  TimePoint generated_at;
  bool provisional = false;  // still open: the report is "tạm thời"
  // The silence rule in words, e.g. "Đơn vị không gửi ý kiến đến hết ngày
  // 09/02/2026 được hiểu là đồng ý."
  std::string silence_rule;
  ReportHeader header;  // for the docx report

  const Reply& ReplyOf(const QuotedParagraph& p) const { return replies[p.reply]; }
  // The quoted text: NFC, trimmed.
  std::string_view TextOf(const QuotedParagraph& p) const {
    if (p.length == QuotedParagraph::kJoined) return joined[p.offset];
    return replies[p.reply].text().substr(p.offset, p.length);
  }
  // The quoted reply's unit as units.csv names it; its code when the
  // consultation does not address it.
  std::string_view UnitNameOf(const QuotedParagraph& p) const {
    if (const std::uint32_t u = replies[p.reply].unit; u != Reply::kNoUnit) {
      return consultation.units[u].name;
    }
    return replies[p.reply].unit_code();
  }
};

// Reads the consultation `c.id`, its replies and events and the unmatched
// replies at `now`; `tz` (the config's) decides the days of the timeline.
// kNotFound when the store does not know the consultation.
Result<ReportData> GatherReport(store::Store& store, const Consultation& c, const TimeZone& tz,
                                TimePoint now);

// The paragraphs of one reply under each topic, flat: for each topic in turn
// the number of its paragraphs, then their indices (in text::SplitParagraphs
// order). A view: valid until the TopicCache it came from is used again.
class TopicLists {
 public:
  TopicLists() = default;
  explicit TopicLists(std::span<const std::uint32_t> flat) : flat_(flat) {}
  // The paragraphs under topic `i`.
  std::span<const std::uint32_t> operator[](size_t i) const {
    size_t at = 0;
    for (; i > 0; --i) at += 1 + flat_[at];
    return flat_.subspan(at + 1, flat_[at]);
  }

 private:
  std::span<const std::uint32_t> flat_;
};

// Which paragraphs of each reply fall under which topic heading
// (text::ParagraphTopics), remembered between gatherings. Grouping folds every
// paragraph of every reply, and the daemon gathers every reply again for each
// status.html write; a reply's text never changes, so each is folded once.
// An entry is keyed by the reply id and checked against a hash of the text
// and topics, so a changed config or text is grouped again. Kept flat (one
// sorted array of entries, one of their lists): a map node and a vector per
// topic per reply were 25 MB at 200,000 replies, held all the time (issue 9).
// Not thread-safe.
class TopicCache {
 public:
  // ParagraphTopics(text, topics) for reply `reply_id`, from the cache or
  // computed and kept.
  TopicLists Find(std::int64_t reply_id, std::string_view text,
                  const std::vector<std::string>& topics);
  // Forgets the replies not looked up since the last Sweep (gone from the
  // store or its consultation from the config), so the cache holds no more
  // than one status write needs.
  void Sweep();
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::int64_t id = 0;
    std::uint64_t key = 0;              // hash of the text and the topics
    std::uint32_t first = 0, size = 0;  // in lists_
    bool used = false;
  };
  std::vector<Entry> entries_;  // by id; replies come mostly in id order
  std::vector<std::uint32_t> lists_;
};

// The same from a consultation's state already read from `store` (topics and
// [report] from `config`; none for a consultation no longer in it). With
// `cache`, the topic grouping of replies already seen is taken from it.
// Without `with_events`, ReportData::events stays empty: only the JSON report
// shows the audit trail, and at 200,000 replies it is about 100 MB in memory.
Result<ReportData> GatherReport(store::Store& store, const Config& config,
                                store::ConsultationState state, TimePoint now,
                                TopicCache* cache = nullptr, bool with_events = true);

// `config` (a consultation's merged [report]) completed with the defaults
// above from `c`; every text in NFC.
ReportHeader ResolveReportHeader(const ReportHeaderConfig& config,
                                 const store::ConsultationState& c);

// The report data of consultations already read from `store` (topics from
// `config`, none for a consultation no longer in it), in their order; the
// states are moved into the reports, not copied (the units of a consultation
// of 100,000 are some 30 MB). `with_events` as in GatherReport.
Result<std::vector<ReportData>> GatherAllReports(
    store::Store& store, const Config& config,
    std::vector<store::ConsultationState>&& consultations, TimePoint now,
    TopicCache* cache = nullptr, bool with_events = true);

// Makes `data`'s JSON report read the audit trail from `store`'s database as
// it is written (ReportData::events_from, EventsFromDatabase), up to the
// newest event of the consultation now: data gathered without events, for
// the daemon's page thread.
Status StreamEvents(store::Store& store, ReportData& data);

// The silence rule of `c` in words (see ReportData::silence_rule).
std::string SilenceRuleText(const store::ConsultationState& c, const TimeZone& tz);

std::string RenderMarkdown(const ReportData& data, const TimeZone& tz);
// A complete HTML document.
std::string RenderHtml(const ReportData& data, const TimeZone& tz);
std::string RenderCsv(const ReportData& data, const TimeZone& tz);
// Pretty-printed (2 spaces), ending in a newline.
std::string RenderJson(const ReportData& data, const TimeZone& tz);
// The same four, appended to `out` as they are made (WriteReports streams
// them to their files): the same bytes.
void RenderMarkdownTo(const ReportData& data, const TimeZone& tz, TextSink& out);
void RenderHtmlTo(const ReportData& data, const TimeZone& tz, TextSink& out);
void RenderCsvTo(const ReportData& data, const TimeZone& tz, TextSink& out);
// The JSON one fails only when data.events_from does (RenderJson then
// returns an empty string).
Status RenderJsonTo(const ReportData& data, const TimeZone& tz, TextSink& out);

// A Word document (.docx, OOXML) in the layout of Decree 30/2020/NĐ-CP: A4,
// Times New Roman, the issuing body and the national title and motto at the
// top, "BÁO CÁO", the body, "Nơi nhận:" and the signature block. Page numbers
// from page 2. Same data, same bytes. Fails only when libzip does.
Result<std::string> RenderDocx(const ReportData& data, const TimeZone& tz,
                               const ReportHeader& header);

// status.html: the HTML report of every consultation in one page that reloads
// itself every 30 seconds (a meta tag, no script).
std::string RenderStatusHtml(const std::vector<ReportData>& reports, const TimeZone& tz,
                             TimePoint now);
void RenderStatusHtmlTo(const std::vector<ReportData>& reports, const TimeZone& tz, TimePoint now,
                        TextSink& out);

// "md", "html", "csv", "json" or "docx" (with data.header) -> the rendered
// report; kBadInput otherwise.
Result<std::string> RenderReport(const ReportData& data, const TimeZone& tz,
                                 const std::string& format);

// Writes report_dir/ID/report.{md,html,csv,json,docx}, each
// atomically, creating the folders; all but the docx streamed to their files
// (FileSystem::WriteAtomicStreamed), one format at a time.
Status WriteReports(const ReportData& data, const TimeZone& tz, const std::string& report_dir,
                    FileSystem& fs);

// status.html beside the status file: "/var/lib/tacit/status.json" ->
// "/var/lib/tacit/status.html".
std::string StatusHtmlPath(const std::string& status_file);

// Gathers every consultation and replaces `path` atomically.
Status WriteStatusHtml(store::Store& store, const Config& config, FileSystem& fs,
                       const std::string& path, TimePoint now);
// The same for consultations already read from `store` (the daemon reads the
// store once per status write and hands the result to each output).
Status WriteStatusHtml(store::Store& store, const Config& config, FileSystem& fs,
                       const std::string& path, TimePoint now,
                       const std::vector<store::ConsultationState>& consultations);
// The same from reports already gathered, streamed to `path` (the daemon's
// page thread, which has the data but not the store or the config).
Status WriteStatusHtml(const std::vector<ReportData>& reports, const TimeZone& tz, FileSystem& fs,
                       const std::string& path, TimePoint now);

// Helpers shared by the renderers, exposed for tests.
// & < > " ' -> entities.
std::string EscapeHtml(std::string_view text);
// One CSV cell (RFC 4180): quoted when it holds , ; " CR or LF or starts or
// ends with a space; a cell starting with = + - @ tab or CR gets a leading
// apostrophe first so spreadsheets show it as text.
std::string CsvCell(std::string_view text);

}  // namespace tacit::reports
