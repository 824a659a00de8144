#include "extract/extract.h"

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "extract/extractors.h"
#include "extract/helper.h"

namespace tacit::extract {

bool EndsWithNoCase(std::string_view name, std::string_view suffix) {
  if (name.size() < suffix.size()) return false;
  const std::string_view tail = name.substr(name.size() - suffix.size());
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = tail[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

Kind KindOf(std::string_view file_name) {
  // Only the last path component counts: "a.pdf/notes" is not a PDF.
  const size_t slash = file_name.find_last_of('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  if (EndsWithNoCase(file_name, ".txt") || EndsWithNoCase(file_name, ".text")) return Kind::kText;
  if (EndsWithNoCase(file_name, ".docx")) return Kind::kDocx;
  if (EndsWithNoCase(file_name, ".pdf")) return Kind::kPdf;
  if (EndsWithNoCase(file_name, ".eml")) return Kind::kEml;
  return Kind::kOther;
}

Result<Extracted> ExtractText(Kind kind, std::string_view bytes, const Limits& limits) {
  // Unsupported kinds first: their size is the caller's business, not ours.
  if (kind == Kind::kEml) return Status::NotFound("eml extraction is not built in yet");
  if (kind == Kind::kOther) return Status::NotFound("no text extractor for this file type");
  if (bytes.size() > limits.max_bytes) {
    return Status::BadInput(
        fmt::format("file is {} bytes (limit {})", bytes.size(), limits.max_bytes));
  }
  switch (kind) {
    case Kind::kText: return DecodeText(bytes);
    case Kind::kDocx: return internal::ExtractDocx(bytes, limits);
    case Kind::kPdf:
      return helper::ExtractPdfRemote(bytes, limits);  // poppler runs in tacit-extract
    case Kind::kEml:
    case Kind::kOther: break;
  }
  return Status::NotFound("no text extractor for this file type");
}

}  // namespace tacit::extract
