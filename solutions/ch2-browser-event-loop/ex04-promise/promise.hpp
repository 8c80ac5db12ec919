// kata::browser::Promise<T> — JavaScript's Promise with a C++ type on it.
//
// This file is plumbing (complete in both trees): it only turns typed
// handlers into the untyped ones PromiseState takes. The behaviour — when
// reactions run, chaining, rejection, adoption — is PromiseState's, in
// promise_state.cpp.
//
//   JavaScript                              kata::browser
//   Promise.resolve(1)                      Promise<int>::resolve(1)
//   Promise.resolve()                       Promise<>::resolve()
//   Promise.reject(new Error('boom'))       Promise<int>::reject("boom")   (or an exception_ptr)
//   new Promise((resolve, reject) => ...)   Promise<int>([](auto resolve, auto reject) { ... })
//   p.then(v => v + 1)                      p.then([](int v) { return v + 1; })      → Promise<int>
//   p.then(v => String(v))                  p.then([](int v) { return std::to_string(v); }) → Promise<std::string>
//   p.then(v => otherPromise)               p.then([](int) { return other; })        → Promise<U> (adopts)
//   p.then(() => {})                        → Promise<void>; Promise<void> handlers take no argument
//   p.catch(e => ...)                       p.catch_([](std::exception_ptr e) { ...; return T(); })
//   throw inside a handler                  throw std::runtime_error("bad")  → the next promise rejects
//
// A rejection reason is a std::exception_ptr; reason_text(e) gives its message.
// catch_ must return the same T as the promise it is called on (C++ needs one
// type per promise; JavaScript doesn't care).
#pragma once

#include <any>
#include <concepts>
#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "promise_state.hpp"

namespace kata::browser {

template <class T = void>
class Promise;

namespace detail {
template <class X>
struct is_promise : std::false_type {};
template <class X>
struct is_promise<Promise<X>> : std::true_type {};

// The promise a handler returning R gives: R → Promise<R>, Promise<U> → Promise<U>.
template <class R>
struct promise_of {
  using type = Promise<R>;
};
template <class U>
struct promise_of<Promise<U>> {
  using type = Promise<U>;
};

template <class T, class F>
struct fulfil_result {
  using type = std::remove_cvref_t<std::invoke_result_t<F&, const T&>>;
};
template <class F>
struct fulfil_result<void, F> {
  using type = std::remove_cvref_t<std::invoke_result_t<F&>>;
};
template <class F>
using reject_result_t = std::remove_cvref_t<std::invoke_result_t<F&, std::exception_ptr>>;

// Runs `call` and packs what it returned for PromiseState.
template <class R, class Call>
Resolution pack(Call&& call) {
  if constexpr (std::is_void_v<R>) {
    call();
    return Resolution{};
  } else if constexpr (is_promise<R>::value) {
    return Resolution{{}, call().state()};
  } else {
    return Resolution{std::any(R(call())), nullptr};
  }
}

template <class T, class F>
OnFulfilled wrap_fulfilled(F fn) {
  using R = typename fulfil_result<T, F>::type;
  return [fn = std::move(fn)](const std::any& value) mutable {
    return pack<R>([&]() -> decltype(auto) {
      if constexpr (std::is_void_v<T>) {
        (void)value;
        return fn();
      } else {
        return fn(std::any_cast<const T&>(value));
      }
    });
  };
}

template <class G>
OnRejected wrap_rejected(G fn) {
  using R = reject_result_t<G>;
  return [fn = std::move(fn)](std::exception_ptr reason) mutable {
    return pack<R>([&]() -> decltype(auto) { return fn(reason); });
  };
}
}  // namespace detail

// The `reject` an executor receives.
class Rejecter {
 public:
  explicit Rejecter(PromisePtr state) : state_(std::move(state)) {}
  void operator()(std::exception_ptr reason) const { state_->reject(std::move(reason)); }
  void operator()(const std::string& message) const {
    state_->reject(std::make_exception_ptr(std::runtime_error(message)));
  }

