// The report as JSON: the status file's consultation object (SPEC §5) plus the
// letter's other header fields, the replies, the audit trail, the comments
// grouped by topic, the deemed units, the timeline and the unmatched replies.
#include <nlohmann/json.hpp>

#include "reports/report.h"
#include "reports/report_internal.h"

namespace tacit::reports {
namespace {

using json = nlohmann::ordered_json;

json Opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

json UnitJson(const store::UnitState& u, const TimeZone& tz) {
  json j = {
      {"code", u.code},
      {"name", u.name},
      {"group", u.group},
      {"status", ToString(u.status)},
      {"stance", u.stance ? json(ToString(*u.stance)) : json(nullptr)},
      {"channel", u.channel ? json(ToString(*u.channel)) : json(nullptr)},
      {"replied_at", u.replied_at ? json(FormatIso(*u.replied_at, tz)) : json(nullptr)},
      {"late_reply", u.late_reply},
      {"replies", u.replies},
      {"reminders_sent", u.reminders_sent},
      {"notice_failed", u.notice_failed},
  };
  if (u.unit_deadline) j["deadline"] = FormatIso(*u.unit_deadline, tz);
  if (u.status == UnitStatus::kExcluded) j["excluded_reason"] = u.excluded_reason;
  return j;
}

json ReplyJson(const store::ReplyRow& r, const TimeZone& tz) {
  return {{"id", r.id},
          {"consultation", Opt(r.consultation_id)},
          {"unit", Opt(r.unit_code)},
          {"channel", ToString(r.channel)},
          {"received_at", FormatIso(r.received_at, tz)},
          {"recorded_at", FormatIso(r.recorded_at, tz)},
          {"late", r.late},
          {"stance", ToString(r.stance)},
          {"sender", r.sender},
          {"subject", r.subject},
          {"text", r.text},
          {"match_rule", r.match_rule},
          {"source", r.source_ref},
          {"actor", r.actor}};
}

json EventJson(const store::EventRow& e, const TimeZone& tz) {
  return {{"id", e.id},
          {"at", FormatIso(e.at, tz)},
          {"effective_at", FormatIso(e.effective_at, tz)},
          {"unit", e.unit_code.empty() ? json(nullptr) : json(e.unit_code)},
          {"reply", e.reply_id ? json(*e.reply_id) : json(nullptr)},
          {"kind", e.kind},
          {"detail", e.detail},
          {"actor", e.actor}};
}

}  // namespace

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
      {"counts",
       {{"addressed", n.addressed},
        {"pending", n.pending},
        {"replied", n.replied},
        {"agree", n.agree},
        {"comments", n.comments},
        {"object", n.object},
        {"unknown", n.unknown},
        {"deemed_consent", n.deemed_consent},
        {"no_response", n.no_response},
        {"late", n.late},
        {"excluded", n.excluded}}},
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
