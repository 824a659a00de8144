// How tacit's state looks from outside, computed in one place: the counts of a
// consultation and the JSON objects of a unit, a reply and an event. The status
// file (SPEC §5), the reports and `tacitctl --json` all use these, so the same
// field always has the same name and meaning.
#pragma once

#include <nlohmann/json.hpp>

#include "core/json_writer.h"
#include "domain/dates.h"
#include "store/store.h"

namespace tacit::views {

using Json = nlohmann::ordered_json;

// Each JSON object below is written in one place, by a Write* function onto a
// JsonWriter (the status file and the JSON report, large and rewritten often,
// are written that way); the Json value of the same name is that text parsed,
// for tacitctl's smaller documents.

// The status file's "counts".
struct Counts {
  int addressed = 0;  // every active addressee except excluded ones
  int pending = 0, replied = 0, agree = 0, comments = 0, object = 0, unknown = 0;
  int deemed_consent = 0, no_response = 0, late = 0, excluded = 0;
};

Counts CountUnits(const store::ConsultationState& c);
// Counts `u` in `n` as CountUnits counts each unit.
void AddToCounts(Counts& n, const store::UnitState& u);
Json CountsJson(const Counts& n);
void WriteCounts(JsonWriter& w, const Counts& n);
// A unit of the status file's "units".
Json UnitJson(const store::UnitState& u, const TimeZone& tz);
void WriteUnit(JsonWriter& w, const store::UnitState& u, const TimeZone& tz);
// A reply as `tacitctl replies --json` and the JSON report show it: the
// fields of store::ReplyRow, as views of whatever holds them (the reports keep
// their own compact copy, reports::Reply).
struct ReplyFields {
  std::int64_t id = 0;
  std::optional<std::string_view> consultation, unit;
  Channel channel = Channel::kManual;
  TimePoint received_at, recorded_at;
  bool late = false;
  Stance stance = Stance::kUnknown;
  std::string_view sender, subject, text, match_rule, source, actor;
  std::optional<double> ocr_confidence;
  bool needs_check = false;
};
Json ReplyJson(const store::ReplyRow& r, const TimeZone& tz);
void WriteReply(JsonWriter& w, const ReplyFields& r, const TimeZone& tz);
void WriteReply(JsonWriter& w, const store::ReplyRow& r, const TimeZone& tz);
// An event as `tacitctl events --json` and the JSON report show it.
Json EventJson(const store::EventRow& e, const TimeZone& tz);
void WriteEvent(JsonWriter& w, const store::EventRow& e, const TimeZone& tz);

}  // namespace tacit::views
