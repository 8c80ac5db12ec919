// Chapter 4, exercise 5 — fork(): a child with an IPC channel on the loop,
// JSON messages both ways, buffering until a listener exists, disconnect,
// bad frames, and handles (sockets) passed with SCM_RIGHTS. The peer is
// helpers/ch4_ipc_child.cpp (a plain blocking program that speaks the wire)
// or helpers/ch4_fork_echo.cpp (written with this runtime). Twins:
// js/fork_*.js. Every test uses NoLeaks.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ch4_test_util.hpp"
#include "fd_passing.hpp"
#include "fork.hpp"
#include "kata/console.hpp"
#include "kata/testing.hpp"
#include "os_process.hpp"

namespace cp = kata::child_process;
namespace console = kata::console;
using cp::Args;
using cp::json;
using ch4::show;

class Fork : public kata::testing::NoLeaks {
 protected:
  ch4::RealLoop rl;
  kata::node::Loop& loop = rl.loop;
  // The test body up to here was the "main script": run its nextTicks, then
  // the loop until nothing is left (Node after the main module).
  int run_loop() { return loop.run_main([] {}); }
};

namespace {
std::string ipc_error(const Args& a) {
  try {
    cp::rethrow_error_arg(a);
  } catch (const cp::IpcError& e) {
    return e.what();
  } catch (const kata::process::SystemError& e) {
    return e.code;
  } catch (...) {
  }
  return "?";
}
std::string ipc_code(const Args& a) {
  try {
    cp::rethrow_error_arg(a);
  } catch (const cp::IpcError& e) {
    return e.code;
  } catch (...) {
  }
  return "?";
}
std::size_t fd_count() { return kata::testing::open_fds().size(); }
std::vector<int> dev_nulls(int n) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) fds.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  return fds;
}
// One frame in one sendmsg, with `fds` on its first byte.
void send_frame(int sock, const json& msg, const std::vector<int>& fds = {}) {
  const std::string bytes = cp::ipc::encode(msg);
  ASSERT_EQ(cp::ipc::send_with_fds(sock, bytes, fds), ssize_t(bytes.size()));
  for (int fd : fds) ::close(fd);
}
json handle_frame(const json& msg) { return {{"cmd", "NODE_HANDLE"}, {"type", "fd"}, {"msg", msg}}; }
std::string read_all(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  return out;
}
ino_t inode(int fd) {
  struct stat st {};
  ::fstat(fd, &st);
  return st.st_ino;
}
}  // namespace

TEST_F(Fork, SeedForkExampleMessagesBothWays) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"echo"});
  child->on("message", [&](const Args& a) {
    console::log("parent got " + cp::message_arg(a).dump());
    child->disconnect();
    console::log(std::string("connected ") + (child->connected() ? "true" : "false"));
  });
  child->on("disconnect", [](const Args&) { console::log("disconnect"); });
  child->on("exit", [](const Args& a) { console::log("exit " + show(cp::exit_code_arg(a))); });
  EXPECT_TRUE(child->send({{"hello", "world"}}));
  run_loop();
  const kata::testing::Lines expected{"parent got {\"hello\":\"world\"}", "connected false", "disconnect", "exit 0"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/fork_echo.js", expected);
}

TEST_F(Fork, AChildWrittenWithThisRuntimeEchoes) {
  // helpers/ch4_fork_echo.cpp: process_channel() + on("message") + send().
  auto child = cp::fork(loop, KATA_CH4_FORK_ECHO);
  std::vector<json> got;
  child->on("message", [&](const Args& a) {
    got.push_back(cp::message_arg(a));
    if (got.size() == 2) child->disconnect();
  });
  std::optional<int> code;
  child->on("close", [&](const Args& a) { code = cp::exit_code_arg(a); });
  child->send({{"n", 1}});
  child->send(json::array({"two", 2}));
  run_loop();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], (json{{"n", 1}}));
  EXPECT_EQ(got[1], json::array({"two", 2}));
  EXPECT_EQ(code, 0) << "the child exits when the parent disconnects";
}

