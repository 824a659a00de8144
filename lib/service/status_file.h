// The status file of SPEC §5: a JSON snapshot of every consultation, rewritten
// atomically after every change. Also the counts that tacitctl prints.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/file_system.h"
#include "domain/dates.h"
#include "store/store.h"

namespace tacit::service {

// `waiting`: consultation id -> why its passed deadline is not applied yet.
nlohmann::ordered_json StatusJson(const std::vector<store::ConsultationState>& consultations,
                                  std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                                  const std::map<std::string, std::string>& waiting = {});

// The status file's text, written without building a JSON tree (at 100,000
// units the tree cost a second per write); StatusJson is it parsed. The
// layout is nlohmann's dump(2) and a newline.
std::string StatusFileText(const std::vector<store::ConsultationState>& consultations,
                           std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                           const std::map<std::string, std::string>& waiting = {});

// Reads the store and replaces `path` (write, fsync, rename, fsync dir).
Status WriteStatusFile(store::Store& store, FileSystem& fs, const std::string& path, TimePoint now,
                       const TimeZone& tz, const std::map<std::string, std::string>& waiting = {});
// The same from consultations and the unmatched count already read.
Status WriteStatusFile(FileSystem& fs, const std::string& path,
                       const std::vector<store::ConsultationState>& consultations,
                       std::int64_t unmatched, TimePoint now, const TimeZone& tz,
                       const std::map<std::string, std::string>& waiting = {});

}  // namespace tacit::service
