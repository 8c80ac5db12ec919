// Replays saved inputs through a fuzz target without libFuzzer, so the seed
// corpora and the fixed crash inputs run as ordinary tests under any compiler
// (ctest fuzz.replay.<target>).
//   replay PATH... [--if-exists PATH]...
// A PATH is a file or a directory (its regular files, sorted, not recursive).
// A missing PATH is an error, except after --if-exists: fuzz/crashes/<target>/
// only exists once something was found. Replaying nothing at all fails too
// (a test that ran no input has checked nothing).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const bool optional = std::string(argv[i]) == "--if-exists";
    if (optional && ++i == argc) {
      std::fprintf(stderr, "replay: --if-exists needs a path\n");
      return 2;
    }
    const fs::path arg = argv[i];
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> in_dir;
      for (const auto& entry : fs::directory_iterator(arg))
        if (entry.is_regular_file()) in_dir.push_back(entry.path());
      std::sort(in_dir.begin(), in_dir.end());  // a stable order makes a failure reproducible
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::exists(arg, ec)) {
      files.push_back(arg);
    } else if (!optional) {
      std::fprintf(stderr, "replay: %s does not exist\n", argv[i]);
      return 2;
    }
  }
  std::size_t replayed = 0;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 2;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Named before the run: if the target aborts, the log says which input did it.
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++replayed;
  }
  std::printf("replayed %zu input%s\n", replayed, replayed == 1 ? "" : "s");
  if (replayed == 0) {
    std::fprintf(stderr, "replay: no input to replay\n");
    return 1;
  }
  return 0;
}
