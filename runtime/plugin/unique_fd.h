// RAII owner of one file descriptor: closed on every path out, movable, never copied.
#ifndef SLUICE_RUNTIME_PLUGIN_UNIQUE_FD_H_
#define SLUICE_RUNTIME_PLUGIN_UNIQUE_FD_H_

#include <unistd.h>

#include <utility>

namespace sluice::plugin {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_UNIQUE_FD_H_
