#include "mail/mime.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gmime/gmime.h>

#include "core/hash.h"
#include "extract/extract.h"
#include "mail/html.h"
#include "text/normalize.h"
#include "text/quotes.h"

namespace tacit::mail {
namespace {

// --- GMime resources ---------------------------------------------------------

void InitGMimeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFreeDeleter {
  void operator()(void* p) const { g_free(p); }
};
using GString = std::unique_ptr<char, GFreeDeleter>;

struct OptionsDeleter {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};
using OptionsPtr = std::unique_ptr<GMimeParserOptions, OptionsDeleter>;

struct ReferencesDeleter {
  void operator()(GMimeReferences* p) const { g_mime_references_free(p); }
};

OptionsPtr MakeOptions() {
  OptionsPtr options(g_mime_parser_options_new());
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  // Undeclared 8-bit header text: UTF-8 if it is, else the old Vietnamese code page.
  static const char* kFallback[] = {"utf-8", "windows-1258", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), kFallback);
  return options;
}

// --- Small helpers -----------------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string StripAngles(std::string_view s) {
  std::string t = Trim(s);
  if (t.size() >= 2 && t.front() == '<' && t.back() == '>') t = t.substr(1, t.size() - 2);
  return Trim(t);
}

// Drops control characters other than tab and line breaks (NUL bytes in mail
// text are damage, not content), then NFC.
std::string CleanText(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (char c : utf8) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n') continue;  // CR, NUL, ...
    if (u == 0x7F) continue;
    out += c;
  }
  return text::Nfc(out);
}

// Header text: one line.
std::string CleanLine(std::string_view utf8) {
  std::string out;
  for (char c : utf8) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  return text::Nfc(Trim(out));
}

std::string Header(GMimeObject* object, const char* name) {
  const char* v = g_mime_object_get_header(object, name);
  return v == nullptr ? std::string() : std::string(v);
}

// `charset` bytes to UTF-8 through GMime's iconv (which knows the aliases).
// Text that claims UTF-8 (or nothing) but is not is read as windows-1258.
std::string ToUtf8(std::string_view bytes, std::string charset) {
  charset = Lower(Trim(charset));
  auto convert = [&](const char* from) -> std::optional<std::string> {
    iconv_t cd = g_mime_iconv_open("UTF-8", from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    GString out(g_mime_iconv_strndup(cd, bytes.data(), bytes.size()));
    g_mime_iconv_close(cd);
    if (!out) return std::nullopt;
    return std::string(out.get());
  };
  const bool utf8_claimed = charset.empty() || charset == "utf-8" || charset == "utf8" ||
                            charset == "us-ascii" || charset == "ascii";
  // Bytes that are valid UTF-8 are taken as UTF-8 whatever the label says:
  // webmail often labels UTF-8 text "iso-8859-1" or "windows-1252", and text
  // really in a single-byte code page (windows-1258: letters 0xC0-0xFF, then
  // mostly letters or spaces, not 0x80-0xBF) is practically never valid
  // UTF-8 once it has a non-ASCII letter. The exceptions are the charsets
  // whose text is not ASCII-compatible: wide ones, and 7-bit ones with escape
  // sequences (ISO-2022-JP, UTF-7, HZ) whose bytes are always "valid UTF-8".
  const bool not_ascii_compatible =
      charset.rfind("utf-16", 0) == 0 || charset.rfind("utf-32", 0) == 0 ||
      charset.rfind("ucs-", 0) == 0 || charset.rfind("utf-7", 0) == 0 ||
      charset.rfind("iso-2022", 0) == 0 || charset.rfind("hz", 0) == 0;
  if (!not_ascii_compatible && text::IsValidUtf8(bytes)) return std::string(bytes);
  if (!utf8_claimed) {
    if (auto s = convert(charset.c_str())) return *s;
  }
  if (text::IsValidUtf8(bytes)) return std::string(bytes);
  if (auto s = convert("windows-1258")) return *s;
  return text::SanitizeUtf8(bytes);
}

// Undoes format=flowed (RFC 3676; Thunderbird, Roundcube, Apple Mail): a line
// ending in a space is continued by the next line of the same quote depth (a
// soft break, not the writer's), so "bổ sung \nkinh phí" reads "bổ sung kinh
// phí" and phrases are not cut in two. The signature separator "-- " is not
// a soft break; space-stuffing is removed; with delsp=yes the space before a
// soft break was added by the writer and is dropped. Works on UTF-8 bytes:
// only ' ' and '>' are looked at.
std::string Unflow(std::string_view text, bool delsp) {
  std::string out;
  out.reserve(text.size());
  bool open = false;  // the last line written was flowed: the next may join it
  int open_depth = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    const bool last = eol == text.size();
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (last && line.empty()) break;
    int depth = 0;
    while (static_cast<std::size_t>(depth) < line.size() && line[depth] == '>') ++depth;
    std::string_view content = line.substr(depth);
    if (!content.empty() && content.front() == ' ') content.remove_prefix(1);  // stuffing
    const bool flowed = !content.empty() && content.back() == ' ' && content != "-- ";
    if (open && depth == open_depth) {
      if (delsp && !out.empty() && out.back() == ' ') out.pop_back();
    } else {
      if (!out.empty()) out += '\n';
      if (depth > 0) out += std::string(depth, '>') + " ";
    }
    out += content;
    open = flowed;
    open_depth = depth;
  }
  return out;
}

