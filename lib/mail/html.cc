#include "mail/html.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>

namespace tacit::mail {
namespace {

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The named entities mail clients write, with the Latin letters of Vietnamese.
const std::unordered_map<std::string_view, std::uint32_t>& NamedEntities() {
  static const auto* map = new std::unordered_map<std::string_view, std::uint32_t>{
      {"nbsp", 0xA0},     {"amp", '&'},      {"lt", '<'},       {"gt", '>'},
      {"quot", '"'},      {"apos", '\''},    {"ndash", 0x2013}, {"mdash", 0x2014},
      {"lsquo", 0x2018},  {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
      {"hellip", 0x2026}, {"bull", 0x2022},  {"middot", 0xB7},  {"laquo", 0xAB},
      {"raquo", 0xBB},    {"copy", 0xA9},    {"reg", 0xAE},     {"euro", 0x20AC},
      {"deg", 0xB0},      {"shy", 0xAD},     {"zwnj", 0x200C},  {"zwj", 0x200D},
      {"Agrave", 0xC0},   {"Aacute", 0xC1},  {"Acirc", 0xC2},   {"Atilde", 0xC3},
      {"Egrave", 0xC8},   {"Eacute", 0xC9},  {"Ecirc", 0xCA},   {"Igrave", 0xCC},
      {"Iacute", 0xCD},   {"Ograve", 0xD2},  {"Oacute", 0xD3},  {"Ocirc", 0xD4},
      {"Otilde", 0xD5},   {"Ugrave", 0xD9},  {"Uacute", 0xDA},  {"Yacute", 0xDD},
      {"agrave", 0xE0},   {"aacute", 0xE1},  {"acirc", 0xE2},   {"atilde", 0xE3},
      {"egrave", 0xE8},   {"eacute", 0xE9},  {"ecirc", 0xEA},   {"igrave", 0xEC},
      {"iacute", 0xED},   {"ograve", 0xF2},  {"oacute", 0xF3},  {"ocirc", 0xF4},
      {"otilde", 0xF5},   {"ugrave", 0xF9},  {"uacute", 0xFA},  {"yacute", 0xFD},
      {"times", 0xD7},    {"divide", 0xF7},  {"sect", 0xA7},    {"para", 0xB6},
  };
  return *map;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, std::size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[at + i]) != prefix[i]) return false;
  }
  return true;
}

