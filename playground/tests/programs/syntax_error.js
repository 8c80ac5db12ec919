console.log('never')
foo(
bar
