#include "net.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace kata::cluster::net {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

int bound_socket(const std::string& host, int port, bool reuseport) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket");
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuseport && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    fail("setsockopt(SO_REUSEPORT)");
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) {
    ::close(fd);
    errno = EINVAL;
    fail("bad IPv4 address " + host);
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    fail("bind " + host + ":" + std::to_string(port));
  }
  return fd;
}

}  // namespace

int listen_tcp(const std::string& host, int port, bool reuseport, int backlog) {
  const int fd = bound_socket(host, port, reuseport);
  if (::listen(fd, backlog) < 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    fail("listen");
  }
  return fd;
}

int bind_reuseport(const std::string& host, int port) { return bound_socket(host, port, true); }

Address local_address(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) < 0) fail("getsockname");
  char buf[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a.sin_addr, buf, sizeof buf);
  return Address{buf, ntohs(a.sin_port)};
}

int accept_connection(int listen_fd) {
  for (;;) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0 || errno != EINTR) return fd;
  }
}

int open_spare_fd() { return ::open("/", O_RDONLY | O_CLOEXEC); }

int shed_pending(int listen_fd, int* spare_fd) {
  if (*spare_fd < 0) return 0;
  ::close(*spare_fd);
  *spare_fd = -1;
  int shed = 0;
  for (;;) {
    const int fd = accept_connection(listen_fd);
    if (fd < 0) break;  // EAGAIN: drained (or still no fd: try again later)
    ::close(fd);
    ++shed;
  }
  *spare_fd = open_spare_fd();
  return shed;
}

void set_nonblocking(int fd) {
  // Accepted and rr-passed connections already are (accept4): skip a syscall per connection.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0 && (flags & O_NONBLOCK) == 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

}  // namespace kata::cluster::net
