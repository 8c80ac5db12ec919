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

}  // namespace kata::cluster::net
