#ifndef SLUICE_TESTS_FAULT_FLIP_PROXY_H_
#define SLUICE_TESTS_FAULT_FLIP_PROXY_H_

// A loopback TCP proxy that corrupts one byte on the wire: it forwards every connection made to
// its port to 127.0.0.1:<target>, and flips one bit of the first occurrence of `marker` in what
// the server sends (the first connection's that carries it), once. For the fault suite's CRC
// case: a marker inside a row's value corrupts that rows event's bytes and nothing else, so the
// binlog event's CRC32 no longer matches (the server's binlog_checksum=CRC32).
//
// Bytes from the server are held back only while they could be the start of the marker, and at
// most 20 ms: the protocol's small packets are never stuck. Threads: one acceptor, two per
// connection; the destructor closes everything and joins them.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sluice::testing {

class FlipProxy {
 public:
  FlipProxy(unsigned target_port, std::string marker);
  ~FlipProxy();
  FlipProxy(const FlipProxy&) = delete;
  FlipProxy& operator=(const FlipProxy&) = delete;

  unsigned port() const { return port_; }
  bool flipped() const { return flipped_.load(); }

 private:
  void Accept();
  void Pump(int from, int to, bool from_server);

  unsigned target_port_;
  std::string marker_;
  int listener_ = -1;
  unsigned port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> flipped_{false};
  std::mutex mu_;
  std::vector<int> sockets_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_FAULT_FLIP_PROXY_H_
