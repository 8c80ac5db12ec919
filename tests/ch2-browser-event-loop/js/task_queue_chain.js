// Twin of chapter2.ex01 ManyTasksQueuedByTasks.
let ran = 0
const step = () => { if (++ran < 100) setTimeout(step, 0) }
setTimeout(step, 0)
setTimeout(() => console.log('other ran after task ' + ran), 0)
