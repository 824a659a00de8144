#include "support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <stdlib.h>

namespace tacit::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/tacit-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& relative, const std::string& contents) const {
  std::filesystem::path p = std::filesystem::path(path_) / relative;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << contents;
  return p.string();
}

std::string WriteSmallConfig(const TempDir& dir, const std::string& deadline,
                             const std::string& silence_means, const std::string& id) {
  dir.Write("units.csv",
            "code,name,group,emails,aliases\n"
            "ubnd,Ủy ban nhân dân phường,Lãnh đạo,ubnd@example.vn,UBND phường\n"
            "cong-an,Công an phường,Công an,congan@example.vn,CA phường\n"
            "tdp-01,Tổ dân phố số 1,Tổ dân phố,tdp01@example.vn,TDP 1;Tổ 1\n"
            "tdp-02,Tổ dân phố số 2,Tổ dân phố,,TDP 2\n");
  dir.Write("consultations/" + id + ".toml", fmt::format("id = \"{}\"\n"
                                                         "reference = \"12/VH-XH\"\n"
                                                         "subject = \"Xin ý kiến dự thảo\"\n"
                                                         "issuer = \"Phòng Văn hóa – Xã hội\"\n"
                                                         "signer = \"Nguyễn Chí Linh\"\n"
                                                         "deadline = \"{}\"\n"
                                                         "silence_means = \"{}\"\n"
                                                         "addressees = [\"*\"]\n"
                                                         "topics = [\"Chỉ tiêu\"]\n",
                                                         id, deadline, silence_means));
  return dir.Write("tacit.toml",
                   "[daemon]\n"
                   "state_dir = \"state\"\n"
                   "timezone = \"Asia/Ho_Chi_Minh\"\n");
}

}  // namespace tacit::testing
