// Twin of ex03 NonUtf8OutputIsDecodedLikeNode: invalid bytes become U+FFFD.
const { execFile } = require('child_process')
execFile('/usr/bin/printf', ['\\377\\376\\303(\\n'], (err, stdout) => {
  console.log(JSON.stringify(stdout))
  execFile('/usr/bin/printf', ['\\377\\376\\303(\\n'], { encoding: 'buffer' }, (err, stdout) => {
    console.log(stdout.toString('hex'))
  })
})

// node prints (checked by `ctest -L oracle`; the C++ test expects the same):
// | "���(\n"
// | fffec3280a
