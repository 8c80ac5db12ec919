#include "os_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

extern char** environ;

namespace kata::process {

SystemError::SystemError(int errnum_, std::string syscall_, std::string message)
    : std::runtime_error(std::move(message)), errnum(errnum_), code(errno_name(errnum_)), syscall(std::move(syscall_)) {}

UnknownSignal::UnknownSignal(const std::string& name) : std::invalid_argument("Unknown signal: " + name) {}

std::string errno_name(int errnum) {
  const char* name = ::strerrorname_np(errnum);  // glibc ≥ 2.32
  if (name != nullptr) return name;
  std::string unknown = "E";  // appended, not "E" + ...: GCC 12 warns falsely (-Wrestrict)
  unknown += std::to_string(errnum);
  return unknown;
}

namespace {
// Node's uvException message: "ENOENT: no such file or directory, chdir ..."
std::string uv_message(int err, const std::string& syscall_and_paths) {
  std::string desc = std::strerror(err);
  for (auto& ch : desc) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  return errno_name(err) + ": " + desc + ", " + syscall_and_paths;
}
}  // namespace

std::vector<std::string> argv() {
  // The kernel keeps argv as NUL-separated bytes: exactly what main() got.
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  size_t start = 0;
  while (start < all.size()) {
    const size_t end = all.find('\0', start);
    out.push_back(all.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string exec_path() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n < 0) throw SystemError(errno, "readlink", uv_message(errno, "readlink '/proc/self/exe'"));
  return std::string(buf, size_t(n));
}

int pid() { return ::getpid(); }
int ppid() { return ::getppid(); }

std::string platform() {
#if defined(__linux__)
  return "linux";
#elif defined(__APPLE__)
  return "darwin";
#else
  return "unknown";
#endif
}

std::string cwd() {
  std::vector<char> buf(PATH_MAX);
  while (::getcwd(buf.data(), buf.size()) == nullptr) {
    if (errno != ERANGE) throw SystemError(errno, "uv_cwd", uv_message(errno, "uv_cwd"));
    buf.resize(buf.size() * 2);
  }
  return buf.data();
}

void chdir(const std::string& directory) {
  if (::chdir(directory.c_str()) != 0) {
    const int err = errno;
    throw SystemError(err, "chdir", uv_message(err, "chdir '" + cwd() + "' -> '" + directory + "'"));
  }
}

std::optional<std::string> get_env(const std::string& name) {
  const char* v = ::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

void set_env(const std::string& name, const std::string& value) {
  if (name.empty() || name.find('=') != std::string::npos)
    throw std::invalid_argument("invalid environment variable name: '" + name + "'");
  ::setenv(name.c_str(), value.c_str(), 1);
}

void unset_env(const std::string& name) { ::unsetenv(name.c_str()); }

std::map<std::string, std::string> env() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv = *e;
    const size_t eq = kv.find('=');
    if (eq != std::string::npos) out.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return out;
}

int signal_number(const std::string& name) {
  for (int s = 1; s < NSIG; ++s) {
    const char* abbrev = ::sigabbrev_np(s);  // "TERM" (glibc ≥ 2.32)
    if (abbrev != nullptr && name == std::string("SIG") + abbrev) return s;
  }
  throw UnknownSignal(name);
}

std::string signal_name(int signal) {
  const char* abbrev = signal > 0 && signal < NSIG ? ::sigabbrev_np(signal) : nullptr;
  return abbrev ? std::string("SIG") + abbrev : std::string();
}

bool kill(int pid, const std::string& signal) { return kill(pid, signal_number(signal)); }

bool kill(int pid, int signal) {
  if (::kill(pid, signal) != 0) {
    const int err = errno;
    // Node: err.message is just "kill ESRCH" here (an errnoException).
    throw SystemError(err, "kill", "kill " + errno_name(err));
  }
  return true;
}

}  // namespace kata::process
