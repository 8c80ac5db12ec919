// SlotPool<T>: numbered slots holding Ts, freed slots reused (Timers' nodes).
// You need not read it: it behaves like a std::vector<T> plus a free list of
// indices. It exists for speed: chunks of 4096 Ts that never move (a T stays
// put while its callback runs), each T built only when its slot is first used.
#pragma once

#include <cstdint>
#include <new>
#include <vector>

namespace kata::node {

template <class T>
class SlotPool {
 public:
  SlotPool() = default;
  SlotPool(const SlotPool&) = delete;
  SlotPool& operator=(const SlotPool&) = delete;
  ~SlotPool() {
    for (std::uint32_t s = 0; s < slots_; ++s) (*this)[s].~T();
    for (T* chunk : chunks_) ::operator delete(chunk);
  }

  // A slot to use: the last one freed, else a new one holding a T{}. A freed
  // slot comes back with its T as free() left it (not rebuilt).
  std::uint32_t alloc() {
    if (!free_.empty()) {
      const std::uint32_t s = free_.back();
      free_.pop_back();
      return s;
    }
    if (slots_ % kChunk == 0) chunks_.push_back(static_cast<T*>(::operator new(sizeof(T) * kChunk)));
    ::new (&(*this)[slots_]) T;  // first use of this slot
    return slots_++;
  }
  // Gives the slot back for alloc() to hand out again; its T stays built.
  void free(std::uint32_t slot) { free_.push_back(slot); }

  // The T in `slot` (slot < size()). Its address never changes.
  T& operator[](std::uint32_t slot) { return chunks_[slot / kChunk][slot % kChunk]; }
  const T& operator[](std::uint32_t slot) const { return chunks_[slot / kChunk][slot % kChunk]; }
  // Slots ever handed out: [0, size()) hold built Ts, in use or freed.
  std::uint32_t size() const { return slots_; }

 private:
  static constexpr std::uint32_t kChunk = 4096;
  // Raw storage for kChunk Ts each; slots [0, slots_) hold constructed Ts (a
  // T is built when its slot is first used, not when its chunk is allocated:
  // one pass over the memory).
  std::vector<T*> chunks_;
  std::vector<std::uint32_t> free_;
  std::uint32_t slots_ = 0;
};

}  // namespace kata::node