// A child that adds its 'message' listener late still gets every message
// sent before (Node's child side: process.on('message') 300 ms after start).
TEST_F(Fork, MessagesThatArriveBeforeAListenerWait) {
  auto child = cp::fork(loop, ch4::kForkEcho, {"listen-late"});
  child->send({{"n", 1}});
  child->send({{"n", 2}});
  child->on("message", [&](const Args& a) {
    console::log("parent got " + cp::message_arg(a).dump());
    child->disconnect();
  });
  run_loop();
  const kata::testing::Lines expected{"parent got {\"got\":[{\"n\":1},{\"n\":2}]}"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/fork_buffered.js", expected);
}

// The parent side waits too: the child sends at once, the parent listens
// 300 ms later, while the channel is still open, and gets both messages.
TEST_F(Fork, TheParentsLateListenerGetsWhatWaited) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"send-first", "2"});
  int got = 0;
  loop.set_timeout([&] {
    child->on("message", [&](const Args& a) {
      console::log("parent got " + cp::message_arg(a).dump());
      if (++got == 2) loop.set_immediate([&] { child->disconnect(); });  // as the twin
    });
  }, 300);
  run_loop();
  const kata::testing::Lines expected{"parent got {\"n\":1}", "parent got {\"n\":2}"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/fork_parent_listens_late.js", expected);
}

// Waiting lasts as long as the channel: when it closes (here the child sent
// two messages and exited) what nobody listened for is dropped, as Node drops
// its pending messages at disconnect, and 'disconnect' comes at once.
TEST_F(Fork, MessagesNobodyListenedForAreDroppedAtDisconnect) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"send-and-exit", "2"});
  // The listener comes once 'disconnect' was seen (not after a fixed delay,
  // which a busy machine outlasts): the messages that waited for one are gone.
  child->on("disconnect", [&](const Args&) {
    console::log("disconnect");
    loop.set_immediate([&] {
      child->on("message", [](const Args& a) { console::log("parent got " + cp::message_arg(a).dump()); });
      console::log("listening");
    });
  });
  run_loop();
  const kata::testing::Lines expected{"disconnect", "listening"};
  EXPECT_TRACE(expected);
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/js/fork_dropped_at_disconnect.js", expected);
}

TEST_F(Fork, AThousandMessagesKeepTheirOrder) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"echo"});
  int next = 0;
  bool in_order = true;
  child->on("message", [&](const Args& a) {
    in_order = in_order && cp::message_arg(a)["i"] == next;
    if (++next == 1000) child->disconnect();
  });
  for (int i = 0; i < 1000; ++i) child->send({{"i", i}, {"pad", std::string(100, 'p')}});
  run_loop();
  EXPECT_EQ(next, 1000);
  EXPECT_TRUE(in_order);
}

// The echo written with this runtime replies from its listener, so its
// replies leave in batches (one write for all the replies of one delivery):
// 4000 messages of 300 bytes fill the socket both ways, batches end in the
// middle of a frame, and every message still comes back once, in order.
TEST_F(Fork, RepliesWrittenInBatchesKeepTheirOrder) {
  auto child = cp::fork(loop, ch4::kForkEcho);
  int next = 0;
  bool in_order = true;
  child->on("message", [&](const Args& a) {
    const json m = cp::message_arg(a);
    in_order = in_order && m["i"] == next && m["pad"].get<std::string>().size() == 300;
    if (++next == 4000) child->disconnect();
  });
  for (int i = 0; i < 4000; ++i) child->send({{"i", i}, {"pad", std::string(300, 'p')}});
  run_loop();
  EXPECT_EQ(next, 4000);
  EXPECT_TRUE(in_order);
}

