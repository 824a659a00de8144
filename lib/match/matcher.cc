#include "match/matcher.h"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "match/letter_index.h"
#include "match/letterhead.h"
#include "match/unit_index.h"
#include "match/words.h"
#include "text/normalize.h"
#include "text/quotes.h"

namespace tacit::match {

namespace {

// Everything Match reads: built once per config, then only read.
struct Tables {
  Tables(const Config& config, const PackedUnits& packed, const text::StanceKeywords& keywords)
      : units(packed),
        letters(config.consultations, units),
        letterheads(packed, units),
        classifier(keywords) {}

  UnitIndex units;
  LetterIndex letters;
  LetterheadIndex letterheads;
  text::StanceClassifier classifier;
};

constexpr size_t kMaxListed = 5;

// Subjects of auto-replies, in FoldWords form (ReplySubject::words): anywhere
// in the subject, or only at its start (after Re:/Fwd:) where the phrase is
// also ordinary words ("Ý kiến TDP 5 (tổ trưởng vắng mặt)" is a reply).
constexpr std::array<std::string_view, 13> kAutoReplyPhrases = {
    "out of office",      "automatic reply",    "auto reply",          "autoreply",
    "auto response",      "automatic response", "tu dong tra loi",     "tra loi tu dong",
    "phan hoi tu dong",   "abwesenheitsnotiz",  "reponse automatique", "respuesta automatica",
    "risposta automatica"};
constexpr std::array<std::string_view, 3> kAutoReplyStarts = {"vang mat", "auto", "ooo"};
// Subjects of delivery reports from MAILER-DAEMON or postmaster.
constexpr std::array<std::string_view, 12> kDeliveryPhrases = {
    "undelivered",      "undeliverable",       "delivery status notification",
    "delivery failure", "delivery has failed", "mail delivery failed",
    "returned mail",    "failure notice",      "non delivery",
    "khong gui duoc",   "khong the gui",       "khong chuyen duoc"};
constexpr std::array<std::string_view, 3> kDaemonMailboxes = {"mailer-daemon", "postmaster",
                                                              "mail-daemon"};

template <size_t N>
bool ContainsAny(std::string_view words, const std::array<std::string_view, N>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](std::string_view p) { return text::ContainsWords(words, p); });
}

template <size_t N>
bool StartsWithAny(std::string_view words, const std::array<std::string_view, N>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(), [&](std::string_view p) {
    return words.starts_with(p) && (words.size() == p.size() || words[p.size()] == ' ');
  });
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s, std::string_view blanks = " \t\r\n") {
  const size_t first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

// Message-ids as the lookup takes them: no <>, no blanks; a header value
// holding several ids gives each.
void AddMessageIds(std::string_view value, std::vector<std::string>* out) {
  size_t pos = 0;
  while (pos < value.size()) {
    size_t end = value.find_first_of(" \t\r\n,", pos);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view id = Trim(value.substr(pos, end - pos), "<> \t");
    if (!id.empty()) out->emplace_back(id);
    pos = end + 1;
  }
}

// In-Reply-To first, then References from the newest (last) to the oldest.
std::vector<std::string> ReplyIds(const Candidate& c) {
  std::vector<std::string> ids;
  AddMessageIds(c.in_reply_to, &ids);
  for (auto it = c.references.rbegin(); it != c.references.rend(); ++it) AddMessageIds(*it, &ids);
  return ids;
}

struct Sent {
  std::string message_id;
  bool in_reply_to;
  uint32_t consultation;
  uint32_t unit;
};

// Rule 1: the first of the reply's ids that names a message tacit sent to a
// unit and consultation that are still configured.
std::optional<Sent> FindSent(const Tables& impl, const Candidate& c, const MatchContext& context) {
  if (!context.sent_lookup) return std::nullopt;
  std::vector<std::string> in_reply_to;
  AddMessageIds(c.in_reply_to, &in_reply_to);
  const std::vector<std::string> ids = ReplyIds(c);
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::optional<SentMessage> sent = context.sent_lookup(ids[i]);
    if (!sent) continue;
    const int64_t consultation = impl.letters.Find(sent->consultation_id);
    const int64_t unit = impl.units.FindCode(sent->unit_code);
    if (consultation < 0 || unit < 0) continue;
    return Sent{text::SanitizeUtf8(ids[i]), i < in_reply_to.size(),
                static_cast<uint32_t>(consultation), static_cast<uint32_t>(unit)};
  }
  return std::nullopt;
}

