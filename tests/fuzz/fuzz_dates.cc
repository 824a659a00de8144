// libFuzzer target: every date, time and duration parser that reads text from a
// config, tacitctl or a server: ParseDate (deadline and instant), ParseDuration,
// ParseSlotSpec, ParseClockMinutes and IMAP's ParseInternalDate. A parsed date
// must format again without trouble.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"
#include "domain/dates.h"
#include "domain/reminders.h"
#include "imap/parser.h"

namespace {

const tacit::TimeZone& Zone() {
  static const tacit::TimeZone tz = *tacit::TimeZone::Find("Asia/Ho_Chi_Minh");
  return tz;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256) return 0;  // dates are short; longer inputs teach nothing
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const tacit::TimeZone& tz = Zone();
  for (tacit::DateKind kind : {tacit::DateKind::kDeadline, tacit::DateKind::kInstant}) {
    tacit::Result<tacit::TimePoint> t = tacit::ParseDate(text, tz, kind);
    if (t) {
      (void)tacit::FormatIso(*t, tz);
      (void)tacit::FormatHuman(*t, tz);
      (void)tacit::FormatDeadlineVietnamese(*t, tz);
    } else if (t.error().message().empty()) {
      std::abort();  // every refusal says why
    }
  }
  (void)tacit::ParseDuration(text);
  if (std::optional<int> m = tacit::ParseClockMinutes(text)) {
    if (*m < 0 || *m >= 24 * 60) std::abort();
  }
  if (std::optional<tacit::SlotSpec> s = tacit::ParseSlotSpec(text)) {
    if (s->hour < 0 || s->hour > 23 || s->minute < 0 || s->minute > 59) std::abort();
  }
  if (std::optional<tacit::TimePoint> t = tacit::imap::ParseInternalDate(text)) {
    (void)tacit::FormatIso(*t, tz);
  }
  return 0;
}
