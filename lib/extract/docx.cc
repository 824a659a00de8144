// ExtractDocx: the text of a Word .docx, read from memory with libzip and
// parsed with pugixml, never inflating more than Limits allow.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>
#include <zip.h>

#include "core/status.h"
#include "extract/extract.h"
#include "extract/extractors.h"
#include "text/normalize.h"

namespace tacit::extract::internal {
namespace {

constexpr char kDocumentPart[] = "word/document.xml";
// Optional parts whose text is worth having, read after the body.
constexpr const char* kTrailingParts[] = {"word/footnotes.xml", "word/endnotes.xml"};
// An entry that inflates to no more than this is never refused for its ratio:
// small, very regular XML can legitimately compress well, and the total
// stays bounded by max_uncompressed anyway.
constexpr std::uint64_t kRatioFloor = 1u << 20;
constexpr size_t kReadChunk = 64u << 10;
// Compound File Binary (OLE2) signature: what Word writes for a .docx
// encrypted with a password, and what an old .doc renamed to .docx holds.
constexpr std::string_view kOleSignature = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

struct ZipDiscard {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct ZipFileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;

// libzip's and pugixml's messages start with a capital; ours do not.
std::string LowerFirst(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

bool TooDeflated(std::uint64_t inflated, std::uint64_t compressed, const Limits& limits) {
  return inflated > kRatioFloor &&
         static_cast<double>(inflated) >
             limits.max_ratio * static_cast<double>(std::max<std::uint64_t>(compressed, 1));
}

std::string ZipBomb(std::string_view why) {
  return fmt::format("docx: {}: refused as a zip bomb", why);
}

// Opens `bytes` (not copied: they must outlive the archive) as a zip archive.
Result<ZipPtr> OpenZip(std::string_view bytes) {
  if (bytes.starts_with(kOleSignature)) {
    return Status::BadInput(
        "docx: is not a zip archive but an OLE file (encrypted with a password, or an old .doc)");
  }
  // libzip opens an empty buffer as an empty archive.
  if (bytes.empty()) return Status::BadInput("docx: cannot be read as a zip archive: empty file");
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (archive == nullptr) {
    const std::string why = zip_error_code_zip(&error) == ZIP_ER_NOZIP
                                ? "not a zip archive"
                                : LowerFirst(zip_error_strerror(&error));
    if (source) zip_source_free(source);  // zip_open_from_source took it only on success
    zip_error_fini(&error);
    return Status::BadInput("docx: cannot be read as a zip archive: " + why);
  }
  zip_error_fini(&error);
  return ZipPtr(archive);
}

// Appends the inflated entry `index` (called `name`) to `*out`. `*inflated`
// counts the bytes inflated so far from this archive and is checked, with
// the entry's ratio, against `limits` both before reading (declared sizes)
// and after every chunk (what really came out: declared sizes can lie).
Status ReadEntry(zip_t* archive, zip_uint64_t index, const std::string& name, const Limits& limits,
                 std::uint64_t* inflated, std::string* out) {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive, index, 0, &stat) != 0) {
    return Status::BadInput(fmt::format("docx: {}: {}", name, LowerFirst(zip_strerror(archive))));
  }
  if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE) {
    return Status::BadInput(fmt::format("docx: {} is encrypted", name));
  }
  const std::uint64_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE) ? stat.comp_size : 0;
  const std::uint64_t declared = (stat.valid & ZIP_STAT_SIZE) ? stat.size : 0;
  const std::uint64_t budget =
      limits.max_uncompressed > *inflated ? limits.max_uncompressed - *inflated : 0;
  if (TooDeflated(declared, compressed, limits)) {
    const double ratio =
        static_cast<double>(declared) / static_cast<double>(std::max<std::uint64_t>(compressed, 1));
    return Status::BadInput(
        ZipBomb(fmt::format("{} inflates {:.0f}x (limit {:g}x)", name, ratio, limits.max_ratio)));
  }
  if (declared > budget) {
    return Status::BadInput(ZipBomb(fmt::format("{} inflates to {} bytes (limit {} in all)", name,
                                                declared, limits.max_uncompressed)));
  }
  ZipFilePtr file(zip_fopen_index(archive, index, 0));
  if (!file) {
    return Status::BadInput(
        fmt::format("docx: {} cannot be read: {}", name, LowerFirst(zip_strerror(archive))));
  }
  const size_t start = out->size();
  out->reserve(start + declared);
  std::uint64_t got = 0;
  while (true) {
    // Ask for one byte more than the budget allows, so that going over shows.
    const std::uint64_t want = std::min<std::uint64_t>(kReadChunk, budget - got + 1);
    out->resize(start + got + want);
    const zip_int64_t n = zip_fread(file.get(), out->data() + start + got, want);
    if (n < 0) {
      return Status::BadInput(
          fmt::format("docx: {} is damaged: {}", name, LowerFirst(zip_file_strerror(file.get()))));
    }
    got += static_cast<std::uint64_t>(n);
    out->resize(start + got);
    if (got > budget) {
      return Status::BadInput(ZipBomb(
          fmt::format("{} inflates beyond {} bytes in all", name, limits.max_uncompressed)));
    }
    if (TooDeflated(got, compressed, limits)) {
      return Status::BadInput(ZipBomb(
          fmt::format("{} inflates beyond {:g}x, more than it declares", name, limits.max_ratio)));
    }
    if (n == 0) break;
  }
  *inflated += got;
  return Status::Ok();
}