// Decoded (transfer encoding undone) bytes of a leaf part.
std::string PartBytes(GMimePart* part, std::size_t max_bytes) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  if (array == nullptr) return {};
  std::size_t n = std::min<std::size_t>(array->len, max_bytes);
  return std::string(reinterpret_cast<const char*>(array->data), n);
}

std::string MimeType(GMimeObject* object) {
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  if (ct == nullptr) return "text/plain";
  GString t(g_mime_content_type_get_mime_type(ct));
  return t ? Lower(t.get()) : std::string("application/octet-stream");
}

std::string Charset(GMimeObject* object) {
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  if (ct == nullptr) return {};
  const char* c = g_mime_content_type_get_parameter(ct, "charset");
  return c == nullptr ? std::string() : std::string(c);
}

// A file name fit for archive/.../NAME: the last path component, no control
// characters, no leading dots, at most 150 bytes (extension kept), NFC.
std::string SanitizeName(std::string_view raw) {
  std::string name = text::Nfc(text::SanitizeUtf8(raw));
  std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' ||
        c == '>' || c == '|') {
      out += '_';
    } else {
      out += c;
    }
  }
  out = Trim(out);
  std::size_t start = out.find_first_not_of(". ");
  out = start == std::string::npos ? std::string() : out.substr(start);
  constexpr std::size_t kMaxName = 150;
  if (out.size() > kMaxName) {
    std::size_t dot = out.rfind('.');
    std::string ext = dot != std::string::npos && out.size() - dot <= 10 ? out.substr(dot) : "";
    std::size_t keep = kMaxName - ext.size();
    // Cut at a character boundary.
    while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
    out = out.substr(0, keep) + ext;
  }
  return out;
}

