#include "core/log.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace tacit::log {
namespace {

Level g_min_level = Level::kInfo;
int g_journal_style = -1;  // -1: not decided yet
std::mutex g_mutex;

bool JournalStyle() {
  if (g_journal_style < 0) g_journal_style = std::getenv("JOURNAL_STREAM") != nullptr ? 1 : 0;
  return g_journal_style == 1;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kError: return "error";
    case Level::kWarning: return "warning";
    case Level::kNotice: return "notice";
    case Level::kInfo: return "info";
    case Level::kDebug: return "debug";
  }
  return "info";
}

}  // namespace

void SetMinLevel(Level level) { g_min_level = level; }
void SetJournalStyle(bool on) { g_journal_style = on ? 1 : 0; }

void Write(Level level, std::string_view message) {
  if (static_cast<int>(level) > static_cast<int>(g_min_level)) return;
  std::string line;
  if (JournalStyle()) {
    // journald reads one priority per line: a multi-line message (a list of
    // config problems) carries it on every line.
    size_t start = 0;
    while (start <= message.size()) {
      size_t end = message.find('\n', start);
      if (end == std::string_view::npos) end = message.size();
      line += fmt::format("<{}>{}\n", static_cast<int>(level), message.substr(start, end - start));
      start = end + 1;
    }
  } else {
    line = fmt::format("tacit: {}: {}\n", LevelName(level), message);
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace tacit::log