TEST_F(Fork, ALargeMessageCrossesIntact) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"echo"});
  const std::string big(2 * 1024 * 1024, 'b');  // many reads and partial writes each way
  std::string back;
  child->on("message", [&](const Args& a) {
    back = cp::message_arg(a)["big"];
    child->disconnect();
  });
  child->send({{"big", big}});
  run_loop();
  EXPECT_EQ(back.size(), big.size());
  EXPECT_TRUE(back == big);
}

TEST_F(Fork, AChildDyingMidMessageIsAnErrorNotAHang) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"die-mid-message"});
  std::vector<std::string> errors;
  bool disconnected = false, closed = false;
  std::optional<int> code;
  child->on("message", [](const Args&) { console::log("message"); });
  child->on("error", [&](const Args& a) { errors.push_back(ipc_error(a)); });
  child->on("disconnect", [&](const Args&) { disconnected = true; });
  child->on("close", [&](const Args& a) {
    closed = true;
    code = cp::exit_code_arg(a);
  });
  run_loop();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("truncated"), std::string::npos) << errors[0];
  EXPECT_TRUE(disconnected);
  EXPECT_TRUE(closed);
  EXPECT_EQ(code, 3);
  EXPECT_TRACE({}) << "half a message is not a message";
}

TEST_F(Fork, AMalformedFrameIsAnErrorAndTheChannelGoesOn) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"garbage"});
  child->on("error", [](const Args& a) { console::log("error " + ipc_error(a).substr(0, 15)); });
  child->on("message", [](const Args& a) { console::log("message " + cp::message_arg(a).dump()); });
  run_loop();
  EXPECT_TRACE({"error malformed frame", "message {\"after\":\"garbage\"}"});
}

TEST_F(Fork, AnOversizedFrameIsRefusedWithoutBufferingIt) {
  cp::ForkOptions opts;
  opts.max_frame = 64 * 1024;
  auto child = cp::fork(loop, ch4::kIpcChild, {"oversized", "1000000"}, opts);
  child->on("error", [](const Args& a) { console::log("error " + ipc_error(a).substr(0, 15)); });
  child->on("message", [](const Args& a) { console::log("message " + cp::message_arg(a).dump()); });
  run_loop();
  EXPECT_TRACE({"error oversized frame", "message {\"after\":\"oversized\"}"});
}

// A 120 KB frame of 60000 nested arrays used to crash the parent (a stack
// overflow copying the message); the frame at exactly the limit arrives.
TEST_F(Fork, AFrameNestedTooDeepIsAnErrorNotACrash) {
  auto child = cp::fork(loop, ch4::kIpcChild,
                        {"deep", "60000", std::to_string(cp::ipc::kMaxDepth + 1), std::to_string(cp::ipc::kMaxDepth)});
  child->on("error", [](const Args& a) { console::log("error " + ipc_error(a)); });
  child->on("message", [](const Args& a) {
    const json m = cp::message_arg(a);
    console::log(m.is_array() ? "message of " + std::to_string(m.dump().size()) + " bytes" : "message " + m.dump());
  });
  run_loop();
  const std::string too_deep =
      "error malformed frame: frame nested deeper than " + std::to_string(cp::ipc::kMaxDepth) + " levels";
  EXPECT_TRACE({too_deep, too_deep, "message of " + std::to_string(2 * cp::ipc::kMaxDepth) + " bytes",
                "message {\"after\":\"deep\"}"});
}

// {"a":1}\0{"smuggled":true}... passed as {"a":1}. (Node's parent throws a
// SyntaxError out of the channel's read for these bytes: an uncaught
// exception, and the next message is lost. Here: an 'error', and the
// channel goes on.)
TEST_F(Fork, BytesAfterANulAreNeverPartOfAMessage) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"nul"});
  child->on("error", [](const Args& a) { console::log("error " + ipc_error(a).substr(0, 15)); });
  child->on("message", [](const Args& a) { console::log("message " + cp::message_arg(a).dump()); });
  run_loop();
  EXPECT_TRACE({"error malformed frame", "message {\"after\":\"nul\"}"});
}