std::string ExtensionFor(const std::string& mime_type) {
  if (mime_type == "application/pdf") return ".pdf";
  if (mime_type == "text/plain") return ".txt";
  if (mime_type == "text/html") return ".html";
  if (mime_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return ".docx";
  if (mime_type == "application/msword") return ".doc";
  if (mime_type == "image/jpeg") return ".jpg";
  if (mime_type == "image/png") return ".png";
  if (mime_type == "message/rfc822") return ".eml";
  return ".bin";
}

// What a delivery status (RFC 3464) says: one block per recipient, each with
// its Final-Recipient (or Original-Recipient) and Action.
struct DeliveryStatus {
  bool any_action = false;  // some block has an Action field
  bool failed = false;      // some block says "Action: failed"
  std::string recipient;    // the first failed recipient, lower-cased; "" if none
};

DeliveryStatus ReadDeliveryStatus(const std::string& status) {
  DeliveryStatus out;
  std::string final_rcpt, original_rcpt, action;
  // Ends one block. A block without an Action (a broken report) still names
  // its recipient, as before, but only "failed" counts as a bounce: "delayed",
  // "delivered", "relayed" and "expanded" are notices, and a delay warning
  // must not mark an address failed (SPEC §3).
  auto finish = [&] {
    std::string rcpt = final_rcpt.empty() ? original_rcpt : final_rcpt;
    if (!action.empty()) out.any_action = true;
    if (action == "failed") out.failed = true;
    if (out.recipient.empty() && !rcpt.empty() && (action.empty() || action == "failed")) {
      out.recipient = rcpt;
    }
    final_rcpt.clear();
    original_rcpt.clear();
    action.clear();
  };
  auto address = [](const std::string& lower) -> std::string {
    size_t semi = lower.find(';');
    if (semi == std::string::npos) return {};
    std::string addr = lower.substr(semi + 1);
    addr.erase(0, addr.find_first_not_of(" \t<"));
    addr.erase(addr.find_last_not_of(" \t\r>") + 1);
    if (addr.find('@') == std::string::npos || addr.size() > 320) return {};
    return addr;
  };
  size_t pos = 0;
  while (pos < status.size()) {
    size_t end = status.find('\n', pos);
    if (end == std::string::npos) end = status.size();
    std::string lower = Lower(status.substr(pos, end - pos));
    pos = end + 1;
    if (Trim(lower).empty()) {
      finish();
    } else if (lower.rfind("final-recipient:", 0) == 0) {
      final_rcpt = address(lower);
    } else if (lower.rfind("original-recipient:", 0) == 0) {
      original_rcpt = address(lower);
    } else if (lower.rfind("action:", 0) == 0) {
      action = Trim(lower.substr(7));
      // "failed (bad destination mailbox address)": the word is what counts.
      action = action.substr(0, action.find_first_of(" \t("));
    }
  }
  finish();
  return out;
}

// The Message-ID in a block of headers (text/rfc822-headers of a report).
std::string MessageIdInHeaders(std::string_view headers) {
  std::size_t pos = 0;
  while (pos < headers.size()) {
    std::size_t eol = headers.find('\n', pos);
    if (eol == std::string_view::npos) eol = headers.size();
    std::string_view line = headers.substr(pos, eol - pos);
    if (line.size() >= 11 && Lower(line.substr(0, 11)) == "message-id:") {
      std::string value(line.substr(11));
      // Folded onto the next line.
      if (Trim(value).empty() && eol < headers.size()) {
        std::size_t next = headers.find('\n', eol + 1);
        value = headers.substr(eol + 1,
                               (next == std::string_view::npos ? headers.size() : next) - eol - 1);
      }
      std::string id = Trim(value);
      std::size_t lt = id.find('<'), gt = id.find('>', lt == std::string::npos ? 0 : lt);
      if (lt != std::string::npos && gt != std::string::npos) id = id.substr(lt + 1, gt - lt - 1);
      return Trim(id);
    }
    pos = eol + 1;
  }
  return {};
}

std::vector<std::string> ParseIds(GMimeParserOptions* options, const std::string& header) {
  std::vector<std::string> ids;
  if (Trim(header).empty()) return ids;
  std::unique_ptr<GMimeReferences, ReferencesDeleter> refs(
      g_mime_references_parse(options, header.c_str()));
  if (refs) {
    for (int i = 0; i < g_mime_references_length(refs.get()); ++i) {
      const char* id = g_mime_references_get_message_id(refs.get(), i);
      if (id != nullptr && *id != '\0') ids.push_back(CleanLine(id));
    }
  }
  if (ids.empty()) {
    // "In-Reply-To: abc@example.vn" without angle brackets.
    std::string t = StripAngles(header);
    if (!t.empty() && t.find_first_of(" \t") == std::string::npos) ids.push_back(CleanLine(t));
  }
  return ids;
}

void CollectAddresses(InternetAddressList* list, std::vector<std::string>& out, int depth = 0) {
  if (list == nullptr || depth > 4) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n && out.size() < 50; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
      if (addr != nullptr && std::strchr(addr, '@') != nullptr) out.push_back(CleanLine(addr));
    } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
      CollectAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out,
                       depth + 1);
    }
  }
}

