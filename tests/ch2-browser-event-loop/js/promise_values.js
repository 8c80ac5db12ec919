// Twin of chapter2.ex04 ValuesFlowDownTheChain.
Promise.resolve(1)
  .then(x => x + 1)
  .then(x => 'value ' + x)
  .then(s => console.log(s))
