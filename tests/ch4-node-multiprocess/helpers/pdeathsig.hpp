// Every helper a test spawns starts with die_with_parent(): if the test
// binary crashes or is killed by its watchdog, the kernel SIGKILLs the helper
// too, so no helper ever outlives the test that started it.
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace kata_helpers {

inline void die_with_parent() {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // The parent may have died before prctl: then we were re-parented already.
  if (::getppid() == 1) ::_exit(99);
}

}  // namespace kata_helpers