 private:
  PromisePtr state_;
};

// The `resolve` an executor receives: with a value, or with a promise to follow.
template <class T>
class Resolver {
 public:
  explicit Resolver(PromisePtr state) : state_(std::move(state)) {}
  template <class U>
    requires(!std::is_void_v<T> && !detail::is_promise<std::remove_cvref_t<U>>::value && std::convertible_to<U, T>)
  void operator()(U&& value) const {
    state_->resolve(Resolution{std::any(T(std::forward<U>(value))), nullptr});
  }
  void operator()() const
    requires std::is_void_v<T>
  {
    state_->resolve(Resolution{});
  }
  void operator()(const Promise<T>& follow) const;

 private:
  PromisePtr state_;
};

template <class T>
class Promise {
 public:
  using value_type = T;

  // new Promise(executor): the executor runs now, synchronously. If it
  // throws, the promise rejects with the exception.
  template <class Executor>
    requires std::invocable<Executor&, Resolver<T>, Rejecter>
  explicit Promise(Executor executor) : state_(PromiseState::make()) {
    try {
      executor(Resolver<T>(state_), Rejecter(state_));
    } catch (...) {
      state_->reject(std::current_exception());
    }
  }

  // Promise.resolve(value)
  template <class U>
    requires(!std::is_void_v<T> && !detail::is_promise<std::remove_cvref_t<U>>::value && std::convertible_to<U, T>)
  static Promise resolve(U&& value) {
    Promise p(PromiseState::make());
    p.state_->resolve(Resolution{std::any(T(std::forward<U>(value))), nullptr});
    return p;
  }
  static Promise resolve()
    requires std::is_void_v<T>
  {
    Promise p(PromiseState::make());
    p.state_->resolve(Resolution{});
    return p;
  }
  // Promise.resolve(p) is p itself: no new promise, no extra tick.
  static Promise resolve(Promise p) { return p; }
  // Promise.reject(reason)
  static Promise reject(std::exception_ptr reason) {
    Promise p(PromiseState::make());
    p.state_->reject(std::move(reason));
    return p;
  }
  static Promise reject(const std::string& message) {
    return reject(std::make_exception_ptr(std::runtime_error(message)));
  }

  // p.then(onFulfilled)
  template <class F>
  auto then(F on_fulfilled) const {
    using P = typename detail::promise_of<typename detail::fulfil_result<T, F>::type>::type;
    return P(state_->then(detail::wrap_fulfilled<T>(std::move(on_fulfilled)), nullptr));
  }
  // p.then(onFulfilled, onRejected): both must give the same promise type.
  template <class F, class G>
  auto then(F on_fulfilled, G on_rejected) const {
    using P = typename detail::promise_of<typename detail::fulfil_result<T, F>::type>::type;
    static_assert(std::is_same_v<typename detail::promise_of<detail::reject_result_t<G>>::type, P>,
                  "then(f, r): r must return the same type as f");
    return P(state_->then(detail::wrap_fulfilled<T>(std::move(on_fulfilled)),
                          detail::wrap_rejected(std::move(on_rejected))));
  }
  // p.catch(onRejected) — `catch` is a C++ keyword.
  template <class G>
  Promise catch_(G on_rejected) const {
    static_assert(std::is_same_v<typename detail::promise_of<detail::reject_result_t<G>>::type, Promise>,
                  "catch_: the handler must return T (or Promise<T>), the type of the promise it is called on");
    return Promise(state_->then(nullptr, detail::wrap_rejected(std::move(on_rejected))));
  }

  PromiseState::Status status() const { return state_->status(); }
  // The value of a fulfilled promise.
  template <class U = T>
    requires(!std::is_void_v<U>)
  const U& value() const {
    return std::any_cast<const U&>(state_->value());
  }
  std::exception_ptr reason() const { return state_->reason(); }
  const PromisePtr& state() const { return state_; }
  // Same promise (JavaScript's ===).
  friend bool operator==(const Promise& a, const Promise& b) { return a.state_ == b.state_; }

 private:
  template <class>
  friend class Promise;
  explicit Promise(PromisePtr state) : state_(std::move(state)) {}

  PromisePtr state_;
};

template <class T>
void Resolver<T>::operator()(const Promise<T>& follow) const {
  state_->resolve(Resolution{{}, follow.state()});
}

}  // namespace kata::browser