// Joins runs of adjacent base64 encoded words of one charset ("=?utf-8?B?
// UkU6IFhpbiDDvSBraQ==?= =?utf-8?B?4bq/biBk?=") into a single word. Outlook
// cuts long headers into B words every few bytes, padding each one and
// splitting UTF-8 characters across them. GMime 3.2 decodes such a run as one
// base64 stream, so the first padding ends it: everything after the first
// word was lost ("RE: Xin ý ki"). Decoding each word on its own and
// re-encoding the bytes together keeps split characters whole and GMime's
// charset handling. Anything that is not a well-formed B word is left as is.
std::string JoinBase64Words(std::string_view value) {
  struct Word {
    std::size_t end;      // just after the word, in `value`
    std::string charset;  // lower-case
    std::string bytes;    // decoded
  };
  // The B word starting at `at`, if there is one. Searches are bounded (a
  // charset name is short, a word at most a few hundred characters; RFC 2047
  // says 75) so that a header full of "=?" costs linear time, not quadratic.
  constexpr std::size_t kMaxCharset = 64, kMaxWord = 1024;
  auto word_at = [&](std::size_t at) -> std::optional<Word> {
    if (value.compare(at, 2, "=?") != 0) return std::nullopt;
    std::size_t q1 = value.substr(0, at + 2 + kMaxCharset).find('?', at + 2);
    if (q1 == std::string_view::npos || q1 + 3 >= value.size() || value[q1 + 2] != '?' ||
        (value[q1 + 1] != 'B' && value[q1 + 1] != 'b')) {
      return std::nullopt;
    }
    std::size_t end = value.substr(0, q1 + 3 + kMaxWord).find("?=", q1 + 3);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view data = value.substr(q1 + 3, end - q1 - 3);
    if (data.empty() || data.size() % 4 != 0 ||
        data.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
            std::string_view::npos) {
      return std::nullopt;
    }
    gsize n = 0;
    std::string text(data);
    GString decoded(reinterpret_cast<char*>(g_base64_decode(text.c_str(), &n)));
    return Word{end + 2, Lower(value.substr(at + 2, q1 - at - 2)), std::string(decoded.get(), n)};
  };
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t start = value.find("=?", pos);
    if (start == std::string_view::npos) break;
    std::optional<Word> first = word_at(start);
    if (!first) {
      out.append(value.substr(pos, start + 2 - pos));
      pos = start + 2;
      continue;
    }
    std::string bytes = first->bytes;
    std::size_t end = first->end;
    int words = 1;
    while (true) {
      std::size_t next = value.find_first_not_of(" \t\r\n", end);
      if (next == std::string_view::npos) break;
      std::optional<Word> w = word_at(next);
      if (!w || w->charset != first->charset) break;
      bytes += w->bytes;
      end = w->end;
      ++words;
    }
    out.append(value.substr(pos, start - pos));
    if (words == 1) {
      out.append(value.substr(start, end - start));
    } else {
      GString encoded(g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size()));
      out += "=?" + first->charset + "?B?" + encoded.get() + "?=";
    }
    pos = end;
  }
  out.append(value.substr(std::min(pos, value.size())));
  return out;
}

// The raw (undecoded, unfolded) value of a top-level header, "" if absent.
std::string RawHeader(GMimeObject* object, const char* name) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  if (headers == nullptr) return {};
  GMimeHeader* header = g_mime_header_list_get_header(headers, name);
  if (header == nullptr) return {};
  const char* raw = g_mime_header_get_raw_value(header);
  if (raw == nullptr) return {};
  GString unfolded(g_mime_utils_header_unfold(raw));
  return unfolded ? Trim(unfolded.get()) : std::string();
}

