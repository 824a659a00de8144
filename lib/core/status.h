// Status and Result<T>: how lib/ reports failure without exceptions.
//
// A Status is a code and a message (lower-case, context first, e.g.
// "tacit.toml:12: deadline: 31/02/2026 is not a date"). OK costs nothing but an
// empty string. Result<T> follows std::expected's API (has_value, value, error,
// operator*, operator->) so that moving to C++23 later is one alias.
// Libraries that throw (SQLiteCpp, toml++, nlohmann-json) are caught in the adapter
// that calls them and turned into a Status there.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace tacit {

enum class ErrorCode {
  kOk = 0,
  kBadInput,   // this item is bad: quarantine it, go on with the others
  kTransient,  // try again later: network, SMTP 4xx, SQLITE_BUSY
  kPermanent,  // will not get better by waiting: SMTP 5xx, authentication
  kIo,         // the file system or the database failed
  kCorrupt,    // stored state is not what we wrote
  kNotFound,
  kCancelled,
  kInvalidConfig,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status BadInput(std::string m) { return {ErrorCode::kBadInput, std::move(m)}; }
  static Status Transient(std::string m) { return {ErrorCode::kTransient, std::move(m)}; }
  static Status Io(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
  static Status Corrupt(std::string m) { return {ErrorCode::kCorrupt, std::move(m)}; }
  static Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Status InvalidConfig(std::string m) { return {ErrorCode::kInvalidConfig, std::move(m)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// Status from errno: "context: strerror(errno)". The only place errno becomes text.
Status ErrnoStatus(const std::string& context, int err);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}       // NOLINT: implicit like std::expected
  Result(Status error) : v_(std::move(error)) {}  // NOLINT
  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // By value, so that `for (auto& x : *Load())` does not dangle.
  T operator*() && { return std::move(std::get<0>(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // Requires: !has_value().
  const Status& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tacit
