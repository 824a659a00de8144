#include "ingest/ingestor.h"

#include <fmt/format.h>

#include "core/crash_point.h"
#include "core/log.h"

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
    : Ingestor(
          store, clock, [&config] { return match::Matcher(config); }, std::move(actor)) {}

Ingestor::Ingestor(store::Store& store, const Clock& clock, MatcherFactory build, std::string actor)
    : store_(store), clock_(clock), build_(std::move(build)), actor_(std::move(actor)) {}

void Ingestor::Reconfigure(MatcherFactory build) {
  build_ = std::move(build);
  matcher_.reset();
}

const match::Matcher& Ingestor::Current() {
  const auto start = std::chrono::steady_clock::now();
  last_used_ = start;
  if (!matcher_) {
    matcher_.emplace(build_());
    last_used_ = std::chrono::steady_clock::now();
    log::Info("matcher built in {} ms",
              std::chrono::duration_cast<std::chrono::milliseconds>(last_used_ - start).count());
    if (on_built_) on_built_();  // after last_used_: it arms tacitd's idle timer from there
  }
  return *matcher_;
}

match::Matcher Ingestor::matcher() { return Current(); }

bool Ingestor::ReleaseIdleMatcher(std::chrono::steady_clock::time_point now,
                                  std::chrono::steady_clock::duration idle) {
  if (!matcher_ || now - last_used_ < idle) return false;
  matcher_.reset();
  return true;
}

Result<IngestResult> Ingestor::Ingest(const match::Candidate& c, const std::string& source_ref) {
  const Item item{&c, source_ref};
  return std::move(IngestBatch(std::span<const Item>(&item, 1)).front());
}

std::vector<Result<IngestResult>> Ingestor::IngestBatch(std::span<const Item> items) {
  std::vector<Result<IngestResult>> results;
  results.reserve(items.size());
  const match::Matcher& matcher = Current();
  match::MatchContext context;
  Result<std::vector<std::string>> open = store_.OpenConsultationIds();
  if (!open) {
    for (std::size_t i = 0; i < items.size(); ++i) results.emplace_back(open.error());
    return results;
  }
  context.open_consultations.insert(open->begin(), open->end());
  // A reply to a reminder names the reminder's Message-ID (In-Reply-To or
  // References): the outbox says which unit it was for.
  context.sent_lookup = [this](const std::string& id) -> std::optional<match::SentMessage> {
    Result<std::optional<std::pair<std::string, std::string>>> sent = store_.FindSent(id);
    if (!sent || !*sent) return std::nullopt;
    return match::SentMessage{(*sent)->first, (*sent)->second};
  };

  std::vector<store::NewReply> replies;
  std::vector<std::size_t> reply_item;  // replies[k] is items[reply_item[k]]
  for (const Item& item : items) {
    const match::Candidate& c = *item.candidate;
    IngestResult result;
    result.match = matcher.Match(c, context);
    if (result.match.outcome == match::Outcome::kNotAReply) {
      result.disposition = Disposition::kNotAReply;
      // A bounce of a message tacit sent: that address failed (SPEC §3).
      // Committed (in its own transaction: bounces are rare) before the source
      // acknowledges the bounce.
      if (c.delivery_report && !c.in_reply_to.empty()) {
        Status s = store_.RecordBounce(
            c.in_reply_to, c.bounced_recipient,
            fmt::format("delivery report{}", c.subject.empty() ? "" : ": " + c.subject),
            clock_.Now(), actor_);
        if (!s.ok() && s.code() != ErrorCode::kNotFound) {
          results.emplace_back(s);
          continue;
        }
        result.bounce_recorded = s.ok();
      }
      results.emplace_back(std::move(result));
      continue;
    }
    store::NewReply r;
    if (result.match.outcome == match::Outcome::kMatched) {
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
    r.source_ref = item.source_ref;
    if (c.ocr) {
      r.ocr_confidence = c.ocr_confidence;
      r.needs_check = c.ocr_low_confidence;
    }
    replies.push_back(std::move(r));
    reply_item.push_back(results.size());
    results.emplace_back(std::move(result));
  }
  if (replies.empty()) return results;

  // Once per reply, as on the one-by-one path: every reply of the group is
  // matched and none is committed yet.
  for (std::size_t k = 0; k < replies.size(); ++k) CrashPoint("ingest.before_commit");
  const TimePoint now = clock_.Now();
  Result<std::vector<Result<store::RecordOutcome>>> outs =
      store_.RecordReplies(replies, now, actor_);
  if (!outs && outs.error().code() != ErrorCode::kTransient && replies.size() > 1) {
    // The group's transaction failed: whatever it was, try each reply on its
    // own so that only the one that cannot be recorded stays behind. (Busy is
    // not retried here: every reply would wait the busy timeout again.)
    std::vector<Result<store::RecordOutcome>> one_by_one;
    one_by_one.reserve(replies.size());
    for (const store::NewReply& r : replies)
      one_by_one.push_back(store_.RecordReply(r, now, actor_));
    outs = std::move(one_by_one);
  }
  for (std::size_t k = 0; k < replies.size(); ++k) {
    Result<IngestResult>& slot = results[reply_item[k]];
    const Result<store::RecordOutcome>* out = outs ? &(*outs)[k] : nullptr;
    if (!outs || !*out) {
      slot = outs ? out->error() : outs.error();
      continue;
    }
    CrashPoint("ingest.after_commit");
    IngestResult& result = *slot;
    result.reply_id = (*out)->reply_id;
    result.late = (*out)->late;
    result.existing_source_ref = (*out)->existing_source_ref;
    if ((*out)->duplicate) {
      result.disposition = Disposition::kDuplicate;
    } else {
      result.disposition = result.match.outcome == match::Outcome::kMatched
                               ? Disposition::kRecorded
                               : Disposition::kUnmatched;
    }
  }
  return results;
}

}  // namespace tacit::ingest
