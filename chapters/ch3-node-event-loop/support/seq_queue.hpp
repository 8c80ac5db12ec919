// SeqQueue<T>: a FIFO whose elements are numbered 1, 2, 3, ... in push order
// (Immediates' queue). You need not read it: it behaves like a std::deque<T>
// indexed by number. It exists for speed: chunks of 4096 Ts that never move
// (a T stays put while its callback runs), a used-up chunk kept for the next.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace kata::node {

template <class T>
class SeqQueue {
 public:
  SeqQueue() = default;
  SeqQueue(const SeqQueue&) = delete;
  SeqQueue& operator=(const SeqQueue&) = delete;
  ~SeqQueue() {
    while (head_ != tail_) pop_front();
    for (T* c : chunks_) ::operator delete(c);
    ::operator delete(spare_);
  }

  // Appends v; returns its number (never 0, never reused).
  std::uint64_t push_back(T&& v) { return emplace_back(std::move(v)); }
  // Appends T{args...} built in place (no temporary T to move); returns its number.
  template <class... Args>
  std::uint64_t emplace_back(Args&&... args) {
    const std::uint64_t i = tail_ - base_;
    if (i == chunks_.size() * kChunk) {  // the last chunk is full (or there is none)
      T* c = spare_;
      spare_ = nullptr;
      if (c == nullptr) c = static_cast<T*>(::operator new(sizeof(T) * kChunk));
      chunks_.push_back(c);
    }
    ::new (&at(tail_)) T{std::forward<Args>(args)...};
    return tail_++;
  }
  // Removes (destroys) the oldest element. Precondition: !empty().
  void pop_front() {
    at(head_).~T();
    if (++head_ - base_ == kChunk) {  // the first chunk is used up
      T* c = chunks_.front();
      chunks_.erase(chunks_.begin());
      base_ += kChunk;
      if (spare_ == nullptr) spare_ = c; else ::operator delete(c);
    }
  }

  bool empty() const { return head_ == tail_; }
  // The queue holds the numbers [front_seq(), end_seq()).
  std::uint64_t front_seq() const { return head_; }
  std::uint64_t end_seq() const { return tail_; }
  bool contains(std::uint64_t seq) const { return seq >= head_ && seq < tail_; }
  // The element numbered seq (contains(seq)); its address never changes.
  T& at(std::uint64_t seq) {
    const std::uint64_t i = seq - base_;
    return chunks_[std::size_t(i / kChunk)][i % kChunk];
  }
  const T& at(std::uint64_t seq) const { return const_cast<SeqQueue*>(this)->at(seq); }
  T& front() { return at(head_); }

 private:
  static constexpr std::uint64_t kChunk = 4096;  // elements per chunk
  // Raw storage: an element is constructed by push_back and destroyed by
  // pop_front. chunks_[0] holds numbers [base_, base_ + kChunk).
  std::vector<T*> chunks_;
  T* spare_ = nullptr;                 // a used-up chunk kept for the next one
  std::uint64_t base_ = 1;             // number of the first element of chunks_[0]
  std::uint64_t head_ = 1, tail_ = 1;  // the queue: [head_, tail_); 0 = none
};

}  // namespace kata::node
