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

std::string RenderJson(const ReportData& data, const TimeZone& tz) {
  const store::ConsultationState& c = data.consultation;
  const ReportCounts& n = data.counts;
  json units = json::array();
  for (const store::UnitState& u : c.units) units.push_back(UnitJson(u, tz));
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
      {"units", std::move(units)},
  };
  if (c.closed_at) j["deadline_applied_at"] = FormatIso(*c.closed_at, tz);

  json sections = json::array();
  for (const TopicSection& s : data.sections) {
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
    sections.push_back({{"topic", s.topic},
                        {"other", s.topic == kOtherTopic && &s == &data.sections.back()},
                        {"paragraphs", std::move(paragraphs)}});
  }
  j["comments_by_topic"] = std::move(sections);

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
  json replies = json::array();
  for (const store::ReplyRow& r : data.replies) replies.push_back(ReplyJson(r, tz));
  j["replies"] = std::move(replies);
  json events = json::array();
  for (const store::EventRow& e : data.events) events.push_back(EventJson(e, tz));
  j["events"] = std::move(events);
  json unmatched = json::array();
  for (const store::ReplyRow& r : data.unmatched) unmatched.push_back(ReplyJson(r, tz));
  j["unmatched"] = std::move(unmatched);
  // Text is NFC (so valid UTF-8) when gathered; `replace` keeps dump() from
  // throwing should anything else slip through.
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace tacit::reports
