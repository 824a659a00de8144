// Ingestor: the one path from a received item to the store, shared by every
// source (drop folder, Maildir, IMAP): candidate -> match -> commit. A source
// acknowledges its item (archives the file, moves the message, sets the flag)
// only after Ingest() returned OK: by then the reply is committed (SPEC §8).
#pragma once

#include <cstdint>
#include <memory>
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

class Ingestor {
 public:
  // `store` and `clock` must outlive the Ingestor.
  Ingestor(store::Store& store, const Clock& clock, const Config& config,
           std::string actor = "tacitd");
  // With a matcher already built from `config` (tacitd builds it on another
  // thread while it opens the database and writes the status file).
  Ingestor(store::Store& store, const Clock& clock, std::unique_ptr<match::Matcher> matcher,
           std::string actor = "tacitd");

  // Rebuilds the matcher for a reloaded config.
  void Reconfigure(const Config& config);

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

  // The current matcher; a copy (cheap: it shares the tables) stays valid
  // across Reconfigure, for a parse thread to classify stances ahead.
  const match::Matcher& matcher() const { return *matcher_; }

 private:
  store::Store& store_;
  const Clock& clock_;
  std::unique_ptr<match::Matcher> matcher_;
  std::string actor_;
};

}  // namespace tacit::ingest
