// A small RFC 4180 CSV reader: quoted fields (with "" for a quote, commas and
// newlines inside), CRLF or LF line ends, a UTF-8 BOM skipped. Each record keeps
// the line it starts on so errors can name it. Blank lines are skipped.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tacit {

struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// Calls `each(line, fields)` for every record in order. The views point into
// `text` (a field as written) or into a buffer that the next record reuses (a
// quoted field), so they are valid only during the call. Nothing is copied
// for an unquoted field: a units file of 100,000 lines is read without an
// allocation per field.
// Error (kBadInput): "line N: unterminated quoted field" or "line N: text after
// closing quote"; records before the error have been passed to `each`.
using CsvRecordFn = std::function<void(int line, std::span<const std::string_view> fields)>;
Status ForEachCsvRecord(std::string_view text, const CsvRecordFn& each);

// The same, collected.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

}  // namespace tacit
