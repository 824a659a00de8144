// Logging to stderr with priorities. Under systemd (JOURNAL_STREAM set) each line
// starts with a "<N>" syslog priority prefix that journald understands; otherwise
// a level name. Nothing secret is ever passed here.
#pragma once

#include <string_view>

#include <fmt/format.h>

namespace tacit::log {

enum class Level { kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

// Lines below this level are dropped. Default kInfo.
void SetMinLevel(Level level);
// Forces the journald prefix style on or off (default: decided by JOURNAL_STREAM).
void SetJournalStyle(bool on);
void Write(Level level, std::string_view message);

template <typename... Args>
void Error(fmt::format_string<Args...> f, Args&&... args) {
  Write(Level::kError, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Warn(fmt::format_string<Args...> f, Args&&... args) {
  Write(Level::kWarning, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Notice(fmt::format_string<Args...> f, Args&&... args) {
  Write(Level::kNotice, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Info(fmt::format_string<Args...> f, Args&&... args) {
  Write(Level::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Debug(fmt::format_string<Args...> f, Args&&... args) {
  Write(Level::kDebug, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace tacit::log
