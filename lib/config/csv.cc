#include "config/csv.h"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

namespace tacit {

Status ForEachCsvRecord(std::string_view text, const CsvRecordFn& each) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string_view> fields;
  // Quoted fields' text, reused record after record; a deque, so that the
  // views of a record's earlier fields stay valid while it grows.
  std::deque<std::string> scratch;
  std::size_t used = 0;
  int line = 1;
  int record_line = 1;
  std::size_t i = 0;
  // The plain text from i up to the field's end (',' or a line end): a CR
  // just before the LF is not part of it; a CR elsewhere is.
  auto plain_run = [&]() -> std::string_view {
    std::size_t end = text.find_first_of(",\n", i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view run = text.substr(i, end - i);
    if (end < text.size() && text[end] == '\n' && !run.empty() && run.back() == '\r') {
      run.remove_suffix(1);
    }
    i = end;
    return run;
  };
  for (;;) {
    // At the start of a field.
    if (i < text.size() && text[i] == '"') {
      const int start_line = line;
      if (used == scratch.size()) scratch.emplace_back();
      std::string& field = scratch[used++];
      field.clear();
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
        // The run up to the next quote at once, counting its newlines.
        std::size_t quote = text.find('"', i);
        if (quote == std::string_view::npos) quote = text.size();
        const std::string_view run = text.substr(i, quote - i);
        line += static_cast<int>(std::count(run.begin(), run.end(), '\n'));
        field.append(run);
        i = quote;
      }
      if (!closed) {
        return Status::BadInput(fmt::format("line {}: unterminated quoted field", start_line));
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return Status::BadInput(fmt::format("line {}: text after closing quote", line));
      }
      // The field ends here, or a CR follows the closing quote: then what
      // comes from the CR up to the field's end is kept as written.
      field.append(plain_run());
      fields.emplace_back(field);
    } else {
      fields.push_back(plain_run());
    }
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;  // the next field, empty if the text ends here
    }
    if (i < text.size()) ++line;  // '\n'
    // A record of one empty field is a blank line.
    if (!(fields.size() == 1 && fields[0].empty())) each(record_line, fields);
    fields.clear();
    used = 0;
    record_line = line;
    if (i < text.size()) ++i;
    if (i >= text.size()) break;
  }
  return Status::Ok();
}

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  std::vector<CsvRecord> records;
  Status s = ForEachCsvRecord(text, [&](int line, std::span<const std::string_view> fields) {
    records.push_back(CsvRecord{line, std::vector<std::string>(fields.begin(), fields.end())});
  });
  if (!s.ok()) return s;
  return records;
}

}  // namespace tacit
