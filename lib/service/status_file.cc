#include "service/status_file.h"

#include "core/json_writer.h"
#include "views/views.h"

namespace tacit::service {
using json = views::Json;

json StatusJson(const std::vector<store::ConsultationState>& consultations, std::int64_t unmatched,
                TimePoint now, const TimeZone& tz,
                const std::map<std::string, std::string>& waiting) {
  json list = json::array();
  for (const store::ConsultationState& c : consultations) {
    json units = json::array();
    for (const store::UnitState& u : c.units) units.push_back(views::UnitJson(u, tz));
    json cj = {
        {"id", c.id},
        {"reference", c.reference},
        {"subject", c.subject},
        {"deadline", FormatIso(c.deadline, tz)},
        {"state", c.closed ? "closed" : "open"},
        {"counts", views::CountsJson(views::CountUnits(c))},
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
  return WriteStatusFile(fs, path, *cs, *unmatched, now, tz, waiting);
}

std::string StatusFileText(const std::vector<store::ConsultationState>& consultations,
                           std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                           const std::map<std::string, std::string>& waiting) {
  // StatusJson(...).dump(2) + "\n", byte for byte (status_file_test), written
  // directly: at 100,000 units the nlohmann tree cost a second per write.
  std::string out;
  size_t units = 0;
  for (const store::ConsultationState& c : consultations) units += c.units.size();
  out.reserve(1024 + 400 * units);
  JsonWriter w(out);
  auto time_or_null = [&](const std::optional<TimePoint>& t) {
    if (t) {
      w.String(FormatIso(*t, tz));
    } else {
      w.Null();
    }
  };
  w.BeginObject();
  w.Field("generated_at", FormatIso(now, tz));
  w.Field("unmatched", unmatched);
  w.Key("consultations");
  w.BeginArray();
  for (const store::ConsultationState& c : consultations) {
    w.BeginObject();
    w.Field("id", c.id);
    w.Field("reference", c.reference);
    w.Field("subject", c.subject);
    w.Field("deadline", FormatIso(c.deadline, tz));
    w.Field("state", c.closed ? "closed" : "open");
    const views::Counts n = views::CountUnits(c);
    w.Key("counts");
    w.BeginObject();
    for (auto [key, value] : {std::pair<const char*, int>{"addressed", n.addressed},
                              {"pending", n.pending},
                              {"replied", n.replied},
                              {"agree", n.agree},
                              {"comments", n.comments},
                              {"object", n.object},
                              {"unknown", n.unknown},
                              {"deemed_consent", n.deemed_consent},
                              {"no_response", n.no_response},
                              {"late", n.late},
                              {"excluded", n.excluded}}) {
      w.Field(key, value);
    }
    w.EndObject();
    w.Key("units");
    w.BeginArray();
    for (const store::UnitState& u : c.units) {
      w.BeginObject();
      w.Field("code", u.code);
      w.Field("name", u.name);
      w.Field("group", u.group);
      w.Field("status", ToString(u.status));
      w.Key("stance");
      if (u.stance) {
        w.String(ToString(*u.stance));
      } else {
        w.Null();
      }
      w.Key("channel");
      if (u.channel) {
        w.String(ToString(*u.channel));
      } else {
        w.Null();
      }
      w.Key("replied_at");
      time_or_null(u.replied_at);
      w.Field("late_reply", u.late_reply);
      w.Field("replies", u.replies);
      w.Field("reminders_sent", u.reminders_sent);
      w.Field("notice_failed", u.notice_failed);
      w.Key("failed_addresses");
      w.BeginArray();
      for (const std::string& a : u.failed_addresses) w.String(a);
      w.EndArray();
      if (u.unit_deadline) w.Field("deadline", FormatIso(*u.unit_deadline, tz));
      if (u.status == UnitStatus::kExcluded) w.Field("excluded_reason", u.excluded_reason);
      if (u.needs_check) w.Field("needs_check", true);
      w.EndObject();
    }
    w.EndArray();
    if (c.closed_at) w.Field("deadline_applied_at", FormatIso(*c.closed_at, tz));
    w.Key("deadline_waiting");
    auto wt = waiting.find(c.id);
    if (wt == waiting.end()) {
      w.Null();
    } else {
      w.String(wt->second);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

Status WriteStatusFile(FileSystem& fs, const std::string& path,
                       const std::vector<store::ConsultationState>& consultations,
                       std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                       const std::map<std::string, std::string>& waiting) {
  return fs.WriteAtomic(path, StatusFileText(consultations, unmatched, now, tz, waiting));
}

}  // namespace tacit::service
