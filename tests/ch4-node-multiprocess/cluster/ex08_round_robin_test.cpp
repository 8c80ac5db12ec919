// Chapter 4, exercise 8 — cluster's round-robin dispatcher, without sockets.
// `send` and `close` only write to the trace, and the tests play the workers'
// acknowledgements, so every interleaving the primary can meet is replayed
// exactly. The rules are Node's lib/internal/cluster/round_robin_handle.js,
// plus the fix for connections lost with a dying worker (nodejs/node#3551).
#include "round_robin.hpp"

#include <map>
#include <stdexcept>
#include <string>

#include "kata/console.hpp"
#include "kata/testing.hpp"

using kata::cluster::RoundRobinHandle;
namespace console = kata::console;

namespace {
RoundRobinHandle traced() {
  return RoundRobinHandle(
      [](int w, int c) { console::log("send w" + std::to_string(w) + " c" + std::to_string(c)); },
      [](int c) { console::log("close c" + std::to_string(c)); });
}
}  // namespace

TEST(RoundRobin, WorkersAreFreeInTheOrderTheyStartListening) {
  auto rr = traced();
  rr.add(2);
  rr.add(1);
  rr.add(3);
  EXPECT_EQ(rr.free_workers(), (std::vector<int>{2, 1, 3}));
  EXPECT_TRACE({});
}

TEST(RoundRobin, SequentialConnectionsCycleInListeningOrder) {
  // One connection at a time; each worker acknowledges before the next arrives.
  auto rr = traced();
  for (int w : {1, 2, 3}) rr.add(w);
  kata::testing::Lines answered;
  for (int c = 0; c < 7; ++c) {
    rr.distribute(100 + c);
    for (int w : {1, 2, 3})
      if (rr.in_flight(w)) {
        answered.push_back("worker " + std::to_string(w));
        rr.on_reply(w, true);
      }
  }
  const kata::testing::Lines expected{"worker 1", "worker 2", "worker 3", "worker 1",
                                      "worker 2", "worker 3", "worker 1"};
  EXPECT_ORDER(expected, answered);
  EXPECT_TRACE({"send w1 c100", "close c100", "send w2 c101", "close c101", "send w3 c102", "close c102",
                "send w1 c103", "close c103", "send w2 c104", "close c104", "send w3 c105", "close c105",
                "send w1 c106", "close c106"});
  // Real Node with NODE_CLUSTER_SCHED_POLICY=rr answers the same way.
  EXPECT_NODE_PRINTS("ch4-node-multiprocess/cluster/js/rr_sequential.js", expected);
}

TEST(RoundRobin, ABusyWorkerIsSkippedAndConnectionsWaitForTheFirstAck) {
  auto rr = traced();
  rr.add(1);
  rr.add(2);
  rr.distribute(10);  // → 1
  rr.distribute(11);  // → 2
  rr.distribute(12);  // both busy: waits
  EXPECT_EQ(rr.queued(), 1u);
  EXPECT_TRUE(rr.free_workers().empty());
  rr.on_reply(2, true);  // 2 answers first, so 2 gets the waiting one
  rr.on_reply(1, true);  // nothing waiting: 1 becomes free
  EXPECT_TRACE({"send w1 c10", "send w2 c11", "close c11", "send w2 c12", "close c10"});
  EXPECT_EQ(rr.free_workers(), (std::vector<int>{1}));
  EXPECT_EQ(rr.in_flight(2), 12);
  EXPECT_EQ(rr.queued(), 0u);
}

TEST(RoundRobin, ConnectionsAcceptedBeforeAnyWorkerListensWait) {
  auto rr = traced();
  rr.distribute(10);
  rr.distribute(11);
  EXPECT_TRACE({});
  rr.add(7);
  EXPECT_TRACE({"send w7 c10"});
  rr.on_reply(7, true);
  EXPECT_TRACE({"send w7 c10", "close c10", "send w7 c11"});
}

TEST(RoundRobin, ARefusedConnectionGoesToAnotherWorker) {
  // A worker that is closing its server answers {accepted:false}.
  auto rr = traced();
  for (int w : {1, 2, 3}) rr.add(w);
  rr.distribute(10);
  rr.on_reply(1, false);
  EXPECT_TRACE({"send w1 c10", "send w2 c10"});
  EXPECT_EQ(rr.free_workers(), (std::vector<int>{3, 1}));
  rr.on_reply(2, true);
  EXPECT_TRACE({"send w1 c10", "send w2 c10", "close c10"});
}

