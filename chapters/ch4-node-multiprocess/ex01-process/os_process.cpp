#include "os_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "kata/todo.hpp"

extern char** environ;

namespace kata::process {

// ---- given: Node's error objects ---------------------------------------------------
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

// ---- your part ---------------------------------------------------------------------

std::vector<std::string> argv() {
  KATA_TODO("read /proc/self/cmdline: the arguments separated by NUL bytes (hint 1)");
}

std::string exec_path() { KATA_TODO("readlink(\"/proc/self/exe\") (hint 1)"); }

int pid() { KATA_TODO("getpid()"); }
int ppid() { KATA_TODO("getppid()"); }

std::string platform() { KATA_TODO("\"linux\" on Linux (#if defined(__linux__))"); }

std::string cwd() { KATA_TODO("getcwd(), growing the buffer on ERANGE"); }

void chdir(const std::string& directory) {
  (void)directory;
  KATA_TODO("::chdir; on failure throw SystemError with Node's message "
            "\"ENOENT: no such file or directory, chdir '<cwd>' -> '<dir>'\" (hint 2)");
}

std::optional<std::string> get_env(const std::string& name) {
  (void)name;
  KATA_TODO("getenv: nullopt when unset");
}

void set_env(const std::string& name, const std::string& value) {
  (void)name, (void)value;
  KATA_TODO("setenv; refuse an empty name or one containing '=' with std::invalid_argument");
}

void unset_env(const std::string& name) {
  (void)name;
  KATA_TODO("unsetenv");
}

std::map<std::string, std::string> env() { KATA_TODO("walk `environ`, split each entry at the first '='"); }

int signal_number(const std::string& name) {
  (void)name;
  KATA_TODO("\"SIGTERM\" -> 15: compare with \"SIG\" + sigabbrev_np(n) for n in 1..NSIG-1; "
            "else throw UnknownSignal (hint 3)");
}

std::string signal_name(int signal) {
  (void)signal;
  KATA_TODO("15 -> \"SIGTERM\" (sigabbrev_np), \"\" when not a signal (hint 3)");
}

bool kill(int pid, const std::string& signal) {
  (void)pid, (void)signal;
  KATA_TODO("signal_number(signal), then the int overload");
}

bool kill(int pid, int signal) {
  (void)pid, (void)signal;
  KATA_TODO("::kill; on failure throw SystemError(errno, \"kill\", \"kill ESRCH\") (hint 4)");
}

}  // namespace kata::process
