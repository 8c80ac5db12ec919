// Twin of ex03 FailureCarriesNodesErrorFields.
const { exec } = require('child_process')
exec('echo hi >&2; exit 3', (err, stdout, stderr) => {
  console.log(JSON.stringify(err.message))
  console.log(`code=${err.code} killed=${err.killed} signal=${err.signal} cmd=${err.cmd}`)
  console.log(`stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`)
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | "Command failed: echo hi >&2; exit 3\nhi\n"
// | code=3 killed=false signal=null cmd=echo hi >&2; exit 3
// | stdout="" stderr="hi\n"