// "w:tab" -> "tab": the namespace prefix is the writer's choice.
std::string_view LocalName(const char* qualified) {
  std::string_view name(qualified);
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Turns the WordprocessingML tree into lines (see ExtractText in extract.h).
// Iterative, so that deeply nested XML cannot overflow the stack.
class TextWriter {
 public:
  explicit TextWriter(std::string* out) : out_(out) {}

  void Write(const pugi::xml_node& root) {
    pugi::xml_node node = root.first_child();
    while (node) {
      if (Enter(node) && node.first_child()) {
        node = node.first_child();
        continue;
      }
      Leave(node);
      while (!node.next_sibling()) {
        node = node.parent();
        if (!node || node == root) return;
        Leave(node);
      }
      node = node.next_sibling();
    }
  }

 private:
  // Handles the start of `node`; true when its children should be visited.
  bool Enter(const pugi::xml_node& node) {
    if (node.type() != pugi::node_element) return false;
    const std::string_view name = LocalName(node.name());
    if (name == "t") {
      for (pugi::xml_node child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
          out_->append(child.value());
        }
      }
      return false;
    }
    if (name == "tab" || name == "ptab") {
      // A tab inside a cell would read as a cell boundary.
      out_->push_back(cell_depth_ > 0 ? ' ' : '\t');
    } else if (name == "br" || name == "cr") {
      out_->push_back(cell_depth_ > 0 ? ' ' : '\n');
    } else if (name == "noBreakHyphen") {
      out_->push_back('-');
    } else if (name == "tc") {
      ++cell_depth_;
    }
    // Properties hold tab stops, not tabs; deleted text, field codes and the
    // fallback copy of a text box are not part of what the letter says.
    return name != "pPr" && name != "rPr" && name != "sectPr" && name != "tblPr" &&
           name != "trPr" && name != "tcPr" && name != "delText" && name != "instrText" &&
           name != "Fallback";
  }

  void Leave(const pugi::xml_node& node) {
    if (node.type() != pugi::node_element) return;
    const std::string_view name = LocalName(node.name());
    if (name == "p") {
      out_->push_back(cell_depth_ > 0 ? ' ' : '\n');
    } else if (name == "tc" && cell_depth_ > 0) {
      while (!out_->empty() && out_->back() == ' ') out_->pop_back();
      --cell_depth_;
      out_->push_back(cell_depth_ > 0 ? ' ' : '\t');
    } else if (name == "tr") {
      if (cell_depth_ > 0) {
        out_->push_back(' ');
      } else if (!out_->empty() && out_->back() == '\t') {
        out_->back() = '\n';
      } else {
        out_->push_back('\n');
      }
    }
  }

  std::string* out_;
  int cell_depth_ = 0;
};

