// Twin of Timers.UnrefdTimerStillFiresWhileSomethingElseKeepsTheLoopAlive.
setTimeout(() => console.log("unref'd 100"), 100).unref()
setTimeout(() => console.log("ref'd 200"), 200)
setTimeout(() => console.log("unref'd 5000"), 5000).unref()