TEST_F(Fork, SendAfterDisconnectReturnsFalse) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"echo"});
  int disconnects = 0;
  child->on("disconnect", [&](const Args&) { ++disconnects; });
  EXPECT_TRUE(child->connected());
  child->disconnect();
  child->disconnect();  // twice: harmless
  EXPECT_FALSE(child->connected());
  EXPECT_FALSE(child->send({{"late", true}}));
  run_loop();
  EXPECT_EQ(disconnects, 1);
}

TEST_F(Fork, AMessageWithoutAJsonTextIsRefusedAtSend) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"echo"});
  EXPECT_THROW(child->send(json(std::string("\xff\xfe"))), std::invalid_argument);
  std::vector<json> got;
  child->on("message", [&](const Args& a) {
    got.push_back(cp::message_arg(a));
    child->disconnect();
  });
  EXPECT_TRUE(child->send({{"still", "works"}}));
  run_loop();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (json{{"still", "works"}}));
}

TEST_F(Fork, ForkOfAMissingProgramIsAnErrorEvent) {
  auto child = cp::fork(loop, "/nonexistent/worker");
  std::string code;
  child->on("error", [&](const Args& a) { code = ipc_error(a); });
  EXPECT_FALSE(child->connected());
  EXPECT_FALSE(child->send({{"x", 1}}));
  run_loop();
  EXPECT_EQ(code, "ENOENT");
  EXPECT_THROW(cp::fork(loop, ""), std::invalid_argument);
}

TEST_F(Fork, TheChildGetsTheChannelAndNoOtherFd) {
  auto child = cp::fork(loop, ch4::kIpcChild, {"report"});
  json report;
  child->on("message", [&](const Args& a) {
    report = cp::message_arg(a);
    child->disconnect();
  });
  run_loop();
  ASSERT_TRUE(report.contains("channel_fd")) << report.dump();
  const int channel_fd = std::stoi(report["channel_fd"].get<std::string>());
  EXPECT_EQ(report["fds"], json::array({channel_fd})) << "only stdio and the channel cross exec";
}

// ---- handles ------------------------------------------------------------------

TEST_F(Fork, AConnectedSocketCanBeSentToTheChild) {
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  auto child = cp::fork(loop, ch4::kIpcChild, {"handles"});
  int returned = -1;
  json reply;
  child->on("message", [&](const Args& a) {
    reply = cp::message_arg(a);
    returned = cp::handle_arg(a);
    child->disconnect();
  });
  ASSERT_TRUE(child->send({{"write", "through the child\n"}}, pair[0]));
  ::close(pair[0]);  // send() took a copy of its own: ours can go at once
  run_loop();
  ASSERT_GE(returned, 0) << "the child sent the socket back with its reply";
  EXPECT_EQ(reply, (json{{"handled", {{"write", "through the child\n"}}}}));
  ::close(returned);  // every copy of pair[0] is closed now: the reader sees EOF
  EXPECT_EQ(read_all(pair[1]), "through the child\n");
  ::close(pair[1]);
}

TEST_F(Fork, AListeningSocketCanBeSentAndAcceptedOnInTheChild) {
  // What the cluster module does: the primary listens, a worker accepts.
  const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(server, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // 127.0.0.1 only
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(server, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len);

  auto child = cp::fork(loop, ch4::kIpcChild, {"handles"});
  int returned = -1;
  child->on("message", [&](const Args& a) {
    returned = cp::handle_arg(a);
    child->disconnect();
  });
  ASSERT_TRUE(child->send({{"accept", true}}, server));
  const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  run_loop();
  EXPECT_EQ(read_all(client), "hello\n") << "the child accepted on the socket we sent";
  ASSERT_GE(returned, 0);
  EXPECT_EQ(inode(returned), inode(server)) << "the fd that came back is the same socket";
  ::close(returned);
  ::close(client);
  ::close(server);
}

TEST_F(Fork, HandlesTravelOneAtATimeInOrder) {
  constexpr int kCount = 5;
  int pairs[kCount][2];
  auto child = cp::fork(loop, ch4::kIpcChild, {"handles"});
  std::vector<std::string> replies;
  child->on("message", [&](const Args& a) {
    replies.push_back(cp::message_arg(a)["handled"]["write"]);
    ::close(cp::handle_arg(a));
    if (replies.size() == kCount) child->disconnect();
  });
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pairs[i]), 0);
    child->send({{"write", std::to_string(i)}}, pairs[i][0]);
    ::close(pairs[i][0]);
  }
  run_loop();
  ASSERT_EQ(replies, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(read_all(pairs[i][1]), std::to_string(i));
    ::close(pairs[i][1]);
  }
}