bool FromMailerDaemon(const Candidate& c) {
  for (const std::string& address : c.from) {
    const std::string local = LowerAscii(Trim(address.substr(0, address.find('@')), "<> \t"));
    if (std::any_of(kDaemonMailboxes.begin(), kDaemonMailboxes.end(),
                    [&](std::string_view m) { return local.starts_with(m); })) {
      return true;
    }
  }
  return false;
}

// Auto-replies and delivery reports (SPEC §3): fills `result` and returns true.
bool DetectNotAReply(const Tables& impl, const Candidate& c, const ReplySubject& subject,
                     const MatchContext& context, MatchResult* result) {
  const bool bounce =
      c.delivery_report || (FromMailerDaemon(c) && ContainsAny(subject.words, kDeliveryPhrases));
  std::string why;
  if (bounce) {
    why = "delivery report";
  } else if (c.auto_submitted) {
    why = "auto-reply (auto-submitted)";
  } else if (ContainsAny(subject.words, kAutoReplyPhrases) ||
             StartsWithAny(subject.words, kAutoReplyStarts)) {
    why = "auto-reply (subject)";
  } else {
    return false;
  }
  result->outcome = Outcome::kNotAReply;
  const std::optional<Sent> sent = FindSent(impl, c, context);
  if (sent) {
    result->consultation_id = impl.letters.id(sent->consultation);
    result->unit_code = std::string(impl.units.code(sent->unit));
  }
  if (bounce) {
    if (sent) {
      result->bounced_message_id = sent->message_id;
    } else if (!c.references.empty() || !c.in_reply_to.empty()) {
      // The first reference, or In-Reply-To when there is none.
      std::vector<std::string> first;
      AddMessageIds(c.references.empty() ? c.in_reply_to : c.references.front(), &first);
      if (!first.empty()) result->bounced_message_id = text::SanitizeUtf8(first.front());
    }
    if (result->bounced_message_id) why += " for <" + *result->bounced_message_id + ">";
  }
  result->consultation_rule = why;
  result->unit_rule = why;
  return true;
}

// ---------------------------------------------------------------------------
// Units.

std::string_view KindName(KeyKind kind) {
  switch (kind) {
    case KeyKind::kCode: return "code";
    case KeyKind::kName: return "name";
    case KeyKind::kAlias: return "alias";
  }
  return "alias";
}

struct UnitEvidence {
  uint32_t unit;
  std::string what;   // "alias 'TDP 5'", "sender a@b"
  std::string where;  // "subject", "file name 'x.pdf'"; empty when `what` says it

  std::string Rule() const { return where.empty() ? what : what + " in " + where; }
};

enum class State { kNone, kFound, kAmbiguous };

struct Decision {
  State state = State::kNone;
  uint32_t index = 0;
  std::string rule;  // how it was found, or why not
};

// "two units fit in subject: tdp-05 (alias 'TDP 5'), tdp-15 (alias 'TDP 15')".
std::string ListUnits(const UnitIndex& units, std::string_view level,
                      const std::vector<UnitEvidence>& evidence) {
  std::string out = evidence.size() == 2 ? "two" : std::to_string(evidence.size());
  out += " units fit";
  if (!level.empty()) out += fmt::format(" in {}", level);
  out += ": ";
  for (size_t i = 0; i < evidence.size() && i < kMaxListed; ++i) {
    if (i > 0) out += ", ";
    const UnitEvidence& e = evidence[i];
    out += fmt::format("{} ({})", units.code(e.unit), e.where == level ? e.what : e.Rule());
  }
  if (evidence.size() > kMaxListed) out += ", …";
  return out;
}

void AddEvidence(UnitEvidence e, std::vector<UnitEvidence>* level) {
  const bool seen = std::any_of(level->begin(), level->end(),
                                [&](const UnitEvidence& have) { return have.unit == e.unit; });
  if (!seen) level->push_back(std::move(e));
}

void ScanInto(const UnitIndex& units, std::string_view words, bool with_codes,
              const std::string& where, std::vector<UnitEvidence>* level) {
  for (const UnitHit& hit : units.Scan(words, with_codes)) {
    const std::string what = hit.kind == KeyKind::kCode
                                 ? fmt::format("code {}", hit.form)
                                 : fmt::format("{} '{}'", KindName(hit.kind), hit.form);
    AddEvidence({hit.unit, what, where}, level);
  }
}

