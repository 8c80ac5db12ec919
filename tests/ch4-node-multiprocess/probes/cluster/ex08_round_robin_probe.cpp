// Hidden check of ch4.ex08 (kata/probe.hpp): a random life of the primary's
// dispatcher — workers join, answer (accept or refuse, oldest first), lose a
// dispatch, leave politely or die (now and then from inside send, as a dead
// channel does), connections arrive, with a window of 1-3 and a dispatch
// bound of 0/2/3 — logging every send and close, what each call returns, the
// free line and the counts. It ends with close_all, whose closes are logged
// sorted (the README does not order them).
//
// Only calls the README gives a meaning are made: replies come from workers
// that have something unanswered (or from a dead one, which is ignored),
// worker ids are never reused, and after the last worker leaves only the
// leaving workers still answer.
//
//     ./build/learner/ch4_ex08 --kata-probe --seed 7 --cases 3
#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "kata/console.hpp"
#include "kata/probe.hpp"
#include "round_robin.hpp"

namespace {

using kata::cluster::RoundRobinHandle;
using kata::console::log;
using kata::probe::Rng;

std::string list(const std::vector<int>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + std::to_string(v[i]);
  return out + "]";
}

struct World {
  explicit World(Rng& r) : rng(r) {}
  Rng& rng;
  RoundRobinHandle* rr = nullptr;
  std::vector<int> live;                 // added, not removed
  std::map<int, std::deque<int>> owed;   // the spec's in-flight lists, to choose valid calls only
  std::set<int> leaving;                 // removed politely, answers still owed
  std::vector<int> dead;                 // died
  std::map<int, std::vector<int>> sent;  // every connection ever sent to a worker
  bool collecting = false;               // inside close_all: closes are gathered, then sorted
  std::vector<int> closed;
  bool killed_in_send = false;           // at most one death from inside send per case
  bool over = false;                     // the last worker left: the primary stops listening

  void on_send(int w, int c) {
    log("send w" + std::to_string(w) + " c" + std::to_string(c));
    sent[w].push_back(c);
    owed[w].push_back(c);
    if (!killed_in_send && rng.chance(3)) {
      killed_in_send = true;
      log("  (w" + std::to_string(w) + "'s channel is dead: it is removed inside send)");
      remove(w, true);
    }
  }
  void on_close(int c) {
    if (collecting)
      closed.push_back(c);
    else
      log("close c" + std::to_string(c));
  }

  void remove(int w, bool is_dead) {
    const bool was_leaving = leaving.count(w) != 0;
    live.erase(std::remove(live.begin(), live.end(), w), live.end());
    if (is_dead) {
      leaving.erase(w);
      owed.erase(w);
      dead.push_back(w);
    } else if (!owed[w].empty()) {
      leaving.insert(w);
    }
    log(std::string("remove w") + std::to_string(w) + (is_dead ? " dead" : " politely") + (was_leaving ? " (was leaving)" : ""));
    const bool last = rr->remove(w, is_dead);
    log(std::string("  -> ") + (last ? "true" : "false"));
    if (last) over = true;
  }

