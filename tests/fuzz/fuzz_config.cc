// libFuzzer target: config loading (tacit.toml, units.csv, consultations/*.toml)
// through LoadConfig, and the CSV reader directly. One input is cut into up to
// four files at each "\n%%\n": tacit.toml, units.csv, consultations/a.toml and
// consultations/b.toml, written into a folder of this process (removed at exit).
//
// tacit.toml may not name other files (units_file, consultations_dir): the
// defaults beside it are used, so that the fuzzer cannot wander to /dev/zero.
// Config files are the administrator's, but a typo must still be reported, not
// crash the daemon.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "config/config.h"
#include "config/csv.h"

namespace {

namespace fs = std::filesystem;

// Never destroyed: the atexit handler below runs after static destructors.
const std::string& Dir() {
  static const std::string* dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "tacit-fuzz-config-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    fs::create_directories(fs::path(tmpl) / "consultations");
    auto* d = new std::string(tmpl);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(Dir(), ec);
    });
    return d;
  }();
  return *dir;
}

void WriteOrRemove(const std::string& path, const std::string_view* text) {
  std::error_code ec;
  if (text == nullptr) {
    fs::remove(path, ec);
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text->data(), static_cast<std::streamsize>(text->size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  constexpr std::string_view kSeparator = "\n%%\n";
  std::size_t start = 0;
  while (parts.size() < 3) {
    std::size_t at = input.find(kSeparator, start);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(start, at - start));
    start = at + kSeparator.size();
  }
  parts.push_back(input.substr(start));
  if (parts[0].find("units_file") != std::string_view::npos ||
      parts[0].find("consultations_dir") != std::string_view::npos) {
    return -1;  // keep the input out of the corpus: it would read outside the folder
  }

  // The CSV reader on its own first (it is also used on units.csv below).
  if (parts.size() > 1) {
    tacit::Result<std::vector<tacit::CsvRecord>> csv = tacit::ParseCsv(parts[1]);
    if (csv) {
      int line = 0;
      for (const tacit::CsvRecord& r : *csv) {
        if (r.line < line) std::abort();  // records come in order
        line = r.line;
      }
    }
  }

  const std::string& dir = Dir();
  const std::string toml = dir + "/tacit.toml";
  WriteOrRemove(toml, &parts[0]);
  WriteOrRemove(dir + "/units.csv", parts.size() > 1 ? &parts[1] : nullptr);
  WriteOrRemove(dir + "/consultations/a.toml", parts.size() > 2 ? &parts[2] : nullptr);
  WriteOrRemove(dir + "/consultations/b.toml", parts.size() > 3 ? &parts[3] : nullptr);
  tacit::Result<tacit::Config> config = tacit::LoadConfig(toml);
  if (!config && config.error().message().empty()) std::abort();  // a refusal says why
  return 0;
}
