setTimeout(() => {
  console.log('setTimeout')
}, 0)

console.log('main1')
console.log('main2')
