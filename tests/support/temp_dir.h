// TempDir: a fresh directory under $TMPDIR, removed with its contents at the end
// of the test; and helpers to write the files a config is made of.
#pragma once

#include <string>

namespace tacit::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `contents` to path()/relative, creating folders; returns the full path.
  std::string Write(const std::string& relative, const std::string& contents) const;

 private:
  std::string path_;
};

// A small valid config in `dir`: tacit.toml, units.csv with four units
// (ubnd, cong-an, tdp-01, tdp-02; groups "Lãnh đạo", "Công an", "Tổ dân phố")
// and consultations/<id>.toml with the given deadline and silence rule.
// Returns the path of tacit.toml.
std::string WriteSmallConfig(const TempDir& dir, const std::string& deadline,
                             const std::string& silence_means = "consent",
                             const std::string& id = "dan-chu-2026");

}  // namespace tacit::testing
