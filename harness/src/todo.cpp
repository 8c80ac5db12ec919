#include "kata/todo.hpp"

#include <atomic>
#include <cstring>

#include "todo_count.hpp"

namespace kata {
namespace {
std::atomic<TodoHook> g_hook{nullptr};
std::atomic<unsigned> g_todos{0};

std::string relative_to_root(const char* file) {
  std::string path = file;
#ifdef KATA_REPO_ROOT
  const std::string root = KATA_REPO_ROOT "/";
  if (path.rfind(root, 0) == 0) path = path.substr(root.size());
#endif
  return path;
}
}  // namespace

NotDoneYet::NotDoneYet(std::string where, std::string hint)
    : std::logic_error("not done yet: " + where + " \u2014 " + hint),
      where_(std::move(where)),
      hint_(std::move(hint)) {}

void set_todo_hook(TodoHook hook) { g_hook.store(hook); }

unsigned todo_count() { return g_todos.load(); }

void todo(const char* file, int line, const char* hint) {
  NotDoneYet err(relative_to_root(file) + ":" + std::to_string(line), hint);
  ++g_todos;
  if (auto hook = g_hook.load()) hook(file, line, err.what());
  throw err;
}

}  // namespace kata
