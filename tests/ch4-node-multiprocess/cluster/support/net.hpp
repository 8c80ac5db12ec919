// Small socket helpers the cluster plumbing shares (TCP on 127.0.0.1 only in
// tests; errors are std::system_error so a failed listen names its errno).
#pragma once

#include <string>

namespace kata::cluster::net {

struct Address {
  std::string host;
  int port = 0;
};

// socket + SO_REUSEADDR (+ SO_REUSEPORT) + bind + listen; non-blocking, close-on-exec.
int listen_tcp(const std::string& host, int port, bool reuseport, int backlog = 511);
// socket + SO_REUSEPORT + bind, not listening: reserves a port for a reuseport group.
int bind_reuseport(const std::string& host, int port);
Address local_address(int fd);
// accept4(NONBLOCK|CLOEXEC); -1 when nothing is waiting (EAGAIN) or on error (errno set).
int accept_connection(int listen_fd);
void set_nonblocking(int fd);

// libuv's answer to EMFILE (src/unix/stream.c, uv__emfile_trick): keep one
// spare fd open; when accept() fails for want of fds, close the spare,
// accept and close what is pending (those clients get a reset instead of
// waiting in the backlog for ever), then reopen the spare.
// open_spare_fd: a cheap fd to hold (-1 if even that fails).
int open_spare_fd();
// Closes *spare_fd, sheds the pending connections, reopens it. Returns how
// many connections were closed.
int shed_pending(int listen_fd, int* spare_fd);

}  // namespace kata::cluster::net
