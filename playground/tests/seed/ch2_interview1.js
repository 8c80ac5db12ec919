setTimeout(() => {
  console.log('setTimeout')
}, 0)

Promise.resolve().then(() => {
  console.log('promise')
  Promise.resolve().then(() => {
    console.log('promise2')
  })
})

console.log('main')
