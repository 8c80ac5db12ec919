async function main() {
  await null
  console.log('after await')
}
main()