// Finds `needle` (lower-case ASCII) in `s` from `from`, case-insensitively.
std::size_t FindNoCase(std::string_view s, std::size_t from, std::string_view needle) {
  for (std::size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (StartsWithNoCase(s, i, needle)) return i;
  }
  return std::string_view::npos;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Elements whose start or end begins a new line.
bool IsBlock(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {
      "p",  "div", "br",         "tr",      "li",      "ul",      "ol",     "table",
      "h1", "h2",  "h3",         "h4",      "h5",      "h6",      "hr",     "pre",
      "dt", "dd",  "blockquote", "address", "section", "article", "header", "footer"};
  return std::find(std::begin(kBlocks), std::end(kBlocks), name) != std::end(kBlocks);
}

class Builder {
 public:
  void Text(std::string_view s) {
    for (char c : s) Char(c);
  }
  void Char(char c) {
    if (IsSpace(c)) {
      pending_space_ = !line_.empty();
      return;
    }
    if (pending_space_) line_ += ' ';
    pending_space_ = false;
    line_ += c;
  }
  void Raw(std::string_view s) {  // <pre>: keeps spaces and line breaks
    for (char c : s) {
      if (c == '\r') continue;
      if (c == '\n') {
        Break(true);
      } else {
        line_ += c;
      }
    }
  }
  // Ends the current line; `force` also emits an empty one (<br><br>).
  void Break(bool force = false) {
    if (line_.empty() && !force) return;
    if (!line_.empty()) {
      for (int i = 0; i < quote_depth_; ++i) out_ += "> ";
    }
    out_ += line_;
    out_ += '\n';
    blank_ = line_.empty();
    line_.clear();
    pending_space_ = false;
  }
  // Ends the paragraph: one blank line, however many <p> there are.
  void Paragraph() {
    Break();
    if (!out_.empty() && !blank_) {
      out_ += '\n';
      blank_ = true;
    }
  }
  void Quote(int delta) {
    Break();
    quote_depth_ = std::max(0, quote_depth_ + delta);
  }
  std::string Finish() {
    Break();
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    std::size_t start = 0;
    while (start < out_.size() && out_[start] == '\n') ++start;
    return out_.substr(start);
  }

 private:
  std::string out_, line_;
  bool pending_space_ = false;
  bool blank_ = false;
  int quote_depth_ = 0;
};

// Decodes the entity at html[i] == '&'; returns the characters used (0: none).
std::size_t DecodeEntity(std::string_view html, std::size_t i, std::string& out) {
  std::size_t end = html.find(';', i + 1);
  if (end == std::string_view::npos || end - i > 12) return 0;
  std::string_view name = html.substr(i + 1, end - i - 1);
  if (name.empty()) return 0;
  std::uint32_t cp = 0;
  if (name[0] == '#') {
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int v;
      if (c >= '0' && c <= '9') {
        v = c - '0';
      } else if (hex && Lower(c) >= 'a' && Lower(c) <= 'f') {
        v = Lower(c) - 'a' + 10;
      } else {
        return 0;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
      if (cp > 0x10FFFF) cp = 0x110000;  // saturate: U+FFFD below
    }
  } else {
    auto it = NamedEntities().find(name);
    if (it == NamedEntities().end()) return 0;
    cp = it->second;
  }
  AppendUtf8(out, cp);
  return end - i + 1;
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  Builder b;
  int pre = 0;
  std::string decoded;
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '&') {
      decoded.clear();
      std::size_t used = DecodeEntity(html, i, decoded);
      if (used > 0) {
        // &nbsp; is a space for layout purposes.
        if (decoded == "\xC2\xA0") decoded = " ";
        pre > 0 ? b.Raw(decoded) : b.Text(decoded);
        i += used;
        continue;
      }
      b.Char('&');
      ++i;
      continue;
    }
    if (c != '<') {
      std::size_t next = html.find_first_of("<&", i);
      if (next == std::string_view::npos) next = html.size();
      pre > 0 ? b.Raw(html.substr(i, next - i)) : b.Text(html.substr(i, next - i));
      i = next;
      continue;
    }
    // Comments, <!DOCTYPE>, <?xml?>.
    if (html.compare(i, 4, "<!--") == 0) {
      std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?')) {
      std::size_t end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      continue;
    }
    bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t name_start = i + (closing ? 2 : 1);
    std::size_t name_end = name_start;
    while (name_end < html.size() &&
           (std::isalnum(static_cast<unsigned char>(html[name_end])) || html[name_end] == ':')) {
      ++name_end;
    }
    if (name_end == name_start) {  // "a < b": not a tag
      b.Char('<');
      ++i;
      continue;
    }
    std::string name(html.substr(name_start, name_end - name_start));
    for (char& ch : name) ch = Lower(ch);
    // The end of the tag, skipping quoted attribute values.
    std::size_t j = name_end;
    char quote = 0;
    for (; j < html.size(); ++j) {
      if (quote != 0) {
        if (html[j] == quote) quote = 0;
      } else if (html[j] == '"' || html[j] == '\'') {
        quote = html[j];
      } else if (html[j] == '>') {
        break;
      }
    }
    i = j == html.size() ? html.size() : j + 1;
    if (!closing && (name == "script" || name == "style" || name == "head" || name == "title")) {
      std::string end_tag = "</" + name;
      std::size_t end = FindNoCase(html, i, end_tag);
      if (end == std::string_view::npos) {
        i = html.size();
      } else {
        std::size_t gt = html.find('>', end);
        i = gt == std::string_view::npos ? html.size() : gt + 1;
      }
      continue;
    }
    if (name == "blockquote") {
      b.Quote(closing ? -1 : 1);
      continue;
    }
    if (name == "pre") {
      b.Break();
      pre = std::max(0, pre + (closing ? -1 : 1));
      continue;
    }
    if (name == "td" || name == "th") {
      if (closing) b.Char('\t');
      continue;
    }
    if (IsBlock(name)) {
      // <p> and headings make a paragraph (a blank line); <br>, <div> a line.
      if (name == "p" || (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
        b.Paragraph();
      } else {
        b.Break(name == "br");
      }
    }
  }
  return b.Finish();
}

}  // namespace tacit::mail
