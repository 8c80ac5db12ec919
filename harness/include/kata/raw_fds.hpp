// kata::raw_send_fds — one sendmsg(2) carrying `bytes` and any number of fds
// (SCM_RIGHTS), with none of ipc::send_with_fds's checks: what a peer that
// does not use our wire code may send. For tests and the fd-passing fuzzer,
// which must feed the reader more fds than one read takes.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <cstring>
#include <string_view>
#include <vector>

namespace kata {

inline ssize_t raw_send_fds(int sock, std::string_view bytes, const std::vector<int>& fds, int flags = MSG_NOSIGNAL) {
  iovec iov{const_cast<char*>(bytes.data()), bytes.size()};
  std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()));
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
  std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  return ::sendmsg(sock, &msg, flags);
}

}  // namespace kata
