// The report as JSON: the status file's consultation object (SPEC §5) plus the
// letter's other header fields, the replies, the audit trail, the comments
// grouped by topic, the deemed units, the timeline and the unmatched replies.
//
// Written as it goes with a JsonWriter, in nlohmann's dump(2) layout: a tree
// of a 10,000-unit, 20,000-reply report was about 190 MB (most of tacitd's
// peak RSS, issue 9), and building even each element's small tree was most
// of the JSON report's time at 100,000 units.
#include "core/json_writer.h"
#include "reports/report.h"
#include "reports/report_internal.h"

namespace tacit::reports {

Status RenderJsonTo(const ReportData& data, const TimeZone& tz, TextSink& sink) {
  const store::ConsultationState& c = data.consultation;
  // The writer appends to the sink's buffer, which the sink empties into the
  // file at the boundaries after each element of the long arrays.
  std::string& out = sink.buf();
  JsonWriter w(out);
  w.BeginObject();
  w.Field("generated_at", FormatIso(data.generated_at, tz));
  w.Field("provisional", data.provisional);
  w.Field("id", c.id);
  w.Field("reference", c.reference);
  w.Field("subject", c.subject);
  w.Field("issuer", c.issuer);
  w.Field("signer", c.signer);
  w.Field("deadline", FormatIso(c.deadline, tz));
  w.Field("state", c.closed ? "closed" : "open");
  w.Field("silence_means", ToString(c.silence_means));
  w.Field("silence_rule", data.silence_rule);
  w.Key("topics");
  w.BeginArray();
  for (const std::string& t : data.topics) w.String(t);
  w.EndArray();
  w.Key("counts");
  views::WriteCounts(w, data.counts);
  w.Key("units");
  w.BeginArray();
  for (const store::UnitState& u : c.units) {
    views::WriteUnit(w, u, tz);
    sink.Boundary();
  }
  w.EndArray();
  if (c.closed_at) w.Field("deadline_applied_at", FormatIso(*c.closed_at, tz));

  w.Key("comments_by_topic");
  w.BeginArray();
  for (const TopicSection& s : data.sections) {
    w.BeginObject();
    w.Field("topic", s.topic);
    w.Field("other", s.topic == kOtherTopic && &s == &data.sections.back());
    w.Key("paragraphs");
    w.BeginArray();
    for (const QuotedParagraph& p : s.paragraphs) {
      w.BeginObject();
      const Reply& r = data.ReplyOf(p);
      w.Field("reply", r.id);
      w.Field("unit", r.unit_code());
      w.Field("unit_name", data.UnitNameOf(p));
      w.Field("received_at", FormatIso(r.received_at, tz));
      w.Field("late", r.late);
      w.Field("source", r.source_ref());
      w.Field("text", data.TextOf(p));
      w.EndObject();
      sink.Boundary();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();

  w.Key("silent_units");
  w.BeginArray();
  for (const store::UnitState& u : c.units) {
    if (u.status == SilentStatus(c.silence_means)) w.String(u.code);
  }
  w.EndArray();
  w.Key("timeline");
  w.BeginArray();
  for (const DayCount& d : data.timeline) {
    w.BeginObject();
    w.Field("date", d.date);
    w.Field("replies", d.replies);
    w.Field("late", d.late);
    w.EndObject();
  }
  w.EndArray();
  w.Key("replies");
  w.BeginArray();
  for (const Reply& r : data.replies) {
    views::WriteReply(w, FieldsOf(r), tz);
    sink.Boundary();
  }
  w.EndArray();
  w.Key("events");
  w.BeginArray();
  auto event = [&](const store::EventRow& e) {
    views::WriteEvent(w, e, tz);
    sink.Boundary();
  };
  if (data.events_from) {
    if (Status s = data.events_from(event); !s.ok()) return s;
  } else {
    for (const store::EventRow& e : data.events) event(e);
  }
  w.EndArray();
  w.Key("unmatched");
  w.BeginArray();
  for (const Reply& r : data.unmatched) {
    views::WriteReply(w, FieldsOf(r), tz);
    sink.Boundary();
  }
  w.EndArray();
  w.EndObject();
  out += "\n";
  return Status::Ok();
}

std::string RenderJson(const ReportData& data, const TimeZone& tz) {
  return Whole([&](TextSink& out) {
    // Room for the whole document up front: growing a string of hundreds of
    // megabytes by doubling holds up to three times it.
    const store::ConsultationState& c = data.consultation;
    out.buf().reserve(4096 + 512 * (c.units.size() + data.events.size()) +
                      1024 * (data.replies.size() + data.unmatched.size()));
    if (!RenderJsonTo(data, tz, out).ok()) out.buf().clear();
  });
}

}  // namespace tacit::reports
