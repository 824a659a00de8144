#include "core/status.h"

#include <cstring>

namespace tacit {

Status ErrnoStatus(const std::string& context, int err) {
  ErrorCode code = ErrorCode::kIo;
  if (err == ENOENT) code = ErrorCode::kNotFound;
  return {code, context + ": " + std::strerror(err)};
}

}  // namespace tacit
