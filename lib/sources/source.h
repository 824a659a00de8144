// Source: what the daemon needs from every place replies arrive (drop folder,
// Maildir, IMAP), in the spirit of isync's driver interface.
//
// Contract for every source: an item is acknowledged (file archived, message
// moved to cur/, IMAP flag set) only after Ingestor::Ingest() committed it, so a
// crash at any point loses nothing; a restart finds the item again and the
// store recognises it as a duplicate, which is then acknowledged.
#pragma once

#include <string>

#include "core/status.h"

namespace tacit::sources {

class Source {
 public:
  virtual ~Source() = default;
  virtual std::string name() const = 0;
  // Starts watching (the event loop delivers new items from then on) after
  // reading what arrived while tacitd was down.
  virtual Status Start() = 0;
  virtual void Stop() = 0;
  // Reads everything waiting now, synchronously, before a deadline applies
  // (SPEC §2). Returns false when the source could not be fully read (down,
  // unreadable, or an item still being written): the deadline then waits.
  virtual bool Drain() = 0;
};

}  // namespace tacit::sources