// Old webmail (uploads from Internet Explorer) wrote the whole Windows path,
// unescaped, into a quoted parameter: filename="C:\Documents and
// Settings\Admin\Tra loi.txt". A quoted string reads "\D" as "D", so GMime
// gives "C:Documents and SettingsAdminTra loi.txt" and the path cannot be cut
// off any more. When the raw quoted value holds a backslash, the part after
// the last one is the name (decoded); "" otherwise.
std::string WindowsPathLastPart(GMimeObject* object, GMimeParserOptions* options) {
  for (const char* header : {"Content-Disposition", "Content-Type"}) {
    const std::string raw = RawHeader(object, header);
    const std::string lower = Lower(raw);
    for (std::string_view param : {std::string_view("filename=\""), std::string_view("name=\"")}) {
      std::size_t at = lower.find(param);
      // "name=" must be a parameter of its own, not the end of "filename=".
      while (at != std::string::npos && at > 0 && lower[at - 1] != ';' && lower[at - 1] != ' ' &&
             lower[at - 1] != '\t') {
        at = lower.find(param, at + 1);
      }
      if (at == std::string::npos) continue;
      const std::size_t start = at + param.size();
      const std::size_t end = raw.find('"', start);
      if (end == std::string::npos) continue;
      const std::string value = raw.substr(start, end - start);
      const std::size_t backslash = value.rfind('\\');
      if (backslash == std::string::npos || backslash + 1 >= value.size()) continue;
      GString decoded(
          g_mime_utils_header_decode_text(options, value.substr(backslash + 1).c_str()));
      if (decoded) return Trim(decoded.get());
    }
  }
  return {};
}

// The display name of the first mailbox (looking into groups), decoded.
std::string FirstName(InternetAddressList* list, int depth = 0) {
  if (list == nullptr || depth > 4) return {};
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      const char* name = internet_address_get_name(a);
      return name == nullptr ? std::string() : CleanLine(text::SanitizeUtf8(name));
    }
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      std::string name =
          FirstName(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), depth + 1);
      if (!name.empty()) return name;
    }
  }
  return {};
}

// Counts what the GMime parser would build, before it builds it: MIME
// containers (multipart/*, message/*) and the longest line of the top-level
// header. GMime recurses per nesting level, so a message nested a thousand
// deep is refused here rather than handed to it.
Status PreScan(std::string_view raw, const Limits& limits) {
  std::size_t containers = 0;
  std::size_t pos = 0;
  bool in_header = true;
  while (pos < raw.size()) {
    std::size_t eol = raw.find('\n', pos);
    if (eol == std::string_view::npos) eol = raw.size();
    std::string_view line = raw.substr(pos, eol - pos);
    if (in_header) {
      if (line.size() > limits.max_header_line) {
        return Status::BadInput(
            fmt::format("header line of {} bytes (limit {})", line.size(), limits.max_header_line));
      }
      if (line.empty() || line == "\r") in_header = false;
    }
    if (line.size() >= 13 && (line[0] == 'c' || line[0] == 'C')) {
      std::string head = Lower(line.substr(0, std::min<std::size_t>(line.size(), 40)));
      if (head.rfind("content-type:", 0) == 0) {
        std::string value = Trim(head.substr(13));
        if (value.rfind("multipart/", 0) == 0 || value.rfind("message/", 0) == 0) {
          if (++containers > limits.max_parts) {
            return Status::BadInput(
                fmt::format("more than {} MIME containers (limit on parts)", limits.max_parts));
          }
        }
      }
    }
    pos = eol + 1;
  }
  return Status::Ok();
}

// --- The walk ----------------------------------------------------------------

class Walker {
 public:
  Walker(const Limits& limits, GMimeParserOptions* options, ParsedMessage& out)
      : limits_(limits), options_(options), out_(out) {}

