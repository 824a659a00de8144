// A small RFC 4180 CSV reader: quoted fields (with "" for a quote, commas and
// newlines inside), CRLF or LF line ends, a UTF-8 BOM skipped. Each record keeps
// the line it starts on so errors can name it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tacit {

struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// Error (kBadInput): "line N: unterminated quoted field" or "line N: text after closing quote".
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

}  // namespace tacit
