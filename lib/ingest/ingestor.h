// Ingestor: the one path from a received item to the store, shared by every
// source (drop folder, Maildir, IMAP): candidate -> match -> commit. A source
// acknowledges its item (archives the file, moves the message, sets the flag)
// only after Ingest() returned OK: by then the reply is committed (SPEC §8).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "match/matcher.h"
#include "store/store.h"

namespace tacit::ingest {

enum class Disposition {
  kRecorded,   // a new reply, attributed to a unit
  kUnmatched,  // a new reply that no rule could attribute: kept, listed, assignable
  kDuplicate,  // already recorded (same content hash or Message-ID)
  kNotAReply,  // auto-reply or delivery report: nothing recorded
};

struct IngestResult {
  Disposition disposition = Disposition::kUnmatched;
  std::int64_t reply_id = 0;  // 0 for kNotAReply
  bool late = false;
  std::string existing_source_ref;  // for kDuplicate: where the first copy came from
  match::MatchResult match;
  bool bounce_recorded = false;  // kNotAReply: a bounce of a message tacit sent
};

// The matcher (every unit's names, aliases and addresses, folded and
// indexed: about 1 KB a unit, 9 MB of heap at 10,000 units) is built when the
// first item comes, not at start-up, and let go by ReleaseIdleMatcher once no
// item came for a while: a consultation gets its replies in bursts over weeks,
// and an idle tacitd holding the index was most of its memory (issue 9). The
// next item builds it again (0.2 s at 10,000 units, about 1 s at 100,000).
//
// Used from one thread (tacitd's loop); a copy from matcher() may go to
// another thread.
class Ingestor {
 public:
  // Builds the matcher when one is needed.
  using MatcherFactory = std::function<match::Matcher()>;

  // `store`, `clock` and `config` must outlive the Ingestor (`config` at
  // least until a Reconfigure).
  Ingestor(store::Store& store, const Clock& clock, const Config& config,
           std::string actor = "tacitd");
  // tacitd keeps its units packed (config/packed_units.h) and builds the
  // matcher from them in `build`.
  Ingestor(store::Store& store, const Clock& clock, MatcherFactory build,
           std::string actor = "tacitd");

  // Matches with what `build` builds from now on (a reloaded config's
  // units). A copy of the old matcher that a parse thread holds stays valid.
  void Reconfigure(MatcherFactory build);

  // Lets the matcher go when no item used it for `idle` until `now`; true if
  // it did. Copies held elsewhere keep theirs.
  bool ReleaseIdleMatcher(std::chrono::steady_clock::time_point now,
                          std::chrono::steady_clock::duration idle);
  bool matcher_built() const { return matcher_.has_value(); }
  // When an item last used the matcher.
  std::chrono::steady_clock::time_point matcher_last_used() const { return last_used_; }
  // Called (on the ingesting thread) each time a matcher has been built.
  void OnMatcherBuilt(std::function<void()> f) { on_built_ = std::move(f); }

  // Matches and commits one item. `source_ref` says where it came from (a file
  // name, a Maildir file, "imap:UIDVALIDITY:UID"). Errors are the store's
  // (kIo, kTransient): the item must not be acknowledged then.
  Result<IngestResult> Ingest(const match::Candidate& candidate, const std::string& source_ref);

  // One item of a group for IngestBatch. `candidate` must outlive the call.
  struct Item {
    const match::Candidate* candidate = nullptr;
    std::string source_ref;
  };
  // Matches every item and commits the replies among them in ONE transaction
  // (issue 5: one fsync per group, not per message), then returns one result
  // per item, in order. Each item keeps Ingest()'s meaning: its own match,
  // dedupe (also against an earlier item of the same group) and events. An
  // item that cannot be recorded fails alone; when the group's transaction
  // fails (other than busy), each item is tried again in its own
  // transaction, so one bad item never holds up the others. A source
  // acknowledges an item only when its result is OK, after this returned.
  // Sources pass "whatever is ready now" (up to kMaxBatch): a message that
  // arrives alone is a group of one and is committed at once.
  static constexpr std::size_t kMaxBatch = 64;
  std::vector<Result<IngestResult>> IngestBatch(std::span<const Item> items);

  // The current matcher, built if it is not; a copy (cheap: it shares the
  // tables) that stays valid across Reconfigure and ReleaseIdleMatcher, for
  // a parse thread to classify stances ahead.
  match::Matcher matcher();

 private:
  const match::Matcher& Current();

  store::Store& store_;
  const Clock& clock_;
  MatcherFactory build_;
  std::function<void()> on_built_;
  std::optional<match::Matcher> matcher_;
  std::chrono::steady_clock::time_point last_used_{};
  std::string actor_;
};

}  // namespace tacit::ingest
