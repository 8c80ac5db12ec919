function StreamLibrary(resourceName) {
  const self = this

  process.nextTick(() => {
    self.emit('start')
  }) // 保证订阅永远在发布之前

  // read from the file, and for every chunk read, do:

}