// Parses the XML part `xml` (modified in place) and appends its text.
Status AppendPartText(const std::string& name, std::string* xml, std::string* out) {
  pugi::xml_document doc;
  // parse_ws_pcdata keeps <w:t xml:space="preserve"> </w:t>. pugixml never
  // reads DTDs or expands entities beyond the predefined ones.
  const pugi::xml_parse_result parsed = doc.load_buffer_inplace(
      xml->data(), xml->size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_auto);
  if (!parsed) {
    return Status::BadInput(fmt::format("docx: {} is not well-formed XML: {} at byte {}", name,
                                        LowerFirst(parsed.description()), parsed.offset));
  }
  TextWriter(out).Write(doc);
  return Status::Ok();
}

// Reads and converts one part, by index.
Status AppendPart(zip_t* archive, zip_uint64_t index, const std::string& name, const Limits& limits,
                  std::uint64_t* inflated, std::string* out) {
  std::string xml;
  if (Status s = ReadEntry(archive, index, name, limits, inflated, &xml); !s.ok()) return s;
  return AppendPartText(name, &xml, out);
}

// word/header1.xml, word/header2.xml, ...: names and indices, in name order.
std::vector<std::pair<std::string, zip_uint64_t>> HeaderParts(zip_t* archive) {
  std::vector<std::pair<std::string, zip_uint64_t>> parts;
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* raw = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
    if (raw == nullptr) continue;
    std::string name(raw);
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    // Only the names Word writes (header1.xml, ...): a name from the archive
    // may end up in a quarantine reason, which must stay one plain line.
    constexpr std::string_view kPrefix = "word/header";
    constexpr std::string_view kSuffix = ".xml";
    if (lower.size() <= kPrefix.size() + kSuffix.size() || !lower.starts_with(kPrefix) ||
        !lower.ends_with(kSuffix)) {
      continue;
    }
    const std::string_view number = std::string_view(lower).substr(
        kPrefix.size(), lower.size() - kPrefix.size() - kSuffix.size());
    if (number.find_first_not_of("0123456789") == std::string_view::npos) {
      parts.emplace_back(std::move(name), static_cast<zip_uint64_t>(i));
    }
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

}  // namespace

Result<Extracted> ExtractDocx(std::string_view bytes, const Limits& limits) {
  Result<ZipPtr> opened = OpenZip(bytes);
  if (!opened) return opened.error();
  zip_t* archive = opened->get();
  // Part names are case-insensitive in OPC packages.
  const zip_int64_t body = zip_name_locate(archive, kDocumentPart, ZIP_FL_NOCASE);
  if (body < 0) return Status::BadInput("docx: has no word/document.xml (not a Word document)");

  std::uint64_t inflated = 0;
  std::string text;
  for (const auto& [name, index] : HeaderParts(archive)) {
    if (Status s = AppendPart(archive, index, name, limits, &inflated, &text); !s.ok()) return s;
  }
  if (Status s = AppendPart(archive, static_cast<zip_uint64_t>(body), kDocumentPart, limits,
                            &inflated, &text);
      !s.ok()) {
    return s;
  }
  for (const char* part : kTrailingParts) {
    const zip_int64_t index = zip_name_locate(archive, part, ZIP_FL_NOCASE);
    if (index < 0) continue;
    if (Status s =
            AppendPart(archive, static_cast<zip_uint64_t>(index), part, limits, &inflated, &text);
        !s.ok()) {
      return s;
    }
  }
  Extracted result;
  result.text = text::Nfc(text);
  result.encoding = "docx";
  return result;
}

}  // namespace tacit::extract::internal
