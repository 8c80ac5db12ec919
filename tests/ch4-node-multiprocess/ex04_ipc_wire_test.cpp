// Chapter 4, exercise 4 — the wire under fork()'s channel: one JSON text per
// line, and file descriptors passed with SCM_RIGHTS. No event loop yet: these
// are the pieces exercise 5 puts on the loop. Every test runs under NoLeaks
// (an fd left open fails it).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <any>
#include <cstring>
#include <string>
#include <vector>

#include "fd_passing.hpp"
#include "json_lines.hpp"
#include "kata/raw_fds.hpp"
#include "kata/testing.hpp"

namespace ipc = kata::child_process::ipc;
using ipc::json;
// Every test fails if it leaves an fd open or a child behind.
class Wire : public kata::testing::NoLeaks {};

namespace {

std::vector<json> messages(const std::vector<ipc::Frame>& frames) {
  std::vector<json> out;
  for (const auto& f : frames)
    if (f.message) out.push_back(*f.message);
  return out;
}
std::vector<std::string> errors(const std::vector<ipc::Frame>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames)
    if (!f.message) out.push_back(f.error);
  return out;
}
bool is_cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

// A socketpair closed at the end of the test.
struct Pair {
  int fd[2] = {-1, -1};
  Pair() { ipc::socket_pair(fd); }
  ~Pair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
};

}  // namespace

// ---- framing -----------------------------------------------------------------

TEST_F(Wire, EncodeWritesOneJsonTextAndOneNewline) {
  const std::string line = ipc::encode(json{{"text", "two\nlines"}, {"n", 1}});
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "a newline inside a string must be escaped: " << line;
  EXPECT_EQ(json::parse(line), (json{{"text", "two\nlines"}, {"n", 1}}));
}

TEST_F(Wire, DecodesFramesSplitAtEveryByte) {
  const std::string wire = ipc::encode({{"hello", "world"}}) + ipc::encode({1, 2, 3}) + ipc::encode("日本");
  ipc::LineDecoder decoder;
  std::vector<json> got;
  for (char c : wire)  // worst case: one byte per read, even inside a UTF-8 character
    for (auto& m : messages(decoder.feed(std::string_view(&c, 1)))) got.push_back(m);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (json{{"hello", "world"}}));
  EXPECT_EQ(got[1], (json{1, 2, 3}));
  EXPECT_EQ(got[2], json("日本"));
  EXPECT_EQ(decoder.buffered(), 0u);
  EXPECT_EQ(decoder.finish(), std::nullopt);
}

TEST_F(Wire, DecodesManyFramesFromOneChunkInOrder) {
  std::string wire;
  for (int i = 0; i < 100; ++i) wire += ipc::encode({{"i", i}});
  ipc::LineDecoder decoder;
  auto got = messages(decoder.feed(wire));
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(got[size_t(i)]["i"], i);
}

TEST_F(Wire, MalformedFrameIsReportedAndTheNextOneStillArrives) {
  ipc::LineDecoder decoder;
  auto frames = decoder.feed("this is not json\n{\"ok\":1}\n{\"half\":\n[2]\n");
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_FALSE(frames[0].message);
  EXPECT_NE(frames[0].error.find("malformed"), std::string::npos) << frames[0].error;
  EXPECT_EQ(frames[1].message, json({{"ok", 1}}));
  EXPECT_FALSE(frames[2].message) << "a frame cut by a newline is malformed too";
  EXPECT_EQ(frames[3].message, json({2}));
}

TEST_F(Wire, PartialFrameAtEndOfChannelIsReported) {
  ipc::LineDecoder decoder;
  EXPECT_TRUE(decoder.feed("{\"partial\":").empty());
  EXPECT_EQ(decoder.buffered(), 11u);
  auto err = decoder.finish();
  ASSERT_TRUE(err.has_value()) << "a peer that died mid-message must not pass silently";
  EXPECT_NE(err->find("truncated"), std::string::npos) << *err;
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST_F(Wire, OversizedFrameIsDroppedWithoutBufferingIt) {
  ipc::LineDecoder decoder(1024);
  const std::string block(4096, 'x');
  for (int i = 0; i < 256; ++i) {  // 1 MiB without a newline
    EXPECT_TRUE(decoder.feed(block).empty());
    ASSERT_LE(decoder.buffered(), 1024u) << "the decoder must stop buffering at the limit";
  }
  auto frames = decoder.feed("\n{\"after\":true}\n");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_FALSE(frames[0].message);
  EXPECT_NE(frames[0].error.find("oversized"), std::string::npos) << frames[0].error;
  EXPECT_EQ(frames[1].message, json({{"after", true}})) << "the frame after an oversized one is kept";
}

TEST_F(Wire, AFrameExactlyAtTheLimitIsAccepted) {
  const std::string text = ipc::encode(std::string(100, 'a'));  // 102 bytes + '\n'
  ipc::LineDecoder decoder(text.size() - 1);
  auto frames = decoder.feed(text);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].message.has_value()) << frames[0].error;
}

