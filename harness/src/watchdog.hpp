// The per-test watchdog (internal to the harness; tests use kata/testing.hpp).
#pragma once

#include <functional>
#include <string>

namespace kata::testing::watchdog {

void arm(const std::string& test_name, double seconds);
void disarm();
void set_budget(double seconds);
void set_description(std::function<std::string()> describe);
void add_cleanup(std::function<void()> cleanup);
// Runs the cleanups (kill children) once; safe to call from a signal handler
// path that is about to die anyway.
void run_cleanups();
double default_seconds();

}  // namespace kata::testing::watchdog