TEST(RoundRobin, ADeadWorkersUnacknowledgedConnectionIsNotLost) {
  auto rr = traced();
  rr.add(1);
  rr.add(2);
  rr.distribute(10);  // → 1, which dies before answering
  EXPECT_FALSE(rr.remove(1));
  EXPECT_TRACE({"send w1 c10", "send w2 c10"});
  rr.on_reply(1, true);  // a late answer from the dead one changes nothing
  EXPECT_TRACE({"send w1 c10", "send w2 c10"});
  EXPECT_EQ(rr.size(), 1u);
}

TEST(RoundRobin, TheOrphanWaitsFirstInLineWhenEveryoneIsBusy) {
  auto rr = traced();
  rr.add(1);
  rr.add(2);
  rr.distribute(10);  // → 1
  rr.distribute(11);  // → 2
  rr.distribute(12);  // waits
  rr.remove(1);       // 10 was never acknowledged: it goes before 12
  EXPECT_EQ(rr.queued(), 2u);
  rr.on_reply(2, true);
  EXPECT_TRACE({"send w1 c10", "send w2 c11", "close c11", "send w2 c10"});
}

TEST(RoundRobin, TheLastWorkerLeavingClosesWhatIsQueued) {
  auto rr = traced();
  rr.add(1);
  rr.distribute(10);
  rr.distribute(11);
  EXPECT_TRUE(rr.remove(1)) << "the last worker is gone: stop listening";
  EXPECT_TRACE({"send w1 c10", "close c10", "close c11"});
  EXPECT_EQ(rr.queued(), 0u);
  EXPECT_FALSE(rr.remove(1)) << "removing an unknown worker is a no-op";
}

TEST(RoundRobin, AFreeWorkerThatLeavesIsNoLongerChosen) {
  auto rr = traced();
  for (int w : {1, 2, 3}) rr.add(w);
  rr.remove(2);
  EXPECT_EQ(rr.free_workers(), (std::vector<int>{1, 3}));
  rr.distribute(10);
  rr.distribute(11);
  EXPECT_TRACE({"send w1 c10", "send w3 c11"});
}

TEST(RoundRobin, AddingTheSameWorkerTwiceIsABug) {
  auto rr = traced();
  rr.add(1);
  EXPECT_THROW(rr.add(1), std::logic_error);
}

TEST(RoundRobin, UnderConcurrencyPromptAcksKeepCountsWithinOne) {
  // 20 clients at once (the seed's ab -c20), 4 workers that answer in the order
  // they were sent to: 1000 connections end up 250 each, give or take one.
  std::map<int, int> count;
  std::deque<int> unanswered;  // workers, in the order they were sent a connection
  RoundRobinHandle rr([&](int w, int) { ++count[w]; unanswered.push_back(w); }, [](int) {});
  for (int w : {1, 2, 3, 4}) rr.add(w);
  for (int c = 0; c < 1000; ++c) {
    rr.distribute(c);
    if (c % 20 == 19)  // a burst of 20 arrived; the workers catch up
      while (!unanswered.empty()) {
        const int w = unanswered.front();
        unanswered.pop_front();
        rr.on_reply(w, true);
      }
  }
  while (!unanswered.empty()) {
    const int w = unanswered.front();
    unanswered.pop_front();
    rr.on_reply(w, true);
  }
  ASSERT_EQ(count.size(), 4u);
  for (auto& [w, n] : count) EXPECT_NEAR(n, 250, 1) << "worker " << w;
  EXPECT_EQ(rr.queued(), 0u);
}

TEST(RoundRobin, AWindowKeepsTheRotationWhileAcksAreSlow) {
  // max_in_flight = 3: a worker stays in line until it holds 3 unanswered.
  RoundRobinHandle rr(
      [](int w, int c) { console::log("send w" + std::to_string(w) + " c" + std::to_string(c)); },
      [](int c) { console::log("close c" + std::to_string(c)); }, 3);
  rr.add(1);
  rr.add(2);
  for (int c = 10; c < 17; ++c) rr.distribute(c);  // nobody answers yet
  EXPECT_TRACE({"send w1 c10", "send w2 c11", "send w1 c12", "send w2 c13", "send w1 c14", "send w2 c15"});
  EXPECT_EQ(rr.queued(), 1u) << "both windows are full: c16 waits";
  EXPECT_EQ(rr.in_flight_count(1), 3u);
  rr.on_reply(2, true);  // answers c11: worker 2 has room again and takes c16
  EXPECT_TRACE({"send w1 c10", "send w2 c11", "send w1 c12", "send w2 c13", "send w1 c14", "send w2 c15",
                "close c11", "send w2 c16"});
  EXPECT_EQ(rr.in_flight(1), 10) << "answers come back oldest first";
}

