setTimeout(() => console.log('timer'), 0)
fetch('http://example.com').then(() => console.log('fetched'))
