// Passing file descriptors between processes: SCM_RIGHTS over a Unix socket.
//
// The kernel installs a *copy* of each fd in the receiver (like dup across
// processes). The fds ride on the data bytes: they arrive with the recvmsg
// that reads the first byte sent with them. (That recvmsg may begin with
// bytes of earlier writes, glued in front, but it never reads past the
// write that carried the fds: the next fds come with a later read.) That is
// how fork()'s channel sends a listening or connected socket with a message
// (the cluster module's whole trick).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace kata::child_process::ipc {

// Most fds one recvmsg accepts; more are dropped by the kernel (MSG_CTRUNC).
inline constexpr std::size_t kMaxFdsPerRead = 8;

// Creates a connected AF_UNIX stream socketpair, both ends close-on-exec
// (the child's end is un-CLOEXEC'd only in the child, at its fixed number).
// Throws std::system_error.
void socket_pair(int fds[2]);

// sendmsg(bytes) with `fds` attached to the first byte. Needs at least one
// byte (a stream socket can't carry fds alone). Returns bytes written
// (possibly fewer than asked: the fds went with the first of them), or -1
// with errno (EAGAIN on a full non-blocking socket: nothing was sent, fds
// neither). Never raises SIGPIPE (MSG_NOSIGNAL).
ssize_t send_with_fds(int sock, std::string_view bytes, std::span<const int> fds);

struct Received {
  ssize_t bytes = 0;          // as recvmsg: >0 data, 0 = peer closed, -1 = errno
  std::vector<int> fds;       // received fds, CLOEXEC, now owned by the caller
  bool fds_truncated = false; // MSG_CTRUNC: the kernel dropped fds
};

// recvmsg into buf with room for kMaxFdsPerRead fds, MSG_CMSG_CLOEXEC (no
// window where a concurrent fork inherits them). On MSG_CTRUNC the fds that
// did arrive are closed and fds_truncated is set: a partial set is useless.
Received recv_with_fds(int sock, char* buf, std::size_t len);

}  // namespace kata::child_process::ipc
