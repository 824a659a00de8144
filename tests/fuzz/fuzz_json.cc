// libFuzzer target: the JSON writer that writes the status file and report.json
// from text that came from outside (unit names, subjects, reply texts). Every
// string it writes must parse back as JSON; valid UTF-8 must come back as it
// was and be written as nlohmann writes it; the document around it must parse.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/json_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string literal;
  tacit::AppendJsonString(literal, text);
  if (!nlohmann::ordered_json::accept(literal)) std::abort();
  const auto back = nlohmann::ordered_json::parse(literal).get<std::string>();
  bool valid = true;
  std::string strict;
  try {
    strict = nlohmann::ordered_json(text).dump();
  } catch (const nlohmann::json::exception&) {
    valid = false;  // invalid UTF-8: the writer replaced it with U+FFFD
  }
  if (valid && (back != text || strict != literal)) std::abort();

  // The same text as a key, a value and an array element, nested.
  std::string doc;
  tacit::JsonWriter w(doc);
  w.BeginObject();
  w.Field(text, text);
  w.Key("list");
  w.BeginArray();
  w.String(text);
  w.BeginObject();
  w.EndObject();
  w.Int(static_cast<std::int64_t>(size) - 1000);
  w.EndArray();
  w.EndObject();
  if (!nlohmann::ordered_json::accept(doc)) std::abort();
  const auto parsed = nlohmann::ordered_json::parse(doc);
  if (text != "list" && parsed.dump(2) != doc) std::abort();  // "list" twice: one key kept
  return 0;
}
