let n = 0
setInterval(() => { n++ }, 1)