// ---- fds a peer sends: each bound to its own frame ------------------------------

// fds used to wait in a FIFO that later NODE_HANDLE frames claimed: 7 extra
// fds of one frame reached the next handle frames, which came without any.
TEST_F(Fork, ExtraFdsAreClosedAndNoStaleFdReachesALaterHandleMessage) {
  int sv[2];
  cp::ipc::socket_pair(sv);
  auto target = std::make_shared<kata::events::EventEmitter>();
  auto channel = std::make_shared<cp::Channel>(loop, sv[1], target);
  const std::size_t base = fd_count();  // the channel's fd included
  std::size_t at_end = 0;
  target->on("error", [](const Args& a) { console::log("error " + ipc_code(a)); });
  target->on("message", [&](const Args& a) {
    const json m = cp::message_arg(a);
    const int handle = cp::handle_arg(a);
    console::log("message " + m["n"].dump() + (handle >= 0 ? " fd" : " -1"));
    if (handle >= 0) ::close(handle);
    if (m["n"] == 3) {
      at_end = fd_count();
      channel->disconnect();
    }
  });
  channel->start();
  send_frame(sv[0], handle_frame({{"n", 1}}), dev_nulls(8));
  send_frame(sv[0], handle_frame({{"n", 2}}));
  const std::string garbage = "not json\n";
  const std::vector<int> one = dev_nulls(1);
  ASSERT_EQ(cp::ipc::send_with_fds(sv[0], garbage, one), ssize_t(garbage.size()));
  ::close(one[0]);
  send_frame(sv[0], handle_frame({{"n", 3}}));
  run_loop();
  EXPECT_TRACE({"error ERR_IPC_STRAY_FD", "message 1 fd", "error ERR_IPC_HANDLE_LOST", "message 2 -1", "error ERR_IPC_FRAME",
                "error ERR_IPC_HANDLE_LOST", "message 3 -1"});
  EXPECT_EQ(at_end, base) << "every fd sent was closed or handed out (and closed by the listener)";
  const std::string ack = "{\"cmd\":\"NODE_HANDLE_ACK\"}\n";
  EXPECT_EQ(read_all(sv[0]), ack + ack + ack) << "every NODE_HANDLE is ACKed, with or without its fd";
  ::close(sv[0]);
}

TEST_F(Fork, FdsSentWithPlainMessagesAreClosedAtOnce) {
  int sv[2];
  cp::ipc::socket_pair(sv);
  auto target = std::make_shared<kata::events::EventEmitter>();
  auto channel = std::make_shared<cp::Channel>(loop, sv[1], target);
  const std::size_t base = fd_count();
  constexpr int kMessages = 100;
  int got = 0, errors = 0;
  std::size_t most = 0;
  target->on("error", [&](const Args& a) { errors += ipc_code(a) == "ERR_IPC_STRAY_FD"; });
  target->on("message", [&](const Args& a) {
    most = std::max(most, fd_count());
    EXPECT_EQ(cp::handle_arg(a), -1);
    if (++got == kMessages) {
      channel->disconnect();
    } else {
      send_frame(sv[0], {{"n", got}}, dev_nulls(8));  // one at a time: few fds in flight
    }
  });
  channel->start();
  send_frame(sv[0], {{"n", 0}}, dev_nulls(8));
  run_loop();
  EXPECT_EQ(got, kMessages);
  EXPECT_EQ(errors, kMessages) << "each message's fds are reported";
  EXPECT_EQ(most, base) << "the receiver holds none of the fds sent with plain messages";
  ::close(sv[0]);
}

