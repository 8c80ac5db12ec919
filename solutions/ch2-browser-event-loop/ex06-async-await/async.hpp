// kata::browser::Async<T> — JavaScript's async functions as C++20 coroutines.
//
//   async function f() { ...; const v = await p; ...; return x }
//   Async<int> f() { ...; int v = co_await p; ...; co_return x; }
//
// An async function runs synchronously until its first `await`; calling it
// gives a promise (here `Async<T>`, whose .promise() is a Promise<T>).
// `await p` suspends and resumes *as a microtask* once p has settled — one
// tick, even when p is already fulfilled (V8 since 7.2: PerformPromiseThen
// on p directly). `return x` resolves the function's promise (with a
// promise: follow it, +2 ticks, as in exercise 4); an exception rejects it.
#pragma once

#include <any>
#include <concepts>
#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include "promise.hpp"

namespace kata::browser {

template <class T = void>
class Async;

namespace detail {

// What every async function's coroutine promise shares (plumbing, done).
template <class T>
struct AsyncPromiseBase {
  // The promise the async function returns: pending until it returns/throws.
  Promise<T> promise{[](auto, auto) {}};

  Async<T> get_return_object() { return Async<T>(promise); }
  // Runs synchronously until the first co_await, like JavaScript.
  std::suspend_never initial_suspend() noexcept { return {}; }
  // The frame is freed when the body ends; the Promise<T> lives on in Async.
  std::suspend_never final_suspend() noexcept { return {}; }
  // An exception escaping the body rejects the async function's promise.
  void unhandled_exception();
};

template <class T>
struct AsyncPromise : AsyncPromiseBase<T> {
  // co_return value;
  template <class U>
    requires(!is_promise<std::remove_cvref_t<U>>::value && std::convertible_to<U, T>)
  void return_value(U&& value);
  // co_return some_promise;  (follows it: two extra ticks)
  void return_value(const Promise<T>& follow);
};

template <>
struct AsyncPromise<void> : AsyncPromiseBase<void> {
  // co_return; or the end of the body.
  void return_void();
};

// `co_await promise`: the awaiter lives in the coroutine frame while the
// coroutine is suspended, so it can hold the outcome for await_resume().
template <class U>
struct PromiseAwaiter {
  Promise<U> awaited;
  std::exception_ptr error{};

  // Never ready: even an already-fulfilled promise costs one microtask tick.
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> coroutine);
  U await_resume();
};

}  // namespace detail

template <class T>
class Async {
 public:
  using promise_type = detail::AsyncPromise<T>;

  // The async function's promise.
  const Promise<T>& promise() const { return promise_; }
  template <class... F>
  auto then(F... handlers) const {
    return promise_.then(std::move(handlers)...);
  }
  template <class G>
  auto catch_(G on_rejected) const {
    return promise_.catch_(std::move(on_rejected));
  }

 private:
  friend struct detail::AsyncPromiseBase<T>;
  explicit Async(Promise<T> promise) : promise_(std::move(promise)) {}
  Promise<T> promise_;
};

// co_await works on a Promise<U> and on the result of another async function.
template <class U>
detail::PromiseAwaiter<U> operator co_await(Promise<U> p) {
  return detail::PromiseAwaiter<U>{std::move(p)};
}
template <class U>
detail::PromiseAwaiter<U> operator co_await(Async<U> a) {
  return detail::PromiseAwaiter<U>{a.promise()};
}

// ---- the exercise ----------------------------------------------------------

template <class T>
void detail::AsyncPromiseBase<T>::unhandled_exception() {
  promise.state()->reject(std::current_exception());
}

template <class T>
template <class U>
  requires(!detail::is_promise<std::remove_cvref_t<U>>::value && std::convertible_to<U, T>)
void detail::AsyncPromise<T>::return_value(U&& value) {
  this->promise.state()->resolve(Resolution{std::any(T(std::forward<U>(value))), nullptr});
}

template <class T>
void detail::AsyncPromise<T>::return_value(const Promise<T>& follow) {
  // Like `resolve(p)` in an executor: the thenable job, two extra ticks.
  this->promise.state()->resolve(Resolution{{}, follow.state()});
}

inline void detail::AsyncPromise<void>::return_void() { this->promise.state()->resolve(Resolution{}); }

template <class U>
void detail::PromiseAwaiter<U>::await_suspend(std::coroutine_handle<> coroutine) {
  // Resume from a reaction job (a microtask). After resume() the coroutine
  // may have finished and freed its frame — this awaiter with it — so the
  // handlers touch `this` only before resuming.
  awaited.state()->then(
      [coroutine](const std::any&) {
        coroutine.resume();
        return Resolution{};
      },
      [this, coroutine](std::exception_ptr reason) {
        error = reason;
        coroutine.resume();
        return Resolution{};
      });
}

template <class U>
U detail::PromiseAwaiter<U>::await_resume() {
  if (error) std::rethrow_exception(error);  // `await` of a rejected promise throws
  if constexpr (!std::is_void_v<U>) return awaited.value();
}

}  // namespace kata::browser
