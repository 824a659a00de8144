#include "text/template.h"

#include <algorithm>

#include <fmt/format.h>

namespace tacit::text {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Calls on_text(text) and on_field(name, offset) in order; returns false (and the
// offset of the bad "{{") when a placeholder is not closed.
template <typename Text, typename Field>
bool Walk(std::string_view tmpl, size_t& bad, Text on_text, Field on_field) {
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find("{{", pos);
    if (open == std::string_view::npos) {
      on_text(tmpl.substr(pos));
      return true;
    }
    on_text(tmpl.substr(pos, open - pos));
    size_t close = tmpl.find("}}", open + 2);
    if (close == std::string_view::npos) {
      bad = open;
      return false;
    }
    on_field(Trim(tmpl.substr(open + 2, close - open - 2)), open);
    pos = close + 2;
  }
  return true;
}

}  // namespace

Status CheckTemplate(std::string_view tmpl, const std::vector<std::string>& known) {
  std::string problem;
  size_t bad = 0;
  bool closed = Walk(
      tmpl, bad, [](std::string_view) {},
      [&](std::string_view name, size_t) {
        if (!problem.empty()) return;
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          problem =
              fmt::format("unknown field {{{{{}}}}} (known: {})", name, fmt::join(known, ", "));
        }
      });
  if (!closed) return Status::InvalidConfig(fmt::format("unclosed {{{{ at offset {}", bad));
  if (!problem.empty()) return Status::InvalidConfig(problem);
  return Status::Ok();
}

std::string RenderTemplate(std::string_view tmpl,
                           const std::map<std::string, std::string>& values) {
  std::string out;
  size_t bad = 0;
  bool closed = Walk(
      tmpl, bad, [&](std::string_view text) { out += text; },
      [&](std::string_view name, size_t) {
        auto it = values.find(std::string(name));
        if (it != values.end()) out += it->second;
      });
  if (!closed) out += tmpl.substr(bad);  // unchecked template: keep the rest as written
  return out;
}

bool UsesField(std::string_view tmpl, std::string_view field) {
  bool found = false;
  size_t bad = 0;
  Walk(
      tmpl, bad, [](std::string_view) {},
      [&](std::string_view name, size_t) { found = found || name == field; });
  return found;
}

}  // namespace tacit::text
