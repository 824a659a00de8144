#include "service/status_file.h"

namespace tacit::service {
namespace {

using json = nlohmann::ordered_json;

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

}  // namespace

Counts CountUnits(const store::ConsultationState& c) {
  Counts n;
  for (const store::UnitState& u : c.units) {
    if (u.late_reply) ++n.late;
    switch (u.status) {
      case UnitStatus::kExcluded: ++n.excluded; continue;
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
  return n;
}

json StatusJson(const std::vector<store::ConsultationState>& consultations, std::int64_t unmatched,
                TimePoint now, const TimeZone& tz,
                const std::map<std::string, std::string>& waiting) {
  json list = json::array();
  for (const store::ConsultationState& c : consultations) {
    Counts n = CountUnits(c);
    json units = json::array();
    for (const store::UnitState& u : c.units) units.push_back(UnitJson(u, tz));
    json cj = {
        {"id", c.id},
        {"reference", c.reference},
        {"subject", c.subject},
        {"deadline", FormatIso(c.deadline, tz)},
        {"state", c.closed ? "closed" : "open"},
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
    if (c.closed_at) cj["deadline_applied_at"] = FormatIso(*c.closed_at, tz);
    auto w = waiting.find(c.id);
    cj["deadline_waiting"] = w == waiting.end() ? json(nullptr) : json(w->second);
    list.push_back(std::move(cj));
  }
  return {{"generated_at", FormatIso(now, tz)},
          {"unmatched", unmatched},
          {"consultations", std::move(list)}};
}

Status WriteStatusFile(store::Store& store, FileSystem& fs, const std::string& path, TimePoint now,
                       const TimeZone& tz, const std::map<std::string, std::string>& waiting) {
  Result<std::vector<store::ConsultationState>> cs = store.Consultations();
  if (!cs) return cs.error();
  Result<std::int64_t> unmatched = store.UnmatchedCount();
  if (!unmatched) return unmatched.error();
  json j = StatusJson(*cs, *unmatched, now, tz, waiting);
  return fs.WriteAtomic(path, j.dump(2) + "\n");
}

}  // namespace tacit::service