TEST_F(Wire, InvalidUtf8IsRefusedAtBothEnds) {
  EXPECT_THROW(ipc::encode(json(std::string("\xff\xfe"))), std::invalid_argument)
      << "the sender is where the bug is: refuse to serialize";
  ipc::LineDecoder decoder;
  auto frames = decoder.feed("\"\xff\xfe\"\n");
  ASSERT_EQ(errors(frames).size(), 1u) << "a receiver never accepts invalid UTF-8 as a message";
}

// ---- hostile frames -----------------------------------------------------------

namespace {
std::string nested_array_text(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }
// A value nested `depth` arrays deep, built without recursion.
json nested_array(std::size_t depth) {
  json v = json::array();
  for (std::size_t i = 1; i < depth; ++i) {
    json outer = json::array();
    outer.push_back(std::move(v));
    v = std::move(outer);
  }
  return v;
}
}  // namespace

// Copying, dumping or comparing a json value recurses once per level: 60000
// '[' (120 KB, far under the size limit) overflowed the stack of whoever
// copied the message. The decoder refuses such a frame before parsing it.
TEST_F(Wire, AFrameNestedDeeperThanTheLimitIsMalformedAndTheNextArrives) {
  ipc::LineDecoder decoder;
  const std::string wire = nested_array_text(ipc::kMaxDepth + 1) + "\n" + nested_array_text(60000) + "\n" +
                           "{\"s\":\"" + std::string(ipc::kMaxDepth + 5, '[') + "\"}\n{\"next\":1}\n";
  auto frames = decoder.feed(wire);
  ASSERT_EQ(frames.size(), 4u);
  for (int i : {0, 1}) {
    EXPECT_FALSE(frames[size_t(i)].message) << "frame " << i << " must be refused";
    EXPECT_NE(frames[size_t(i)].error.find("nested deeper than " + std::to_string(ipc::kMaxDepth) + " levels"),
              std::string::npos)
        << frames[size_t(i)].error;
  }
  ASSERT_TRUE(frames[2].message) << "brackets inside a string are not nesting: " << frames[2].error;
  EXPECT_EQ(frames[3].message, json({{"next", 1}}));
}

TEST_F(Wire, AFrameExactlyAtTheDepthLimitIsAcceptedAndSafeToUse) {
  ipc::LineDecoder decoder;
  auto frames = decoder.feed(nested_array_text(ipc::kMaxDepth) + "\n" +
                             "{\"a\":" + nested_array_text(ipc::kMaxDepth - 1) + "}\n");
  ASSERT_EQ(frames.size(), 2u);
  ASSERT_TRUE(frames[0].message) << frames[0].error;
  ASSERT_TRUE(frames[1].message) << frames[1].error;
  // What the channel does with a message: a copy into an event's std::any,
  // re-encoding, comparing.
  const std::vector<std::any> args{std::any(*frames[0].message)};
  const json copy = std::any_cast<json>(args.at(0));
  EXPECT_EQ(copy, nested_array(ipc::kMaxDepth));
  EXPECT_EQ(ipc::encode(copy), nested_array_text(ipc::kMaxDepth) + "\n");
}

TEST_F(Wire, EncodeRefusesAMessageNestedDeeperThanTheLimit) {
  EXPECT_NO_THROW(ipc::encode(nested_array(ipc::kMaxDepth)));
  EXPECT_THROW(ipc::encode(nested_array(ipc::kMaxDepth + 1)), std::invalid_argument)
      << "the receiver would refuse it: refuse at the sender";
  EXPECT_THROW(ipc::encode(json{{"deep", nested_array(60000)}}), std::invalid_argument)
      << "refused before dump() recurses 60000 times";
}