TEST(RoundRobin, ARefusingWorkerWithRoomDoesNotGetItsConnectionBack) {
  auto rr = RoundRobinHandle([](int w, int c) { console::log("send w" + std::to_string(w) + " c" + std::to_string(c)); },
                             [](int c) { console::log("close c" + std::to_string(c)); }, 4);
  rr.add(1);
  rr.add(2);
  rr.distribute(10);      // → 1, which still has room and stays in line
  rr.on_reply(1, false);  // closing: refuses
  EXPECT_TRACE({"send w1 c10", "send w2 c10"});
  EXPECT_EQ(rr.free_workers(), (std::vector<int>{2, 1}));
}

TEST(RoundRobin, AWorkerClosingItsServerStillAnswersForWhatItWasSent) {
  // Node's removeHandlesForWorker on disconnect: nothing new for it, but the
  // connection already on its way is its to accept (re-sending it would let
  // two workers serve one connection).
  auto rr = traced();
  rr.add(1);
  rr.add(2);
  rr.distribute(10);  // → 1
  EXPECT_FALSE(rr.remove(1, /*dead=*/false));
  rr.distribute(11);  // → 2, never 1 again
  rr.on_reply(1, true);
  EXPECT_TRACE({"send w1 c10", "send w2 c11", "close c10"});
}

TEST(RoundRobin, ALeavingWorkersRefusalGoesToAnotherWorker) {
  auto rr = traced();
  rr.add(1);
  rr.add(2);
  rr.distribute(10);  // → 1
  rr.remove(1, false);
  rr.on_reply(1, false);  // it had already closed its server
  EXPECT_TRACE({"send w1 c10", "send w2 c10"});
}

TEST(RoundRobin, CloseAllLetsGoOfEverythingHeld) {
  auto rr = traced();
  rr.add(1);
  rr.distribute(10);  // → 1, unanswered
  rr.distribute(11);  // queued
  rr.close_all();
  EXPECT_TRACE({"send w1 c10", "close c11", "close c10"});
  EXPECT_EQ(rr.queued(), 0u);
  EXPECT_FALSE(rr.in_flight(1).has_value());
}

TEST(RoundRobin, AConnectionEveryWorkerRefusesIsDroppedAfterMaxDispatches) {
  // Both workers are out of fds: each refuses (its fd never arrived). Without
  // a bound the connection would circle between them for ever.
  RoundRobinHandle rr([](int w, int c) { console::log("send w" + std::to_string(w) + " c" + std::to_string(c)); },
                      [](int c) { console::log("close c" + std::to_string(c)); }, 1, /*max_dispatches=*/3);
  rr.add(1);
  rr.add(2);
  rr.distribute(10);
  rr.on_reply(1, false);
  rr.on_reply(2, false);
  rr.on_reply(1, false);  // the third refusal: give up on it
  EXPECT_TRACE({"send w1 c10", "send w2 c10", "send w1 c10", "close c10"});
  EXPECT_EQ(rr.dropped(), 1u);
  EXPECT_EQ(rr.queued(), 0u);
  EXPECT_EQ(rr.free_workers(), (std::vector<int>{2, 1})) << "both are free for the next one";
  rr.distribute(11);  // a new connection starts its own count
  rr.on_reply(2, true);
  EXPECT_TRACE({"send w1 c10", "send w2 c10", "send w1 c10", "close c10", "send w2 c11", "close c11"});
  EXPECT_EQ(rr.dropped(), 1u);
}

TEST(RoundRobin, ALostDispatchIsRefusedByNameAndFreesTheSlot) {
  // Worker 1 never answers c10 (its handle was lost): the primary's reply
  // timer calls on_lost. c10 goes to worker 2, worker 1 takes the next one.
  auto rr = RoundRobinHandle([](int w, int c) { console::log("send w" + std::to_string(w) + " c" + std::to_string(c)); },
                             [](int c) { console::log("close c" + std::to_string(c)); }, 2, 3);
  rr.add(1);
  rr.add(2);
  rr.distribute(10);  // → 1
  rr.distribute(11);  // → 2
  rr.distribute(12);  // → 1 (window 2)
  rr.on_lost(1, 10);  // not 12: the lost one is named
  EXPECT_EQ(rr.in_flight(1), 12);
  EXPECT_EQ(rr.in_flight_count(2), 2u) << "c10 went to worker 2";
  rr.on_lost(1, 10);  // a second report of the same loss changes nothing
  rr.on_lost(7, 12);  // nor does an unknown worker
  rr.on_reply(1, true);  // worker 1's answer is about c12 now
  EXPECT_TRACE({"send w1 c10", "send w2 c11", "send w1 c12", "send w2 c10", "close c12"});
  EXPECT_EQ(rr.free_workers(), (std::vector<int>{1}));
  EXPECT_EQ(rr.dropped(), 0u);
}
