const http = require('http')

function compute() {

  process.nextTick(compute)//
}

http.createServer((req, res) => { // 服务http请求的时候，还能抽空进行一些计算任务
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.end('Hello World')
}).listen(5000, '127.0.0.1')

compute()