// The parser takes a NUL for the end of its input: `{"a":1}\0...` passed as
// {"a":1}, the rest of the frame silently dropped.
TEST_F(Wire, BytesAfterANulMakeTheFrameMalformed) {
  ipc::LineDecoder decoder;
  using namespace std::string_literals;
  auto frames = decoder.feed("{\"a\":1}\0{\"smuggled\":true} trailing garbage\n"s + "\"in\0string\"\n"s +
                             "{\"a\":1}\0\n"s + "{\"a\":1} \t\r\n"s + "{\"next\":2}\n"s);
  ASSERT_EQ(frames.size(), 5u);
  for (int i : {0, 1, 2}) {
    EXPECT_FALSE(frames[size_t(i)].message) << "frame " << i << " was accepted as " << frames[size_t(i)].message->dump();
    EXPECT_NE(frames[size_t(i)].error.find("malformed"), std::string::npos) << frames[size_t(i)].error;
  }
  EXPECT_EQ(frames[3].message, json({{"a", 1}})) << "whitespace after the text is fine: " << frames[3].error;
  EXPECT_EQ(frames[4].message, json({{"next", 2}}));
}

// ---- SCM_RIGHTS --------------------------------------------------------------

TEST_F(Wire, SocketPairEndsAreCloseOnExec) {
  Pair p;
  EXPECT_TRUE(is_cloexec(p.fd[0]));
  EXPECT_TRUE(is_cloexec(p.fd[1]));
}

TEST_F(Wire, AnFdSentArrivesAsAWorkingCopy) {
  Pair p;
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  const int one[1] = {pipe_fds[1]};
  ASSERT_EQ(ipc::send_with_fds(p.fd[0], "x", one), 1);
  ::close(pipe_fds[1]);  // our copy is gone; the one in flight keeps the pipe open

  char buf[16];
  ipc::Received r = ipc::recv_with_fds(p.fd[1], buf, sizeof buf);
  ASSERT_EQ(r.bytes, 1);
  ASSERT_EQ(r.fds.size(), 1u);
  EXPECT_FALSE(r.fds_truncated);
  EXPECT_TRUE(is_cloexec(r.fds[0])) << "received fds must be CLOEXEC from birth (MSG_CMSG_CLOEXEC)";
  ASSERT_EQ(::write(r.fds[0], "through", 7), 7);
  ::close(r.fds[0]);
  ASSERT_EQ(::read(pipe_fds[0], buf, sizeof buf), 7);
  EXPECT_EQ(std::string(buf, 7), "through");
  ::close(pipe_fds[0]);
}

TEST_F(Wire, FdsRideOnTheFirstByteOnly) {
  Pair p;
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  const int one[1] = {pipe_fds[0]};
  ASSERT_EQ(ipc::send_with_fds(p.fd[0], "abc", one), 3);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);

  char buf[16];
  ipc::Received first = ipc::recv_with_fds(p.fd[1], buf, 1);  // a short read at the boundary
  ASSERT_EQ(first.bytes, 1);
  EXPECT_EQ(first.fds.size(), 1u) << "the fd arrives with the first byte sent with it";
  ipc::Received rest = ipc::recv_with_fds(p.fd[1], buf, sizeof buf);
  EXPECT_EQ(rest.bytes, 2);
  EXPECT_TRUE(rest.fds.empty());
  for (int fd : first.fds) ::close(fd);
}

TEST_F(Wire, SendingFdsNeedsAtLeastOneByte) {
  Pair p;
  const int one[1] = {p.fd[0]};
  EXPECT_EQ(ipc::send_with_fds(p.fd[0], "", one), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST_F(Wire, TruncatedControlDataClosesWhatArrived) {
  // More fds than recv_with_fds has room for: the kernel drops the rest and
  // says MSG_CTRUNC. A partial set is useless, and must not leak.
  Pair p;
  constexpr size_t kCount = ipc::kMaxFdsPerRead + 4;
  std::vector<int> fds;
  for (size_t i = 0; i < kCount; ++i) fds.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  ASSERT_EQ(kata::raw_send_fds(p.fd[0], "x", fds), 1);
  for (int fd : fds) ::close(fd);

  char buf[4];
  ipc::Received r = ipc::recv_with_fds(p.fd[1], buf, sizeof buf);
  EXPECT_EQ(r.bytes, 1);
  EXPECT_TRUE(r.fds_truncated);
  EXPECT_TRUE(r.fds.empty()) << "the fds that did arrive are closed, not handed out";
}

TEST_F(Wire, PeerClosedReadsAsZero) {
  Pair p;
  ::close(p.fd[0]);
  p.fd[0] = -1;
  char buf[4];
  ipc::Received r = ipc::recv_with_fds(p.fd[1], buf, sizeof buf);
  EXPECT_EQ(r.bytes, 0);
  EXPECT_TRUE(r.fds.empty());
}
