#include "config/csv.h"

#include <fmt/format.h>

namespace tacit {
namespace {

bool IsBlank(const CsvRecord& r) { return r.fields.size() == 1 && r.fields[0].empty(); }

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRecord> records;
  CsvRecord record{1, {}};
  std::string field;
  int line = 1;
  size_t i = 0;
  auto end_record = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    if (!IsBlank(record)) records.push_back(std::move(record));
    record = CsvRecord{line, {}};
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.empty()) {
      int start_line = line;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field.push_back(text[i++]);
      }
      if (!closed)
        return Status::BadInput(fmt::format("line {}: unterminated quoted field", start_line));
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return Status::BadInput(fmt::format("line {}: text after closing quote", line));
      }
      continue;
    }
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
    } else if (c == '\n') {
      ++line;
      ++i;
      end_record();
    } else {
      field.push_back(c);
      ++i;
    }
  }
  if (!field.empty() || !record.fields.empty()) end_record();
  return records;
}

}  // namespace tacit
