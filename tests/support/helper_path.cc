// Points every unit test at the tacit-extract helper of this build tree
// (TACIT_EXTRACT_BINARY, set by tests/CMakeLists.txt), unless the environment
// already names one. Runs before main().
#include <cstdlib>

namespace {

const bool kHelperSet = [] {
  ::setenv("TACIT_EXTRACT", TACIT_EXTRACT_BINARY, 0);
  return true;
}();

}  // namespace
