#include "service/status_file.h"

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

Status WriteStatusFile(FileSystem& fs, const std::string& path,
                       const std::vector<store::ConsultationState>& consultations,
                       std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                       const std::map<std::string, std::string>& waiting) {
  json j = StatusJson(consultations, unmatched, now, tz, waiting);
  return fs.WriteAtomic(path, j.dump(2) + "\n");
}

}  // namespace tacit::service
