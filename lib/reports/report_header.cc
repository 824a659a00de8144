// The docx report's header blocks: [report] from the config with defaults
// from the consultation, and the wording derived from the letter's subject.
#include <string>
#include <string_view>
#include <vector>

#include <utf8proc.h>

#include "reports/report.h"
#include "reports/report_internal.h"
#include "text/normalize.h"

namespace tacit::reports {
namespace {

// Maps every code point of valid UTF-8 `s` through `f`; invalid bytes are
// copied as they are (the result is NFC-normalised by the callers).
template <typename F>
std::string MapCodePoints(std::string_view s, F f, size_t limit = std::string_view::npos) {
  std::string out;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  size_t pos = 0;
  for (size_t count = 0; pos < s.size(); ++count) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n =
        utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(s.size() - pos), &cp);
    if (n <= 0) {
      out += s[pos++];
      continue;
    }
    if (count < limit) cp = f(cp);
    utf8proc_uint8_t buf[4];
    out.append(reinterpret_cast<const char*>(buf),
               static_cast<size_t>(utf8proc_encode_char(cp, buf)));
    pos += static_cast<size_t>(n);
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t start = s.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) break;
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    words.push_back(s.substr(start, end - start));
    pos = end;
  }
  return words;
}

std::string Join(const std::vector<std::string_view>& words, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

std::string ReferenceSymbol(const std::string& reference) {
  size_t slash = reference.rfind('/');
  if (slash == std::string::npos) return "";
  std::string symbol = reference.substr(slash + 1);
  size_t b = symbol.find_first_not_of(' ');
  size_t e = symbol.find_last_not_of(' ');
  return b == std::string::npos ? "" : symbol.substr(b, e - b + 1);
}

std::vector<std::string> NfcAll(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const std::string& l : lines) out.push_back(text::Nfc(l));
  return out;
}

}  // namespace

std::string UpperCase(std::string_view utf8) {
  return text::Nfc(MapCodePoints(utf8, utf8proc_toupper));
}

std::string UpperFirst(std::string_view utf8) {
  return text::Nfc(MapCodePoints(utf8, utf8proc_toupper, 1));
}

std::string LowerFirst(const std::string& s) {
  std::vector<std::string_view> w = Words(s);
  if (w.empty()) return s;
  std::string upper = UpperCase(w[0]);
  if (upper == w[0] && text::FoldForMatch(w[0]).size() > 1) return s;  // an acronym
  return MapCodePoints(s, utf8proc_tolower, 1);
}

std::string SummaryLine(const std::string& subject) {
  std::vector<std::string_view> w = Words(subject);
  size_t first = 0;
  if (!w.empty() && text::FoldForMatch(w[0]) == "v/v") first = 1;  // "V/v xin ý kiến …"
  const std::string asks = text::FoldToWords(Join(w, first, first + 3));
  if (asks == "xin y kien" || asks == "lay y kien") {
    const std::string rest = Join(w, first + 3, w.size());
    const std::string folded = text::FoldToWords(rest);
    if (rest.empty()) return "Tổng hợp ý kiến";
    for (std::string_view kept : {"tham gia", "gop y", "ve ", "doi voi"}) {
      if (folded.starts_with(kept)) return "Tổng hợp ý kiến " + rest;
    }
    return "Tổng hợp ý kiến tham gia vào " + rest;
  }
  const std::string about = Join(w, first, w.size());
  if (about.empty()) return "Tổng hợp ý kiến";
  return "Tổng hợp ý kiến về " + LowerFirst(about);
}

ReportHeader ResolveReportHeader(const ReportHeaderConfig& config,
                                 const store::ConsultationState& c) {
  ReportHeader h;
  if (config.issuing_body) {
    h.issuing_body = NfcAll(*config.issuing_body);
  } else if (!c.issuer.empty()) {
    h.issuing_body = {UpperCase(c.issuer)};
  }
  if (config.number_suffix) {
    h.number_suffix = text::Nfc(*config.number_suffix);
  } else {
    const std::string symbol = ReferenceSymbol(c.reference);
    h.number_suffix = symbol.empty() ? "BC" : "BC-" + symbol;
  }
  h.place = text::Nfc(config.place.value_or(""));
  if (config.signer_title) {
    h.signer_title = UpperCase(*config.signer_title);
  } else {
    h.signer_title =
        text::FoldToWords(c.issuer).starts_with("phong ") ? "TRƯỞNG PHÒNG" : "THỦ TRƯỞNG ĐƠN VỊ";
  }
  h.signer_name = text::Nfc(config.signer_name.value_or(c.signer));
  h.recipients =
      config.recipients ? NfcAll(*config.recipients) : std::vector<std::string>{"Lưu: VT."};
  return h;
}

}  // namespace tacit::reports
