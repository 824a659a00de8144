// Matcher: turns a Candidate into (consultation, unit, stance) or an honest
// "unmatched", following SPEC §3 in order; the first rule that decides wins, and
// the rule is named in the result so tacitctl and the event log can show it.
// Never guesses: when two units (or two consultations) fit, the result is
// unmatched with the reason.
//
// Built once per config (units, consultations and their aliases are folded in
// the constructor); Match() is const and cheap (target ≥ 50k candidates/s
// against 10k units). Not thread-safe to construct; Match() may be called from
// several threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/packed_units.h"
#include "match/candidate.h"
#include "text/stance.h"

namespace tacit::match {

// Who a message tacit sent was for (reminders carry a deterministic Message-ID).
struct SentMessage {
  std::string consultation_id;
  std::string unit_code;
};

struct MatchContext {
  // Ids of consultations still open (replies to closed ones still match by the
  // other rules, but "the only open consultation addressing the unit" counts only
  // these).
  std::set<std::string> open_consultations;
  // Looks up a Message-ID tacit sent (without <>); nullopt if not ours.
  std::function<std::optional<SentMessage>(const std::string&)> sent_lookup;
};

enum class Outcome {
  kMatched,
  kUnmatched,
  kNotAReply,  // auto-reply or delivery report: not counted as a reply (SPEC §3)
};

struct MatchResult {
  Outcome outcome = Outcome::kUnmatched;
  // Set for kMatched. For kUnmatched, whichever of the two was decided is
  // still set (evidence for tacitctl unmatched: "consultation found, no unit
  // fits"); only kMatched attributes the reply. For kNotAReply, set when the
  // auto-reply or bounce refers to a message tacit sent (sent_lookup).
  std::optional<std::string> consultation_id;
  std::optional<std::string> unit_code;
  Stance stance = Stance::kUnknown;
  // How it was decided, for people: e.g. "in-reply-to <…>", "subfolder dan-chu-2026",
  // "[tacit:ID] tag", "sender tdp05@example.vn", "alias 'TDP 5' in subject".
  // For unmatched: why ("two units fit: tdp-05 (alias 'Tổ 5'), tdp-15 (…)",
  // "no unit fits", "no consultation fits").
  std::string consultation_rule;
  std::string unit_rule;
  // For a delivery report: the Message-ID of the bounced message, if found.
  std::optional<std::string> bounced_message_id;
};

class Matcher {
 public:
  explicit Matcher(const Config& config,
                   const text::StanceKeywords& keywords = text::StanceKeywords::Defaults());
  // The config's consultations with `units` (config.units is not read):
  // tacitd keeps its units packed and builds from them one at a time.
  Matcher(const Config& config, const PackedUnits& units,
          const text::StanceKeywords& keywords = text::StanceKeywords::Defaults());
  MatchResult Match(const Candidate& candidate, const MatchContext& context) const;
  // The stance Match gives this candidate (its own text; when that says
  // nothing, with the attachments' texts; for a scan, the body). Depends on
  // nothing else, so a source may call it ahead, on another thread, and put
  // it in candidate.stance. A copy of a Matcher shares its tables.
  Stance ClassifyStance(const Candidate& candidate) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace tacit::match
