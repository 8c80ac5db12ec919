#include "fd_passing.hpp"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>
#include <system_error>

namespace kata::child_process::ipc {

void socket_pair(int fds[2]) {
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    throw std::system_error(errno, std::generic_category(), "socketpair");
}

ssize_t send_with_fds(int sock, std::string_view bytes, std::span<const int> fds) {
  if (bytes.empty()) {
    errno = EINVAL;  // fds need a byte to ride on
    return -1;
  }
  iovec iov{const_cast<char*>(bytes.data()), bytes.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerRead)];
  if (!fds.empty()) {
    if (fds.size() > kMaxFdsPerRead) {
      errno = E2BIG;
      return -1;
    }
    const std::size_t payload = sizeof(int) * fds.size();
    std::memset(control, 0, sizeof control);
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(payload);
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(payload);
    std::memcpy(CMSG_DATA(c), fds.data(), payload);
  }
  ssize_t n;
  do {
    n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

Received recv_with_fds(int sock, char* buf, std::size_t len) {
  Received r;
  iovec iov{buf, len};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerRead)];
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  do {
    r.bytes = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (r.bytes < 0 && errno == EINTR);
  if (r.bytes < 0) return r;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      r.fds.push_back(fd);
    }
  }
  if (msg.msg_flags & MSG_CTRUNC) {
    const int saved = errno;
    for (int fd : r.fds) ::close(fd);
    r.fds.clear();
    r.fds_truncated = true;
    errno = saved;
  }
  return r;
}

}  // namespace kata::child_process::ipc