// The child is at RLIMIT_NOFILE: the kernel can't install the handle and
// says MSG_CTRUNC. The message still arrives (handle -1) after an
// ERR_IPC_HANDLE_LOST 'error', and the child still ACKs, so the message
// queued behind the handle is sent and arrives too.
TEST_F(Fork, AHandleLostToMsgCtruncIsAnErrorAndStillAcked) {
  auto child = cp::fork(loop, ch4::kForkEcho, {"low-fd-limit"});
  std::vector<json> replies;
  child->on("message", [&](const Args& a) {
    replies.push_back(cp::message_arg(a));
    if (replies.size() == 3) child->disconnect();
  });
  std::optional<int> code;
  child->on("close", [&](const Args& a) { code = cp::exit_code_arg(a); });
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  ASSERT_TRUE(child->send({{"n", 1}}, p[1]));
  ASSERT_TRUE(child->send({{"n", 2}}));  // waits for the ACK of the handle
  ::close(p[0]);
  ::close(p[1]);
  run_loop();
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].value("error", ""), "ERR_IPC_HANDLE_LOST") << replies[0].dump();
  EXPECT_NE(replies[0].value("text", "").find("MSG_CTRUNC"), std::string::npos) << replies[0].dump();
  EXPECT_EQ(replies[1], (json{{"got", {{"n", 1}}}, {"handle", false}}));
  EXPECT_EQ(replies[2], (json{{"got", {{"n", 2}}}, {"handle", false}}));
  EXPECT_EQ(code, 0);
}

// ---- the child's side, in this process ------------------------------------------

TEST_F(Fork, ProcessChannelIsTheChildsSide) {
  int sv[2];
  cp::ipc::socket_pair(sv);
  ::setenv("NODE_CHANNEL_FD", std::to_string(sv[1]).c_str(), 1);
  auto parent = cp::process_channel(loop);
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(std::getenv("NODE_CHANNEL_FD"), nullptr) << "claimed: our own children must not inherit it";

  // The "parent" (sv[0]) sends a plain message, then one with a pipe's write end.
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  const std::string plain = cp::ipc::encode({{"from", "parent"}});
  ASSERT_EQ(::write(sv[0], plain.data(), plain.size()), ssize_t(plain.size()));
  const std::string with_handle = cp::ipc::encode({{"cmd", "NODE_HANDLE"}, {"type", "fd"}, {"msg", {{"pipe", true}}}});
  const int one[1] = {p[1]};
  ASSERT_EQ(cp::ipc::send_with_fds(sv[0], with_handle, one), ssize_t(with_handle.size()));
  ::close(p[1]);

  cp::ProcessChannel* self = parent.get();
  parent->on("message", [self](const Args& a) {
    const json msg = cp::message_arg(a);
    const int handle = cp::handle_arg(a);
    console::log("child got " + msg.dump() + (handle >= 0 ? " +handle" : ""));
    if (handle >= 0) {
      (void)!::write(handle, "via handle", 10);
      ::close(handle);
      self->send({{"from", "child"}});
      self->disconnect();
    }
  });
  parent.reset();  // the channel keeps it alive while it listens
  run_loop();
  EXPECT_TRACE({"child got {\"from\":\"parent\"}", "child got {\"pipe\":true} +handle"});
  EXPECT_EQ(read_all(p[0]), "via handle");
  ::close(p[0]);
  EXPECT_EQ(read_all(sv[0]), "{\"cmd\":\"NODE_HANDLE_ACK\"}\n{\"from\":\"child\"}\n") << "ACK, message, then EOF";
  ::close(sv[0]);
}
