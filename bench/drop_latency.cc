// Drop-folder benchmark (issue 4; not a test): drop-to-status latency p50/p99
// over N files dropped one at a time, printed beside inotifywait's own notice
// latency measured in the same run, and burst throughput in files/s.
//
//   drop_latency TACITD [N=1000]
//
// Each file is renamed into the drop folder (as a scanner or `mv` does) and the
// clock stops when status.json, rewritten by tacitd, shows the new reply. Files
// are spaced by 110 ms, longer than tacitd's status-file rate limit (100 ms), so
// every drop is measured on its own. The peer is `inotifywait -m -e moved_to`
// (inotify-tools) watching another folder: the time until it prints the name.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

void Write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << s;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

// The status file shows `want` replies for tdp-01.
bool StatusShows(const fs::path& status, int want) {
  std::string s = Read(status);
  size_t unit = s.find("\"code\": \"tdp-01\"");
  if (unit == std::string::npos) return false;
  size_t r = s.find("\"replies\": ", unit);
  return r != std::string::npos && std::atoi(s.c_str() + r + 11) >= want;
}

// Waits for status.json to be renamed into `dir` showing `want` replies.
void WaitStatus(int ifd, const fs::path& status, int want) {
  char buf[4096];
  while (!StatusShows(status, want)) {
    ssize_t n = read(ifd, buf, sizeof(buf));  // blocks until the next rename
    (void)n;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s TACITD [N]\n", argv[0]);
    return 2;
  }
  const int n = argc > 2 ? std::atoi(argv[2]) : 1000;
  char tmpl[] = "/tmp/tacit-bench-XXXXXX";
  const fs::path dir = mkdtemp(tmpl);
  Write(dir / "units.csv",
        "code,name,group,emails,aliases\ntdp-01,Tổ dân phố số 1,Tổ dân phố,,TDP 1\n");
  Write(dir / "consultations/k.toml",
        "id = \"k\"\nsubject = \"S\"\ndeadline = \"31/12/2099\"\naddressees = [\"*\"]\n");
  Write(dir / "tacit.toml", "[daemon]\nstate_dir = \"state\"\n[drop_folder]\npath = \"inbox\"\n");
  fs::create_directories(dir / "inbox/k/tdp-01");
  fs::create_directories(dir / "tmp");
  fs::create_directories(dir / "peer");
  const fs::path status = dir / "state/status.json";

  pid_t daemon = fork();
  if (daemon == 0) {
    freopen((dir / "tacitd.log").c_str(), "w", stderr);
    execl(argv[1], argv[1], "--config", (dir / "tacit.toml").c_str(), nullptr);
    _exit(127);
  }
  while (!fs::exists(status)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  int ifd = inotify_init1(IN_CLOEXEC);
  inotify_add_watch(ifd, (dir / "state").c_str(), IN_MOVED_TO);

  std::vector<double> tacit_ms;
  for (int i = 1; i <= n; ++i) {
    const fs::path src = dir / "tmp" / ("r" + std::to_string(i) + ".txt");
    Write(src, "TDP 1 nhất trí, ý kiến số " + std::to_string(i) + ".\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(110));
    auto t0 = Clock::now();
    fs::rename(src, dir / "inbox/k/tdp-01" / src.filename());
    WaitStatus(ifd, status, i);
    tacit_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }

  // The peer: inotifywait's own notice latency for the same kind of rename.
  int pipefd[2];
  if (pipe(pipefd) != 0) return 1;
  pid_t peer = fork();
  if (peer == 0) {
    dup2(pipefd[1], 1);
    execlp("inotifywait", "inotifywait", "-m", "-q", "-e", "moved_to", "--format", "%f",
           (dir / "peer").c_str(), nullptr);
    _exit(127);
  }
  close(pipefd[1]);
  FILE* peer_out = fdopen(pipefd[0], "r");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let it set its watch
  std::vector<double> peer_ms;
  char line[256];
  for (int i = 1; i <= n; ++i) {
    const fs::path src = dir / "tmp" / ("p" + std::to_string(i) + ".txt");
    Write(src, "x\n");
    auto t0 = Clock::now();
    fs::rename(src, dir / "peer" / src.filename());
    if (fgets(line, sizeof(line), peer_out) == nullptr) {
      std::fprintf(stderr, "inotifywait is not available (apt-get install inotify-tools)\n");
      break;
    }
    peer_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  kill(peer, SIGTERM);

  // Burst: 1,000 files renamed in at once.
  const int burst = 1000;
  for (int i = 1; i <= burst; ++i) {
    Write(dir / "tmp" / ("b" + std::to_string(i) + ".txt"),
          "TDP 1 ý kiến, đợt " + std::to_string(i) + ".\n");
  }
  auto b0 = Clock::now();
  for (int i = 1; i <= burst; ++i) {
    const std::string name = "b" + std::to_string(i) + ".txt";
    fs::rename(dir / "tmp" / name, dir / "inbox/k/tdp-01" / name);
  }
  WaitStatus(ifd, status, n + burst);
  double burst_s = std::chrono::duration<double>(Clock::now() - b0).count();
  kill(daemon, SIGTERM);
  waitpid(daemon, nullptr, 0);

  std::printf("drop-to-status latency over %d files: p50 %.2f ms, p99 %.2f ms\n", n,
              Percentile(tacit_ms, 0.5), Percentile(tacit_ms, 0.99));
  if (!peer_ms.empty()) {
    std::printf("inotifywait notice latency over %zu files: p50 %.2f ms, p99 %.2f ms\n",
                peer_ms.size(), Percentile(peer_ms, 0.5), Percentile(peer_ms, 0.99));
    std::printf("ratio tacit/inotifywait: p50 %.1fx, p99 %.1fx\n",
                Percentile(tacit_ms, 0.5) / Percentile(peer_ms, 0.5),
                Percentile(tacit_ms, 0.99) / Percentile(peer_ms, 0.99));
  }
  std::printf("burst: %d files recorded in %.2f s = %.0f files/s\n", burst, burst_s,
              burst / burst_s);
  fs::remove_all(dir);
  return 0;
}
