// The report as JSON: the status file's consultation object (SPEC §5) plus the
// letter's other header fields, the replies, the audit trail, the comments
// grouped by topic, the deemed units, the timeline and the unmatched replies.
#include <nlohmann/json.hpp>

#include "reports/report.h"
#include "reports/report_internal.h"

namespace tacit::reports {
using json = views::Json;
using views::EventJson;
using views::ReplyJson;
using views::UnitJson;

namespace {

// The report's long arrays (units, replies, events, unmatched, comments) are
// not built as one JSON tree: nlohmann's nodes cost several times the text
// they hold, and the tree of a 10,000-unit, 20,000-reply report was about
// 190 MB, most of tacitd's peak RSS (issue 9). The document is dumped with a
// placeholder string in each array's place, and each array is then written
// there element by element, each element's small tree dumped and freed. The
// bytes are those one dump of the whole tree gives (tests/unit/reports).
constexpr std::string_view kHole = "\\u0001tacit-array:";  // as dump() escapes it

std::string Placeholder(std::string_view name) {
  return std::string("\x01tacit-array:") + std::string(name);
}

// Appends `items` as the pretty array dump(2) writes one level inside the
// top-level object.
template <typename Items, typename ToJson>
void AppendArray(std::string* out, const Items& items, ToJson to_json) {
  if (std::begin(items) == std::end(items)) {
    *out += "[]";
    return;
  }
  *out += "[";
  bool first = true;
  for (const auto& item : items) {
    *out += first ? "\n    " : ",\n    ";
    first = false;
    const std::string one = to_json(item).dump(2, ' ', false, json::error_handler_t::replace);
    // One level deeper: four more spaces after each line break. A line break
    // inside a string is escaped, so each one here is the layout's.
    for (char ch : one) {
      *out += ch;
      if (ch == '\n') *out += "    ";
    }
  }
  *out += "\n  ]";
}

}  // namespace

std::string RenderJson(const ReportData& data, const TimeZone& tz) {
  const store::ConsultationState& c = data.consultation;
  const ReportCounts& n = data.counts;
  json j = {
      {"generated_at", FormatIso(data.generated_at, tz)},
      {"provisional", data.provisional},
      {"id", c.id},
      {"reference", c.reference},
      {"subject", c.subject},
      {"issuer", c.issuer},
      {"signer", c.signer},
      {"deadline", FormatIso(c.deadline, tz)},
      {"state", c.closed ? "closed" : "open"},
      {"silence_means", ToString(c.silence_means)},
      {"silence_rule", data.silence_rule},
      {"topics", data.topics},
      {"counts", views::CountsJson(n)},
      {"units", Placeholder("units")},
  };
  if (c.closed_at) j["deadline_applied_at"] = FormatIso(*c.closed_at, tz);
  j["comments_by_topic"] = Placeholder("comments_by_topic");

  json silent = json::array();
  for (const store::UnitState& u : c.units) {
    if (u.status == SilentStatus(c.silence_means)) silent.push_back(u.code);
  }
  j["silent_units"] = std::move(silent);
  json timeline = json::array();
  for (const DayCount& d : data.timeline) {
    timeline.push_back({{"date", d.date}, {"replies", d.replies}, {"late", d.late}});
  }
  j["timeline"] = std::move(timeline);
  j["replies"] = Placeholder("replies");
  j["events"] = Placeholder("events");
  j["unmatched"] = Placeholder("unmatched");
  // Text is NFC (so valid UTF-8) when gathered; `replace` keeps dump() from
  // throwing should anything else slip through.
  const std::string skeleton = j.dump(2, ' ', false, json::error_handler_t::replace);

  auto section_json = [&](const TopicSection& s) {
    json paragraphs = json::array();
    for (const QuotedParagraph& p : s.paragraphs) {
      paragraphs.push_back({{"reply", p.reply_id},
                            {"unit", p.unit_code},
                            {"unit_name", p.unit_name},
                            {"received_at", FormatIso(p.received_at, tz)},
                            {"late", p.late},
                            {"source", p.source_ref},
                            {"text", p.text}});
    }
    return json{{"topic", s.topic},
                {"other", s.topic == kOtherTopic && &s == &data.sections.back()},
                {"paragraphs", std::move(paragraphs)}};
  };
  auto unit_json = [&](const store::UnitState& u) { return UnitJson(u, tz); };
  auto reply_json = [&](const store::ReplyRow& r) { return ReplyJson(r, tz); };
  auto event_json = [&](const store::EventRow& e) { return EventJson(e, tz); };

  std::string out;
  out.reserve(skeleton.size() + 1024 * (c.units.size() + data.replies.size() + data.events.size() +
                                        data.unmatched.size()));
  std::size_t pos = 0;
  for (;;) {
    const std::size_t hole = skeleton.find(kHole, pos);
    if (hole == std::string::npos) break;
    // The placeholder is a whole JSON string: "<kHole>NAME".
    const std::size_t open = hole - 1;
    const std::size_t close = skeleton.find('"', hole);
    const std::string_view name =
        std::string_view(skeleton).substr(hole + kHole.size(), close - hole - kHole.size());
    out.append(skeleton, pos, open - pos);
    if (name == "units") {
      AppendArray(&out, c.units, unit_json);
    } else if (name == "comments_by_topic") {
      AppendArray(&out, data.sections, section_json);
    } else if (name == "replies") {
      AppendArray(&out, data.replies, reply_json);
    } else if (name == "events") {
      AppendArray(&out, data.events, event_json);
    } else {
      AppendArray(&out, data.unmatched, reply_json);
    }
    pos = close + 1;
  }
  out.append(skeleton, pos, std::string::npos);
  out += "\n";
  return out;
}

}  // namespace tacit::reports
