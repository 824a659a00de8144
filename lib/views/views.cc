#include "views/views.h"

namespace tacit::views {
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

void WriteCounts(JsonWriter& w, const Counts& n) {
  w.BeginObject();
  w.Field("addressed", n.addressed);
  w.Field("pending", n.pending);
  w.Field("replied", n.replied);
  w.Field("agree", n.agree);
  w.Field("comments", n.comments);
  w.Field("object", n.object);
  w.Field("unknown", n.unknown);
  w.Field("deemed_consent", n.deemed_consent);
  w.Field("no_response", n.no_response);
  w.Field("late", n.late);
  w.Field("excluded", n.excluded);
  w.EndObject();
}

void WriteUnit(JsonWriter& w, const store::UnitState& u, const TimeZone& tz) {
  w.BeginObject();
  w.Field("code", u.code);
  w.Field("name", u.name);
  w.Field("group", u.group);
  w.Field("status", ToString(u.status));
  w.Field("stance", u.stance ? std::optional<std::string>(ToString(*u.stance)) : std::nullopt);
  w.Field("channel", u.channel ? std::optional<std::string>(ToString(*u.channel)) : std::nullopt);
  w.Field("replied_at", u.replied_at ? std::optional(FormatIso(*u.replied_at, tz)) : std::nullopt);
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
  // A scan OCR read too poorly: "cần kiểm tra", a person must confirm it.
  if (u.needs_check) w.Field("needs_check", true);
  w.EndObject();
}

void WriteReply(JsonWriter& w, const ReplyFields& r, const TimeZone& tz) {
  auto optional = [&](std::string_view key, const std::optional<std::string_view>& v) {
    if (v) {
      w.Field(key, *v);
    } else {
      w.Key(key);
      w.Null();
    }
  };
  w.BeginObject();
  w.Field("id", r.id);
  optional("consultation", r.consultation);
  optional("unit", r.unit);
  w.Field("channel", ToString(r.channel));
  w.Field("received_at", FormatIso(r.received_at, tz));
  w.Field("recorded_at", FormatIso(r.recorded_at, tz));
  w.Field("late", r.late);
  w.Field("stance", ToString(r.stance));
  w.Field("sender", r.sender);
  w.Field("subject", r.subject);
  w.Field("text", r.text);
  w.Field("match_rule", r.match_rule);
  w.Field("source", r.source);
  w.Field("actor", r.actor);
  w.Key("ocr_confidence");
  if (r.ocr_confidence) {
    w.Raw(Json(*r.ocr_confidence).dump());  // nlohmann's number format
  } else {
    w.Null();
  }
  w.Field("needs_check", r.needs_check);
  w.EndObject();
}

void WriteReply(JsonWriter& w, const store::ReplyRow& r, const TimeZone& tz) {
  ReplyFields f;
  f.id = r.id;
  if (r.consultation_id) f.consultation = *r.consultation_id;
  if (r.unit_code) f.unit = *r.unit_code;
  f.channel = r.channel;
  f.received_at = r.received_at;
  f.recorded_at = r.recorded_at;
  f.late = r.late;
  f.stance = r.stance;
  f.sender = r.sender;
  f.subject = r.subject;
  f.text = r.text;
  f.match_rule = r.match_rule;
  f.source = r.source_ref;
  f.actor = r.actor;
  f.ocr_confidence = r.ocr_confidence;
  f.needs_check = r.needs_check;
  WriteReply(w, f, tz);
}

void WriteEvent(JsonWriter& w, const store::EventRow& e, const TimeZone& tz) {
  w.BeginObject();
  w.Field("id", e.id);
  w.Field("at", FormatIso(e.at, tz));
  w.Field("effective_at", FormatIso(e.effective_at, tz));
  w.Field("unit", e.unit_code.empty() ? std::nullopt : std::optional(e.unit_code));
  w.Key("reply");
  if (e.reply_id) {
    w.Int(*e.reply_id);
  } else {
    w.Null();
  }
  w.Field("kind", e.kind);
  w.Field("detail", e.detail);
  w.Field("actor", e.actor);
  w.EndObject();
}

namespace {

template <typename T, typename Write>
Json Parsed(const T& value, const TimeZone* tz, Write write) {
  std::string text;
  JsonWriter w(text);
  write(w, value, tz);
  return Json::parse(text);
}

}  // namespace

Json CountsJson(const Counts& n) {
  return Parsed(n, nullptr,
                [](JsonWriter& w, const Counts& c, const TimeZone*) { WriteCounts(w, c); });
}

Json UnitJson(const store::UnitState& u, const TimeZone& tz) {
  return Parsed(u, &tz, [](JsonWriter& w, const store::UnitState& x, const TimeZone* z) {
    WriteUnit(w, x, *z);
  });
}

Json ReplyJson(const store::ReplyRow& r, const TimeZone& tz) {
  return Parsed(r, &tz, [](JsonWriter& w, const store::ReplyRow& x, const TimeZone* z) {
    WriteReply(w, x, *z);
  });
}

Json EventJson(const store::EventRow& e, const TimeZone& tz) {
  return Parsed(e, &tz, [](JsonWriter& w, const store::EventRow& x, const TimeZone* z) {
    WriteEvent(w, x, *z);
  });
}

}  // namespace tacit::views
