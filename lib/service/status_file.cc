#include "service/status_file.h"

#include "core/json_writer.h"
#include "core/text_sink.h"
#include "views/views.h"

namespace tacit::service {
using json = views::Json;

json StatusJson(const std::vector<store::ConsultationState>& consultations, std::int64_t unmatched,
                TimePoint now, const TimeZone& tz,
                const std::map<std::string, std::string>& waiting) {
  return json::parse(StatusFileText(consultations, unmatched, now, tz, waiting));
}

Status WriteStatusFile(store::Store& store, FileSystem& fs, const std::string& path, TimePoint now,
                       const TimeZone& tz, const std::map<std::string, std::string>& waiting) {
  Result<std::vector<store::ConsultationState>> cs = store.Consultations();
  if (!cs) return cs.error();
  Result<std::int64_t> unmatched = store.UnmatchedCount();
  if (!unmatched) return unmatched.error();
  return WriteStatusFile(fs, path, *cs, *unmatched, now, tz, waiting);
}

namespace {

// The status file's text onto `sink`, which may empty its buffer into the file
// after each unit (TextSink::Boundary).
void StatusFileTo(const std::vector<store::ConsultationState>& consultations,
                  std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                  const std::map<std::string, std::string>& waiting, TextSink& sink) {
  // StatusJson(...).dump(2) + "\n", byte for byte (status_file_test), written
  // directly: at 100,000 units the nlohmann tree cost a second per write.
  std::string& out = sink.buf();
  JsonWriter w(out);
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
    w.Key("counts");
    views::WriteCounts(w, views::CountUnits(c));
    w.Key("units");
    w.BeginArray();
    for (const store::UnitState& u : c.units) {
      views::WriteUnit(w, u, tz);
      sink.Boundary();
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
}

}  // namespace

std::string StatusFileText(const std::vector<store::ConsultationState>& consultations,
                           std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                           const std::map<std::string, std::string>& waiting) {
  TextSink sink;
  StatusFileTo(consultations, unmatched, now, tz, waiting, sink);
  return sink.Take();
}

Status WriteStatusFile(FileSystem& fs, const std::string& path,
                       const std::vector<store::ConsultationState>& consultations,
                       std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                       const std::map<std::string, std::string>& waiting) {
  // Streamed: at 100,000 units the whole text (51 MB, in a string grown to 80
  // while the one before it was still there) was tacitd's largest block.
  return fs.WriteAtomicStreamed(path, [&](TextSink& sink) {
    StatusFileTo(consultations, unmatched, now, tz, waiting, sink);
    return Status::Ok();
  });
}

}  // namespace tacit::service
