// Twin of chapter2.ex03 SetIntervalRepeatsUntilCleared. Robust to a busy
// machine: the second run is due >= 100 ms after the first one *ran*, so it
// always comes after the 150 ms timeout.
let n = 0
const id = setInterval(() => {
  n += 1
  console.log('interval ' + n)
  if (n === 3) clearInterval(id)
}, 100)
setTimeout(() => console.log('timeout 150'), 150)

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | interval 1
// | timeout 150
// | interval 2
// | interval 3
