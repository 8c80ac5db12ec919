// The ONE place that includes Boost.Process (only launch_support.cpp
// includes this file: the headers cost ~8 s per translation unit).
//
// Version gate: Boost 1.74 (Debian 12) has only the v1 API at
// boost/process/*.hpp; 1.86 moved v1 to boost/process/v1/ and 1.88 made
// boost/process.hpp mean v2. We name the v1 namespace `bp` either way.
#pragma once

#include <boost/version.hpp>

// vfork() instead of fork(): the parent's page tables are not copied and it
// sleeps until the child has exec'd (what posix_spawn does). Boost only
// offers it when this is defined by hand (g++'s default feature macros hide it).
#ifndef BOOST_POSIX_HAS_VFORK
#define BOOST_POSIX_HAS_VFORK 1
#endif
// ThreadSanitizer runs vfork() as a plain fork(): the child no longer shares
// our memory, so Boost's vfork path cannot read an exec failure back from it.
// Under TSan (make tsan) the launcher uses fork(), whose pipe reports it.
#if defined(__SANITIZE_THREAD__)
#define KATA_SPAWN_USE_VFORK 0
#else
#define KATA_SPAWN_USE_VFORK 1
#endif

#if BOOST_VERSION >= 108600
#include <boost/process/v1/args.hpp>
#include <boost/process/v1/child.hpp>
#include <boost/process/v1/env.hpp>
#include <boost/process/v1/environment.hpp>
#include <boost/process/v1/exe.hpp>
#include <boost/process/v1/extend.hpp>
#include <boost/process/v1/posix.hpp>
namespace bp = boost::process::v1;
#else
#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/posix.hpp>
namespace bp = boost::process;
#endif
