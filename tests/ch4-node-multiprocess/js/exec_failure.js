// Twin of ex03 FailureCarriesNodesErrorFields.
const { exec } = require('child_process')
exec('echo hi >&2; exit 3', (err, stdout, stderr) => {
  console.log(JSON.stringify(err.message))
  console.log(`code=${err.code} killed=${err.killed} signal=${err.signal} cmd=${err.cmd}`)
  console.log(`stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`)
})