  void state() {
    std::string s = "free " + list(rr->free_workers()) + " queued " + std::to_string(rr->queued());
    std::vector<int> ids = live;
    std::sort(ids.begin(), ids.end());
    for (int w : ids) {
      const auto oldest = rr->in_flight(w);
      s += " w" + std::to_string(w) + ":" + std::to_string(rr->in_flight_count(w)) +
           (oldest ? "@c" + std::to_string(*oldest) : "");
    }
    s += " dropped " + std::to_string(rr->dropped()) + " size " + std::to_string(rr->size());
    log(s);
  }
};

void one_case(Rng& rng) {
  const std::size_t window = std::size_t(rng.pick<int>({1, 1, 2, 3}));
  const std::size_t bound = std::size_t(rng.pick<int>({0, 0, 2, 3}));
  World world(rng);
  RoundRobinHandle rr([&world](int w, int c) { world.on_send(w, c); }, [&world](int c) { world.on_close(c); },
                      window, bound);
  world.rr = &rr;
  log("window " + std::to_string(window) + " max_dispatches " + std::to_string(bound));

  int next_worker = 1;
  int next_conn = 100;
  const int initial = rng.between(0, 3);
  for (int i = 0; i < initial; ++i) {
    log("add w" + std::to_string(next_worker));
    world.live.push_back(next_worker);
    rr.add(next_worker++);
  }
  const int ops = rng.between(12, 40);
  for (int op = 0; op < ops; ++op) {
    // Workers with answers owed: live ones with something in flight, and leaving ones.
    std::vector<int> owing;
    for (int w : world.live)
      if (!world.owed[w].empty()) owing.push_back(w);
    for (int w : world.leaving)
      if (!world.owed[w].empty()) owing.push_back(w);
    // An answer is about the worker's oldest unanswered connection.
    auto answer = [&](int w) {
      world.owed[w].pop_front();
      if (world.leaving.count(w) && world.owed[w].empty()) world.leaving.erase(w);
    };
    const int r = rng.below(100);
    if (world.over) {
      if (owing.empty()) break;
      const int w = rng.pick(owing);
      const bool ok = rng.chance(60);
      log("reply w" + std::to_string(w) + (ok ? " accepted" : " refused") + " (after the last left)");
      answer(w);
      rr.on_reply(w, ok);
      continue;
    }
    if (r < 34) {
      log("distribute c" + std::to_string(next_conn));
      rr.distribute(next_conn++);
    } else if (r < 66 && !owing.empty()) {
      const int w = rng.pick(owing);
      const bool ok = rng.chance(70);
      log("reply w" + std::to_string(w) + (ok ? " accepted" : " refused"));
      answer(w);
      rr.on_reply(w, ok);
    } else if (r < 72 && !world.sent.empty()) {
      // A lost dispatch, named by connection (not always the oldest); now and
      // then one answered meanwhile, which is a no-op.
      int w = 0;
      int c = 0;
      if (!owing.empty() && rng.chance(75)) {
        w = rng.pick(owing);
        const auto& q = world.owed[w];
        c = q[std::size_t(rng.below(int(q.size())))];
      } else {
        auto it = world.sent.begin();
        std::advance(it, rng.below(int(world.sent.size())));
        w = it->first;
        c = rng.pick(it->second);
      }
      log("lost w" + std::to_string(w) + " c" + std::to_string(c));
      if (auto o = world.owed.find(w); o != world.owed.end()) {
        auto pos = std::find(o->second.begin(), o->second.end(), c);
        if (pos != o->second.end()) o->second.erase(pos);
        if (world.leaving.count(w) && o->second.empty()) world.leaving.erase(w);
      }
      rr.on_lost(w, c);
    } else if (r < 84) {
      if (!world.live.empty() && rng.chance(10)) {
        const int w = rng.pick(world.live);
        log("add w" + std::to_string(w) + " again");
        try {
          rr.add(w);
          log("  -> no error");
        } catch (const std::logic_error&) {
          log("  -> logic_error");
        }
      } else {
        log("add w" + std::to_string(next_worker));
        world.live.push_back(next_worker);
        rr.add(next_worker++);
      }
    } else if (r < 94 && !world.live.empty()) {
      world.remove(rng.pick(world.live), rng.chance(50));
    } else if (r < 97 && !world.leaving.empty()) {
      // A worker that left politely dies before answering everything.
      auto it = world.leaving.begin();
      std::advance(it, rng.below(int(world.leaving.size())));
      world.remove(*it, true);
    } else if (!world.dead.empty()) {
      const int w = rng.pick(world.dead);
      log("reply w" + std::to_string(w) + " accepted (dead: ignored)");
      rr.on_reply(w, true);
    }
    if (rng.chance(35)) world.state();
  }
  world.state();
  log("close_all");
  world.collecting = true;
  rr.close_all();
  world.collecting = false;
  std::sort(world.closed.begin(), world.closed.end());
  std::string closes = "  closed";
  for (int c : world.closed) closes += " c" + std::to_string(c);
  log(closes);
  // Not dropped(): the header counts only refused and last-worker drops in it.
  log("queued " + std::to_string(rr.queued()));
}

}  // namespace

KATA_PROBE(one_case);
