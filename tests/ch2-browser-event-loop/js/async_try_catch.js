// Twin of chapter2.ex06 AwaitThrowsOnRejectionAndWaitsForTimers.
async function fails() {
  await null
  throw new Error('nope')
}
async function main() {
  try {
    await fails()
  } catch (e) {
    console.log('caught ' + e.message)
  }
  const v = await new Promise(resolve => setTimeout(() => resolve(42), 10))
  console.log('value ' + v)
  return v + 1
}
main().then(v => console.log('main resolved ' + v))
console.log('sync end')

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | sync end
// | caught nope
// | value 42
// | main resolved 43