  Status Walk(GMimeObject* object, int depth, bool in_report) {
    if (object == nullptr) return Status::Ok();
    if (depth > limits_.max_depth) {
      return Status::BadInput(fmt::format("MIME nesting deeper than {}", limits_.max_depth));
    }
    if (++parts_ > limits_.max_parts) {
      return Status::BadInput(fmt::format("more than {} MIME parts", limits_.max_parts));
    }
    const std::string type = MimeType(object);
    if (type == "message/delivery-status" || type == "message/global-delivery-status") {
      status_seen_ = true;
      if (GMIME_IS_PART(object)) {
        DeliveryStatus status =
            ReadDeliveryStatus(PartBytes(GMIME_PART(object), limits_.max_bytes));
        status_any_action_ = status_any_action_ || status.any_action;
        status_failed_ = status_failed_ || status.failed;
        if (bounced_recipient_.empty()) bounced_recipient_ = status.recipient;
      }
      return Status::Ok();
    }
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* mp = GMIME_MULTIPART(object);
      const int n = g_mime_multipart_get_count(mp);
      if (type == "multipart/report") {
        // A read receipt (report-type=disposition-notification, RFC 8098) is
        // machine-made, not a reply, and says the letter arrived: never a bounce.
        const char* report_type = g_mime_content_type_get_parameter(
            g_mime_object_get_content_type(object), "report-type");
        if (report_type != nullptr && Lower(report_type) == "disposition-notification") {
          read_receipt_ = true;
        } else {
          report_ = true;
        }
        in_report = true;
      }
      if (n == 0) {
        // No boundary (or none found): the prologue is all there is.
        const char* prologue = g_mime_multipart_get_prologue(mp);
        if (prologue != nullptr) AddBody(prologue, /*html=*/false);
        return Status::Ok();
      }
      if (type == "multipart/alternative") {
        int chosen = -1;
        for (int i = 0; i < n && chosen < 0; ++i) {
          if (MimeType(g_mime_multipart_get_part(mp, i)) == "text/plain") chosen = i;
        }
        for (int i = 0; i < n && chosen < 0; ++i) {
          if (MimeType(g_mime_multipart_get_part(mp, i)) == "text/html") chosen = i;
        }
        for (int i = 0; i < n && chosen < 0; ++i) {
          // multipart/related (HTML with its images) and the like.
          if (GMIME_IS_MULTIPART(g_mime_multipart_get_part(mp, i))) chosen = i;
        }
        if (chosen < 0) chosen = 0;
        return Walk(g_mime_multipart_get_part(mp, chosen), depth + 1, in_report);
      }
      for (int i = 0; i < n; ++i) {
        if (Status s = Walk(g_mime_multipart_get_part(mp, i), depth + 1, in_report); !s.ok()) {
          return s;
        }
      }
      return Status::Ok();
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (inner == nullptr) return Status::Ok();
      if (in_report) {
        // The bounced message: its Message-ID links the report to what we sent.
        const char* id = g_mime_message_get_message_id(inner);
        if (id != nullptr && *id != '\0' && bounced_id_.empty()) bounced_id_ = CleanLine(id);
        return Status::Ok();
      }
      // A forwarded message: its text is quoted material, never the sender's own.
      ParsedMessage nested;
      Walker w(limits_, options_, nested);
      w.parts_ = parts_;
      Status s = w.Walk(g_mime_message_get_mime_part(inner), depth + 1, false);
      parts_ = w.parts_;
      if (!s.ok()) return s;
      std::string forwarded = w.Body();
      if (!forwarded.empty()) quoted_extra_.push_back(std::move(forwarded));
      // A forward of a forward: the inner message's text is quoted as well.
      for (const std::string& q : w.quoted_extra()) quoted_extra_.push_back(q);
      for (auto& a : nested.attachments) AddAttachment(std::move(a.name), a.content_type, a.bytes);
      return Status::Ok();
    }
    if (!GMIME_IS_PART(object)) return Status::Ok();
    GMimePart* part = GMIME_PART(object);
    if (type == "text/rfc822-headers") {
      if (in_report && bounced_id_.empty()) {
        bounced_id_ = CleanLine(MessageIdInHeaders(PartBytes(part, limits_.max_bytes)));
      }
      return Status::Ok();
    }
    const char* filename = g_mime_part_get_filename(part);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
    const bool attachment =
        filename != nullptr ||
        (disposition != nullptr && g_mime_content_disposition_is_attachment(disposition));
    const bool text_part = type == "text/plain" || type == "text/html";
    if (text_part && !attachment) {
      std::string bytes = PartBytes(part, limits_.max_bytes);
      std::string utf8 = ToUtf8(bytes, Charset(object));
      GMimeContentType* ct = g_mime_object_get_content_type(object);
      const char* format =
          ct == nullptr ? nullptr : g_mime_content_type_get_parameter(ct, "format");
      if (type == "text/plain" && format != nullptr && Lower(Trim(format)) == "flowed") {
        const char* delsp = g_mime_content_type_get_parameter(ct, "delsp");
        utf8 = Unflow(utf8, delsp != nullptr && Lower(Trim(delsp)) == "yes");
      }
      AddBody(utf8, type == "text/html");
      return Status::Ok();
    }
    if (in_report) return Status::Ok();  // nothing of a report is an attachment
    std::string name = filename != nullptr ? std::string(filename) : std::string();
    if (std::string last = WindowsPathLastPart(object, options_); !last.empty()) name = last;
    AddAttachment(std::move(name), type, PartBytes(part, limits_.max_bytes));
    return Status::Ok();
  }

  // The body: the text parts in order, HTML converted.
  std::string Body() const {
    std::string body;
    for (const std::string& b : bodies_) {
      if (b.empty()) continue;
      if (!body.empty()) body += "\n\n";
      body += b;
    }
    return body;
  }
  const std::vector<std::string>& quoted_extra() const { return quoted_extra_; }
  const std::string& bounced_id() const { return bounced_id_; }
  const std::string& bounced_recipient() const { return bounced_recipient_; }
  // A delivery report that says something bounced: multipart/report (not a
  // read receipt) or a delivery status, unless every recipient block of the
  // status has an Action and none is "failed" (a delay or success notice).
  bool bounce() const {
    const bool notice_only = status_seen_ && status_any_action_ && !status_failed_;
    return (report_ || status_seen_) && !notice_only;
  }
  // A read receipt or a delivery notice: machine-made, not a reply, not a bounce.
  bool notice() const { return read_receipt_ || ((report_ || status_seen_) && !bounce()); }

 private:
  void AddBody(std::string_view utf8, bool html) {
    bodies_.push_back(CleanText(html ? HtmlToText(utf8) : std::string(utf8)));
  }

  void AddAttachment(std::string raw_name, const std::string& type, std::string bytes) {
    std::string name = SanitizeName(raw_name);
    if (name.empty()) {
      name = fmt::format("attachment-{}{}", out_.attachments.size() + 1, ExtensionFor(type));
    }
    // Unique within the message: they are archived side by side.
    if (names_.count(name) > 0) {
      std::size_t dot = name.rfind('.');
      std::string stem = dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
      std::string ext = dot == std::string::npos || dot == 0 ? "" : name.substr(dot);
      for (int i = 2;; ++i) {
        std::string next = fmt::format("{} ({}){}", stem, i, ext);
        if (names_.count(next) == 0) {
          name = next;
          break;
        }
      }
    }
    names_.insert(name);
    match::Attachment a;
    a.name = name;
    extract::Kind kind = extract::KindOf(name);
    if (kind == extract::Kind::kText || kind == extract::Kind::kDocx ||
        kind == extract::Kind::kPdf) {
      extract::Limits el;
      el.max_bytes = limits_.max_bytes;
      Result<extract::Extracted> text = extract::ExtractText(kind, bytes, el);
      if (text) a.text = std::move(text->text);  // else: kept without text
    }
    out_.candidate.attachments.push_back(std::move(a));
    out_.attachments.push_back(AttachmentData{name, type, std::move(bytes)});
  }

  const Limits& limits_;
  GMimeParserOptions* options_;
  ParsedMessage& out_;
  std::size_t parts_ = 0;
  std::vector<std::string> bodies_;
  std::vector<std::string> quoted_extra_;
  std::set<std::string> names_;
  std::string bounced_id_;
  std::string bounced_recipient_;
  bool report_ = false;        // multipart/report other than a read receipt
  bool read_receipt_ = false;  // multipart/report; report-type=disposition-notification
  bool status_seen_ = false;   // a message/delivery-status part
  bool status_any_action_ = false;
  bool status_failed_ = false;
};

