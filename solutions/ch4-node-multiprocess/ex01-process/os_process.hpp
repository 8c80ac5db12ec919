// kata::process — the rest of Node's `process` object: who am I, where am I,
// what is my environment, and signals to other processes (and to me).
//
// The lifetime part (exitCode, 'beforeExit', 'exit', 'uncaughtException')
// belongs to the event loop and comes from chapter 3: kata::node::Process,
// reached as loop.process(). This exercise adds what a multi-process program
// needs around it.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kata::node {
class Loop;
}

namespace kata::process {

// A failed system call, as Node reports it: err.code ("ENOENT"), err.syscall,
// and a message like "ENOENT: no such file or directory, chdir '/a' -> '/b'".
class SystemError : public std::runtime_error {
 public:
  SystemError(int errnum, std::string syscall, std::string message);
  int errnum;           // the errno value (Node's err.errno is its negative)
  std::string code;     // "ENOENT"
  std::string syscall;  // "chdir", "kill", "spawn /bin/sh" ...
  std::string path;     // the file involved, when there is one (spawn)
};

// Node's ERR_UNKNOWN_SIGNAL: "Unknown signal: SIGFOO".
class UnknownSignal : public std::invalid_argument {
 public:
  explicit UnknownSignal(const std::string& name);
  std::string code = "ERR_UNKNOWN_SIGNAL";
};

// "ENOENT" for ENOENT (Node's util.getSystemErrorName).
std::string errno_name(int errnum);

// ---- who, where ---------------------------------------------------------------
// process.argv: the command line this program was started with, byte for
// byte (argv[0] included, as the kernel has it).
std::vector<std::string> argv();
// process.execPath: absolute path of the running executable.
std::string exec_path();
int pid();
int ppid();
// process.platform: "linux", "darwin", ...
std::string platform();
// process.cwd() / process.chdir(dir): throws SystemError (ENOENT ...).
std::string cwd();
void chdir(const std::string& directory);

// ---- environment (process.env) --------------------------------------------------
// Changes are seen by children started afterwards (they inherit environ).
std::optional<std::string> get_env(const std::string& name);
void set_env(const std::string& name, const std::string& value);
void unset_env(const std::string& name);
std::map<std::string, std::string> env();

// ---- signals --------------------------------------------------------------------
// "SIGTERM" → 15; throws UnknownSignal.
int signal_number(const std::string& name);
// 15 → "SIGTERM"; "" when the number is not a signal.
std::string signal_name(int signal);
// process.kill(pid, signal): sends a signal (0 only checks the process
// exists). Returns true; throws SystemError (ESRCH, EPERM) or UnknownSignal.
bool kill(int pid, const std::string& signal = "SIGTERM");
bool kill(int pid, int signal);

// process.on('SIGUSR2', fn): while the returned watch lives, each delivery of
// `signal` to this process becomes the event "SIGUSR2" (argument: the name
// as std::string) on loop.process(), emitted from the loop's poll phase,
// never inside the signal handler. Like Node's signal handles it does not
// keep the loop alive. Destroy the watch (before the loop) to restore the
// signal's previous disposition. SIGKILL/SIGSTOP: SystemError EINVAL.
class SignalWatch;
std::shared_ptr<SignalWatch> on_signal(kata::node::Loop& loop, const std::string& signal);

}  // namespace kata::process
