// Twin of Timers.UnrefdTimerStillFiresWhileSomethingElseKeepsTheLoopAlive.
setTimeout(() => console.log("unref'd 100"), 100).unref()
setTimeout(() => console.log("ref'd 200"), 200)
setTimeout(() => console.log("unref'd 5000"), 5000).unref()

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | unref'd 100
// | ref'd 200
