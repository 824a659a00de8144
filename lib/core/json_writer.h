// A JSON writer that appends to a string as it goes, in exactly the layout of
// nlohmann::json's dump(2) (two-space indent, "key": value, [] and {} when
// empty, UTF-8 left as is, control characters escaped). For the documents that
// are large and rewritten often (the status file of 100,000 units): building
// an nlohmann tree first cost more than everything else in the write.
// Invalid UTF-8 becomes U+FFFD (nlohmann would throw instead).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tacit {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // Inside an object: the next value's key.
  void Key(std::string_view key);

  void String(std::string_view s);
  void Int(std::int64_t v);
  void Bool(bool b);
  void Null();
  // A value already in JSON form (a number formatted elsewhere).
  void Raw(std::string_view json);

  // Key and value at once.
  void Field(std::string_view key, std::string_view s) {
    Key(key);
    String(s);
  }
  void Field(std::string_view key, const char* s) { Field(key, std::string_view(s)); }
  void Field(std::string_view key, const std::string& s) { Field(key, std::string_view(s)); }
  void Field(std::string_view key, std::int64_t v) {
    Key(key);
    Int(v);
  }
  void Field(std::string_view key, int v) { Field(key, static_cast<std::int64_t>(v)); }
  void Field(std::string_view key, bool b) {
    Key(key);
    Bool(b);
  }
  // A string, or null when absent.
  void Field(std::string_view key, const std::optional<std::string>& s) {
    Key(key);
    if (s) {
      String(*s);
    } else {
      Null();
    }
  }

 private:
  struct Level {
    bool empty = true;  // nothing written inside yet: closes as {} or []
  };
  void BeforeValue();
  void NextMember();
  void Open(char c);
  void Close(char c);

  std::string& out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

// `s` as a JSON string literal (quotes included), appended to `out`.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace tacit
