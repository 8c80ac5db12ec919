// 50 callbacks (an interval, timeouts, nextTicks, promise reactions): the speed figure
let n = 0
const iv = setInterval(() => {
  n++
  console.log('interval', n)
  process.nextTick(() => console.log('tick', n))
  Promise.resolve(n).then((v) => console.log('promise', v))
  if (n === 12) clearInterval(iv)
}, 1)
setTimeout(() => console.log('timeout'), 1)