bool IsAutoSubmitted(GMimeObject* object) {
  std::string auto_submitted = Lower(Trim(Header(object, "Auto-Submitted")));
  if (!auto_submitted.empty() && auto_submitted != "no") return true;
  if (g_mime_object_get_header(object, "X-Autoreply") != nullptr) return true;
  if (g_mime_object_get_header(object, "X-Autorespond") != nullptr) return true;
  std::string precedence = Lower(Trim(Header(object, "Precedence")));
  return precedence == "auto_reply";
}

}  // namespace

Result<ParsedMessage> ParseMessage(std::string_view raw, const Limits& limits) {
  if (raw.size() > limits.max_bytes) {
    return Status::BadInput(
        fmt::format("message is {} bytes (limit {})", raw.size(), limits.max_bytes));
  }
  if (Trim(raw).empty()) return Status::BadInput("empty message");
  if (Status s = PreScan(raw, limits); !s.ok()) return s;
  InitGMimeOnce();

  // GMime keeps header values as C strings: a NUL byte in the header would
  // cut the Subject or From short ("Nul\0 bytes" read as "Nul"). NULs are
  // damage, not content: they are dropped from the top-level header of a
  // copy. The body is binary-safe, and the content hash stays that of the
  // bytes received.
  std::string header_fixed;
  std::string_view input = raw;
  std::size_t header_end = raw.find("\n\n");
  if (std::size_t crlf = raw.find("\n\r\n"); crlf < header_end) header_end = crlf;
  if (header_end == std::string_view::npos) header_end = raw.size();
  if (raw.substr(0, header_end).find('\0') != std::string_view::npos) {
    header_fixed.assign(raw);
    auto header_stop = header_fixed.begin() + static_cast<std::ptrdiff_t>(header_end);
    header_fixed.erase(std::remove(header_fixed.begin(), header_stop, '\0'), header_stop);
    input = header_fixed;
  }
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(input.data(), input.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  OptionsPtr options = MakeOptions();
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!message) return Status::BadInput("not a mail message: no header found");
  GMimeObject* object = GMIME_OBJECT(message.get());

  ParsedMessage out;
  match::Candidate& c = out.candidate;
  // From and Subject are decoded again from their raw values with split base64
  // words joined (JoinBase64Words); GMime's own result is the fallback.
  InternetAddressList* from = g_mime_message_get_from(message.get());
  GPtr<InternetAddressList> from_joined;
  if (std::string raw_from = RawHeader(object, "From"); raw_from.find("=?") != std::string::npos) {
    from_joined.reset(
        internet_address_list_parse(options.get(), JoinBase64Words(raw_from).c_str()));
    if (from_joined && internet_address_list_length(from_joined.get()) > 0) {
      from = from_joined.get();
    }
  }
  CollectAddresses(from, c.from);
  out.from_name = FirstName(from);
  if (std::string raw_subject = RawHeader(object, "Subject");
      raw_subject.find("=?") != std::string::npos) {
    GString decoded(
        g_mime_utils_header_decode_text(options.get(), JoinBase64Words(raw_subject).c_str()));
    if (decoded) c.subject = CleanLine(text::SanitizeUtf8(decoded.get()));
  } else if (const char* subject = g_mime_message_get_subject(message.get())) {
    c.subject = CleanLine(text::SanitizeUtf8(subject));
  }
  if (const char* id = g_mime_message_get_message_id(message.get()); id != nullptr && *id) {
    std::string clean = CleanLine(text::SanitizeUtf8(id));
    if (!clean.empty()) c.message_id = clean;
  }
  std::vector<std::string> in_reply_to = ParseIds(options.get(), Header(object, "In-Reply-To"));
  if (!in_reply_to.empty()) c.in_reply_to = in_reply_to.front();
  c.references = ParseIds(options.get(), Header(object, "References"));
  c.date_header = CleanLine(text::SanitizeUtf8(Header(object, "Date")));
  c.auto_submitted = IsAutoSubmitted(object);
  if (c.from.empty() && !c.message_id && c.subject.empty() && c.date_header.empty()) {
    return Status::BadInput("not a mail message: no From, Subject, Date or Message-ID header");
  }

  Walker walker(limits, options.get(), out);
  if (Status s = walker.Walk(g_mime_message_get_mime_part(message.get()), 0, false); !s.ok()) {
    return s;
  }
  c.delivery_report = walker.bounce();
  if (walker.notice()) c.auto_submitted = true;
  if (c.delivery_report && !walker.bounced_id().empty()) c.in_reply_to = walker.bounced_id();
  if (c.delivery_report) c.bounced_recipient = walker.bounced_recipient();

  text::SplitText split = text::SplitQuoted(walker.Body());
  c.own_text = std::move(split.own);
  c.quoted_text = std::move(split.quoted);
  for (const std::string& q : walker.quoted_extra()) {
    if (!c.quoted_text.empty()) c.quoted_text += "\n\n";
    c.quoted_text += q;
  }
  c.content_hash = Sha256Hex(raw);
  return out;
}

}  // namespace tacit::mail