std::string FileStem(std::string_view name) {
  const size_t slash = name.find_last_of('/');
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0 && name.size() - dot <= 6)
    name = name.substr(0, dot);
  return std::string(name);
}

// Unit levels after the sender, strongest first; each is computed only when
// reached. The letterhead counts for OCR candidates only; when a scan has one,
// the levels after it are not read (names in the body never pick the sender).
enum class Level { kSubfolder, kFileName, kLetterhead, kSubject, kOwnText, kAttachmentText };
constexpr std::array<Level, 6> kLevels = {Level::kSubfolder,  Level::kFileName,
                                          Level::kLetterhead, Level::kSubject,
                                          Level::kOwnText,    Level::kAttachmentText};

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kSubfolder: return "subfolder";
    case Level::kFileName: return "file name";
    case Level::kLetterhead: return "letterhead";
    case Level::kSubject: return "subject";
    case Level::kOwnText: return "own text";
    case Level::kAttachmentText: return "attachment";
  }
  return "";
}

// The candidate's own text folded once (text::FoldToWords), on first use: unit
// matching and the topic filter both need it.
class OwnWords {
 public:
  explicit OwnWords(const std::string& own_text) : own_text_(own_text) {}
  const std::string& Get() {
    if (!words_) words_ = text::FoldToWords(own_text_);
    return *words_;
  }

 private:
  const std::string& own_text_;
  std::optional<std::string> words_;
};

std::vector<UnitEvidence> EvidenceAt(const Tables& impl, Level level, const Candidate& c,
                                     const ReplySubject& subject, OwnWords* own) {
  std::vector<UnitEvidence> found;
  const UnitIndex& units = impl.units;
  switch (level) {
    case Level::kSubfolder:
      for (const std::string& folder : c.subfolders) {
        if (impl.letters.IsConsultationFolder(folder)) continue;
        const int64_t exact = units.FindCode(folder);
        if (exact >= 0) {
          AddEvidence({static_cast<uint32_t>(exact), "subfolder " + folder, ""}, &found);
          continue;
        }
        ScanInto(units, FoldWords(folder), true, "subfolder", &found);
      }
      break;
    case Level::kFileName:
      if (!c.file_name.empty())
        ScanInto(units, FoldWords(FileStem(c.file_name)), true, "file name", &found);
      for (const Attachment& a : c.attachments) {
        ScanInto(units, FoldWords(FileStem(a.name)), true,
                 "attachment name '" + text::SanitizeUtf8(a.name) + "'", &found);
      }
      break;
    case Level::kLetterhead:
      for (LetterheadHit& hit : impl.letterheads.Find(c.letterhead_text)) {
        AddEvidence({hit.unit, std::move(hit.what), "letterhead"}, &found);
      }
      break;
    case Level::kSubject: ScanInto(units, subject.WordsForUnits(), false, "subject", &found); break;
    case Level::kOwnText:
      ScanInto(units, DropSoBeforeNumbers(own->Get()), false, "own text", &found);
      break;
    case Level::kAttachmentText:
      for (const Attachment& a : c.attachments) {
        if (a.text.empty()) continue;
        const std::string where =
            a.name.empty() ? "attachment" : "attachment '" + text::SanitizeUtf8(a.name) + "'";
        ScanInto(units, FoldWords(a.text), false, where, &found);
      }
      break;
  }
  return found;
}

