// Free helpers of the cluster (given, cluster_plumbing.cpp). The Cluster
// members that are plumbing rather than the lesson are defined in the same
// file (they are declared in cluster.hpp, marked "given").
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include "cluster.hpp"

namespace kata::cluster {

struct Launched {
  pid_t pid;
  int channel_fd;  // our end of the worker's IPC channel
};

// cluster.fork()'s process: fork + exec settings.exec (this program by
// default, as Node re-runs the script) with settings.args, our environment
// plus settings.env, env, NODE_UNIQUE_ID=<id> and NODE_CHANNEL_FD=3; the
// channel is the worker's fd 3 and every other fd is closed in it.
// Throws std::system_error when socketpair or fork fails; an exec that
// fails is a worker exiting with 127.
Launched launch_worker(const Settings& settings, const std::map<std::string, std::string>& env, int id);

// "SIGKILL" for 9: Node names the signal that ended a worker.
std::string signal_name(int sig);

// The cluster's own messages are {"cmd":"NODE_CLUSTER",...}; anything
// else on the channel is a user message ('message').
bool is_internal(const Json& msg);

}  // namespace kata::cluster
