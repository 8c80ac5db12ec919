// C++ stand-ins for JavaScript's throws, so the loop's own exception paths
// (invoke → uncaughtException / exit 1) decide what happens.
#pragma once

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>

#include "kata/todo.hpp"

namespace playground {

// A JavaScript exception escaped a callback: `id` names the error object the
// host keeps; `what()` is its text (String(err)).
class JsError : public std::runtime_error {
 public:
  JsError(std::uint64_t id, const std::string& text) : std::runtime_error(text), id_(id) {}
  std::uint64_t id() const { return id_; }

 private:
  std::uint64_t id_;
};

// The host stopped the program (--timeout / --max-callbacks). A NotDoneYet,
// because the loop rethrows those out of run() instead of treating them as
// the program's exceptions.
class Halt : public kata::NotDoneYet {
 public:
  Halt() : kata::NotDoneYet("playground", "stopped") {}
};

inline std::uint64_t error_id(std::exception_ptr e) {
  if (!e) return 0;
  try {
    std::rethrow_exception(e);
  } catch (const JsError& j) {
    return j.id();
  } catch (...) {
    return 0;
  }
}

// For an error that is not JavaScript's (the loop's own C++ exception).
inline std::string error_text(std::exception_ptr e) {
  if (!e) return "-";
  try {
    std::rethrow_exception(e);
  } catch (const JsError&) {
    return "js";
  } catch (const std::exception& x) {
    std::string s = x.what();
    for (char& c : s)
      if (c == '\n') c = ' ';
    return s;
  } catch (...) {
    return "(non-standard exception)";
  }
}

}  // namespace playground