// The unit rules of SPEC §3: the sender address, then each Level; the first
// that names exactly one unit decides, and one that names several refuses.
// A sender address shared by several units names them all; a later level may
// then pick one of them (and only one of them).
Decision FindUnit(const Tables& impl, const Candidate& c, const ReplySubject& subject,
                  OwnWords* own) {
  std::vector<UnitEvidence> sender;
  for (const std::string& address : c.from) {
    const std::string shown = text::SanitizeUtf8(Trim(address, "<> \t"));
    for (const SenderHit& hit : impl.units.FindSender(address)) {
      AddEvidence({hit.unit, "sender " + shown + (hit.plus_address ? " (plus-address)" : ""), ""},
                  &sender);
    }
  }
  if (sender.size() == 1) return {State::kFound, sender[0].unit, sender[0].Rule()};
  for (Level level : kLevels) {
    if (c.ocr && level > Level::kLetterhead && !c.letterhead_text.empty()) {
      return {State::kNone, 0, "no unit fits the letterhead (names in the text are not read)"};
    }
    if (!c.ocr && level == Level::kLetterhead) continue;
    std::vector<UnitEvidence> found = EvidenceAt(impl, level, c, subject, own);
    if (!sender.empty()) {
      std::erase_if(found, [&](const UnitEvidence& e) {
        return std::none_of(sender.begin(), sender.end(),
                            [&](const UnitEvidence& s) { return s.unit == e.unit; });
      });
    }
    if (found.empty()) continue;
    if (found.size() > 1)
      return {State::kAmbiguous, 0, ListUnits(impl.units, LevelName(level), found)};
    const UnitEvidence& e = found[0];
    if (sender.empty()) return {State::kFound, e.unit, e.Rule()};
    const auto s = std::find_if(sender.begin(), sender.end(),
                                [&](const UnitEvidence& x) { return x.unit == e.unit; });
    return {State::kFound, e.unit, fmt::format("{} (shared), {}", s->Rule(), e.Rule())};
  }
  if (!sender.empty()) return {State::kAmbiguous, 0, ListUnits(impl.units, "", sender)};
  return {State::kNone, 0, "no unit fits"};
}

// ---------------------------------------------------------------------------
// Consultations.

// One level of consultation evidence: one consultation decides; several are
// narrowed to those addressing the unit (the others would be refused anyway).
Decision DecideLevel(const Tables& impl, std::vector<LetterEvidence> evidence,
                     const Decision& unit) {
  std::vector<LetterEvidence> distinct;
  for (LetterEvidence& e : evidence) {
    const bool seen = std::any_of(distinct.begin(), distinct.end(), [&](const LetterEvidence& d) {
      return d.consultation == e.consultation;
    });
    if (!seen) distinct.push_back(std::move(e));
  }
  if (distinct.empty()) return {};
  if (distinct.size() == 1) return {State::kFound, distinct[0].consultation, distinct[0].rule};
  std::string ids;
  std::string list;
  for (size_t i = 0; i < distinct.size() && i < kMaxListed; ++i) {
    const std::string& id = impl.letters.id(distinct[i].consultation);
    ids += (i > 0 ? ", " : "") + id;
    list += fmt::format("{}{} ({})", i > 0 ? ", " : "", id, distinct[i].rule);
  }
  if (distinct.size() > kMaxListed) {
    ids += ", …";
    list += ", …";
  }
  if (unit.state == State::kFound) {
    std::vector<const LetterEvidence*> addressing;
    for (const LetterEvidence& e : distinct) {
      if (impl.letters.Addresses(e.consultation, unit.index)) addressing.push_back(&e);
    }
    if (addressing.size() == 1) {
      return {State::kFound, addressing[0]->consultation,
              fmt::format("{}, the only one of {} addressing the unit", addressing[0]->rule, ids)};
    }
  }
  const std::string count = distinct.size() == 2 ? "two" : std::to_string(distinct.size());
  return {State::kAmbiguous, 0, fmt::format("{} consultations fit: {}", count, list)};
}

Decision FindConsultation(const Tables& impl, const MatchContext& context,
                          const std::vector<std::vector<LetterEvidence>>& levels,
                          const Decision& unit) {
  for (const std::vector<LetterEvidence>& level : levels) {
    Decision d = DecideLevel(impl, level, unit);
    if (d.state != State::kNone) return d;
  }
  if (unit.state != State::kFound) return {State::kNone, 0, "no consultation fits"};
  std::vector<uint32_t> open;
  for (const std::string& id : context.open_consultations) {
    const int64_t i = impl.letters.Find(id);
    if (i >= 0 && impl.letters.Addresses(static_cast<uint32_t>(i), unit.index)) {
      open.push_back(static_cast<uint32_t>(i));
    }
  }
  if (open.size() == 1)
    return {State::kFound, open[0], "only open consultation addressing the unit"};
  if (open.empty())
    return {State::kNone, 0, "no consultation fits (no open one addresses the unit)"};
  std::string list;
  for (size_t i = 0; i < open.size() && i < kMaxListed; ++i) {
    list += (i > 0 ? ", " : "") + impl.letters.id(open[i]);
  }
  if (open.size() > kMaxListed) list += ", …";
  const std::string count = open.size() == 2 ? "two" : std::to_string(open.size());
  return {State::kAmbiguous, 0,
          fmt::format("{} consultations fit: open and addressing the unit: {}", count, list)};
}

