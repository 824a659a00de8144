#include "views/views.h"

namespace tacit::views {
namespace {

Json Opt(const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

void AddToCounts(Counts& n, const store::UnitState& u) {
  if (u.late_reply) ++n.late;
  switch (u.status) {
    case UnitStatus::kExcluded: ++n.excluded; return;
    case UnitStatus::kPending: ++n.pending; break;
    case UnitStatus::kDeemedConsent: ++n.deemed_consent; break;
    case UnitStatus::kNoResponse: ++n.no_response; break;
    case UnitStatus::kReplied:
      ++n.replied;
      switch (u.stance.value_or(Stance::kUnknown)) {
        case Stance::kAgree: ++n.agree; break;
        case Stance::kComments: ++n.comments; break;
        case Stance::kObject: ++n.object; break;
        case Stance::kUnknown: ++n.unknown; break;
      }
      break;
  }
  ++n.addressed;
}

Counts CountUnits(const store::ConsultationState& c) {
  Counts n;
  for (const store::UnitState& u : c.units) AddToCounts(n, u);
  return n;
}

Json CountsJson(const Counts& n) {
  return {{"addressed", n.addressed},     {"pending", n.pending},
          {"replied", n.replied},         {"agree", n.agree},
          {"comments", n.comments},       {"object", n.object},
          {"unknown", n.unknown},         {"deemed_consent", n.deemed_consent},
          {"no_response", n.no_response}, {"late", n.late},
          {"excluded", n.excluded}};
}

Json UnitJson(const store::UnitState& u, const TimeZone& tz) {
  Json j = {
      {"code", u.code},
      {"name", u.name},
      {"group", u.group},
      {"status", ToString(u.status)},
      {"stance", u.stance ? Json(ToString(*u.stance)) : Json(nullptr)},
      {"channel", u.channel ? Json(ToString(*u.channel)) : Json(nullptr)},
      {"replied_at", u.replied_at ? Json(FormatIso(*u.replied_at, tz)) : Json(nullptr)},
      {"late_reply", u.late_reply},
      {"replies", u.replies},
      {"reminders_sent", u.reminders_sent},
      {"notice_failed", u.notice_failed},
      {"failed_addresses", u.failed_addresses},
  };
  if (u.unit_deadline) j["deadline"] = FormatIso(*u.unit_deadline, tz);
  if (u.status == UnitStatus::kExcluded) j["excluded_reason"] = u.excluded_reason;
  // A scan OCR read too poorly: "cần kiểm tra", a person must confirm it.
  if (u.needs_check) j["needs_check"] = true;
  return j;
}

Json ReplyJson(const store::ReplyRow& r, const TimeZone& tz) {
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
          {"actor", r.actor},
          {"ocr_confidence", r.ocr_confidence ? Json(*r.ocr_confidence) : Json(nullptr)},
          {"needs_check", r.needs_check}};
}

Json EventJson(const store::EventRow& e, const TimeZone& tz) {
  return {{"id", e.id},
          {"at", FormatIso(e.at, tz)},
          {"effective_at", FormatIso(e.effective_at, tz)},
          {"unit", e.unit_code.empty() ? Json(nullptr) : Json(e.unit_code)},
          {"reply", e.reply_id ? Json(*e.reply_id) : Json(nullptr)},
          {"kind", e.kind},
          {"detail", e.detail},
          {"actor", e.actor}};
}

}  // namespace tacit::views
