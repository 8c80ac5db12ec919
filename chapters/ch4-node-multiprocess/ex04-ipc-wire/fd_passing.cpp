#include "fd_passing.hpp"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>
#include <system_error>

#include "kata/todo.hpp"

namespace kata::child_process::ipc {

void socket_pair(int fds[2]) {
  (void)fds;
  KATA_TODO("socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, ...); throw std::system_error on failure");
}

ssize_t send_with_fds(int sock, std::string_view bytes, std::span<const int> fds) {
  (void)sock, (void)bytes, (void)fds;
  KATA_TODO("EINVAL for no bytes; sendmsg with one SCM_RIGHTS cmsg (CMSG_SPACE/CMSG_LEN/CMSG_DATA) and "
            "MSG_NOSIGNAL (hint 4)");
}

Received recv_with_fds(int sock, char* buf, std::size_t len) {
  (void)sock, (void)buf, (void)len;
  KATA_TODO("recvmsg with room for kMaxFdsPerRead fds and MSG_CMSG_CLOEXEC; collect the SCM_RIGHTS fds; "
            "MSG_CTRUNC: close them all and set fds_truncated (hint 5)");
}

}  // namespace kata::child_process::ipc