// The stance of the own text; when that says nothing recognisable, of the
// own text with the attachments' texts (a body "Gửi kèm văn bản" with the
// answer in a .docx). Sets `*with_attachments` when the attachments gave it.
Stance ClassifyStance(const Tables& impl, const Candidate& c, std::string* with_attachments) {
  if (c.ocr) {
    // A scan: what OCR read too poorly is for a person to judge; otherwise
    // the body speaks, not the letterhead or "V/v góp ý …".
    if (c.ocr_low_confidence) return Stance::kUnknown;
    return impl.classifier.Classify(BodyFromText(c.own_text));
  }
  const Stance own = impl.classifier.Classify(c.own_text);
  if (own != Stance::kUnknown) return own;
  std::string all = c.own_text;
  bool any = false;
  for (const Attachment& a : c.attachments) {
    if (a.text.empty()) continue;
    all += "\n\n" + a.text;
    any = true;
  }
  if (!any) return own;
  const Stance stance = impl.classifier.Classify(all);
  if (stance != Stance::kUnknown) *with_attachments = std::move(all);
  return stance;
}

}  // namespace

struct Matcher::Impl : Tables {
  using Tables::Tables;
};

Matcher::Matcher(const Config& config, const text::StanceKeywords& keywords)
    : Matcher(config, PackedUnits(config.units), keywords) {}

Matcher::Matcher(const Config& config, const PackedUnits& units,
                 const text::StanceKeywords& keywords)
    : impl_(std::make_shared<const Impl>(config, units, keywords)) {}

MatchResult Matcher::Match(const Candidate& candidate, const MatchContext& context) const {
  const Impl& impl = *impl_;
  MatchResult result;
  ReplySubject subject = ParseSubject(candidate.subject);
  if (DetectNotAReply(impl, candidate, subject, context, &result)) return result;

  OwnWords own(candidate.own_text);
  Decision unit;
  Decision consultation;
  if (const std::optional<Sent> sent = FindSent(impl, candidate, context)) {
    const std::string rule =
        (sent->in_reply_to ? "in-reply-to <" : "references <") + sent->message_id + ">";
    unit = {State::kFound, sent->unit, rule};
    consultation = {State::kFound, sent->consultation, rule};
  } else {
    // Letter evidence first: it masks the letter's own subject in the reply's
    // subject, where unit names are then looked for.
    std::vector<std::vector<LetterEvidence>> levels;
    levels.push_back(impl.letters.ByFolderOrTag(candidate, subject));
    levels.push_back(impl.letters.ByReference(&subject));
    levels.push_back(impl.letters.BySubject(&subject));
    if (candidate.ocr) {
      // A scan has no mail subject: its "V/v …" line and the start of its
      // body ("Thực hiện Công văn số 15/VH-XH …") name the letter.
      ReplySubject body = ParseSubject(ReferenceText(candidate.own_text));
      levels.push_back(impl.letters.ByReference(&body));
      levels.push_back(impl.letters.BySubject(&body));
    }
    unit = FindUnit(impl, candidate, subject, &own);
    consultation = FindConsultation(impl, context, levels, unit);
  }

  // Partial evidence stays in an unmatched result, for tacitctl unmatched.
  result.unit_rule = unit.rule;
  result.consultation_rule = consultation.rule;
  if (unit.state == State::kFound) result.unit_code = std::string(impl.units.code(unit.index));
  if (consultation.state == State::kFound) {
    result.consultation_id = impl.letters.id(consultation.index);
  }
  const bool both = unit.state == State::kFound && consultation.state == State::kFound;
  if (both && !impl.letters.Addresses(consultation.index, unit.index)) {
    result.unit_rule +=
        fmt::format("; {} is not addressed by {}", *result.unit_code, *result.consultation_id);
  } else if (both) {
    result.outcome = Outcome::kMatched;
  }

  result.stance = candidate.stance ? *candidate.stance : ClassifyStance(candidate);
  return result;
}

Stance Matcher::ClassifyStance(const Candidate& candidate) const {
  std::string with_attachments;
  return match::ClassifyStance(*impl_, candidate, &with_attachments);
}

}  // namespace tacit::match
