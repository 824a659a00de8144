#include "ingest/ingestor.h"

#include <fmt/format.h>

#include "core/crash_point.h"

namespace tacit::ingest {
namespace {

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The text kept with the reply: the sender's own words, then each attachment's.
std::string ReplyText(const match::Candidate& c) {
  std::string text = c.own_text;
  for (const match::Attachment& a : c.attachments) {
    if (a.text.empty()) continue;
    text += fmt::format("\n\n[{}]\n{}", a.name, a.text);
  }
  return text;
}

}  // namespace

Ingestor::Ingestor(store::Store& store, const Clock& clock, const Config& config, std::string actor)
    : store_(store),
      clock_(clock),
      matcher_(std::make_unique<match::Matcher>(config)),
      actor_(std::move(actor)) {}

void Ingestor::Reconfigure(const Config& config) {
  matcher_ = std::make_unique<match::Matcher>(config);
}

Result<IngestResult> Ingestor::Ingest(const match::Candidate& c, const std::string& source_ref) {
  match::MatchContext context;
  Result<std::vector<std::string>> open = store_.OpenConsultationIds();
  if (!open) return open.error();
  context.open_consultations.insert(open->begin(), open->end());
  // A reply to a reminder names the reminder's Message-ID (In-Reply-To or
  // References): the outbox says which unit it was for.
  context.sent_lookup = [this](const std::string& id) -> std::optional<match::SentMessage> {
    Result<std::optional<std::pair<std::string, std::string>>> sent = store_.FindSent(id);
    if (!sent || !*sent) return std::nullopt;
    return match::SentMessage{(*sent)->first, (*sent)->second};
  };

  IngestResult result;
  result.match = matcher_->Match(c, context);
  if (result.match.outcome == match::Outcome::kNotAReply) {
    result.disposition = Disposition::kNotAReply;
    // A bounce of a message tacit sent: that address failed (SPEC §3). Committed
    // before the source acknowledges the bounce.
    if (c.delivery_report && !c.in_reply_to.empty()) {
      Status s = store_.RecordBounce(
          c.in_reply_to, c.bounced_recipient,
          fmt::format("delivery report{}", c.subject.empty() ? "" : ": " + c.subject), clock_.Now(),
          actor_);
      if (!s.ok() && s.code() != ErrorCode::kNotFound) return s;
      result.bounce_recorded = s.ok();
    }
    return result;
  }
  store::NewReply r;
  const bool matched = result.match.outcome == match::Outcome::kMatched;
  if (matched) {
    r.consultation_id = result.match.consultation_id;
    r.unit_code = result.match.unit_code;
    r.match_rule = fmt::format("{}; {}", result.match.consultation_rule, result.match.unit_rule);
  } else {
    r.match_rule = Join({result.match.consultation_rule, result.match.unit_rule}, "; ");
  }
  r.channel = c.channel;
  r.received_at = c.received_at;
  r.sender = Join(c.from, ", ");
  r.subject = c.subject;
  r.message_id = c.message_id;
  r.date_header = c.date_header;
  r.text = ReplyText(c);
  r.stance = result.match.stance;
  r.content_hash = c.content_hash;
  r.source_ref = source_ref;
  if (c.ocr) {
    r.ocr_confidence = c.ocr_confidence;
    r.needs_check = c.ocr_low_confidence;
  }
  CrashPoint("ingest.before_commit");
  Result<store::RecordOutcome> out = store_.RecordReply(r, clock_.Now(), actor_);
  if (!out) return out.error();
  CrashPoint("ingest.after_commit");
  result.reply_id = out->reply_id;
  result.late = out->late;
  result.existing_source_ref = out->existing_source_ref;
  if (out->duplicate) {
    result.disposition = Disposition::kDuplicate;
  } else {
    result.disposition = matched ? Disposition::kRecorded : Disposition::kUnmatched;
  }
  return result;
}

}  // namespace tacit::ingest
