#include "tests/fault/flip_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace sluice::testing {
namespace {

bool SendAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// How many bytes at the end of `buffer` could begin `marker` (a proper prefix of it).
size_t PartialMarkerAtEnd(const std::string& buffer, const std::string& marker) {
  for (size_t keep = std::min(buffer.size(), marker.size() - 1); keep > 0; --keep) {
    if (buffer.compare(buffer.size() - keep, keep, marker, 0, keep) == 0) return keep;
  }
  return 0;
}

}  // namespace

FlipProxy::FlipProxy(unsigned target_port, std::string marker)
    : target_port_(target_port), marker_(std::move(marker)) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener_, 16) != 0) {
    close(listener_);
    listener_ = -1;
    return;
  }
  socklen_t length = sizeof address;
  getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

FlipProxy::~FlipProxy() {
  stop_.store(true);
  if (listener_ >= 0) shutdown(listener_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  if (listener_ >= 0) close(listener_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : sockets_) shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& t : threads_) t.join();
  for (int fd : sockets_) close(fd);
}

void FlipProxy::Accept() {
  while (!stop_.load()) {
    pollfd p{listener_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int client = accept(listener_, nullptr, nullptr);
    if (client < 0) continue;
    const int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(target_port_));
    if (connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(client);
      close(server);
      continue;
    }
    const int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard<std::mutex> lock(mu_);
    sockets_.push_back(client);
    sockets_.push_back(server);
    threads_.emplace_back([this, client, server] { Pump(client, server, false); });
    threads_.emplace_back([this, client, server] { Pump(server, client, true); });
  }
}

void FlipProxy::Pump(int from, int to, bool from_server) {
  std::string held;  // server bytes that may begin the marker, not yet forwarded
  char chunk[65536];
  while (!stop_.load()) {
    pollfd p{from, POLLIN, 0};
    const int ready = poll(&p, 1, held.empty() ? 100 : 20);
    if (ready == 0) {
      // Quiet for 20 ms: whatever is held is a whole small packet, not a marker in the making.
      if (!held.empty() && !SendAll(to, held.data(), held.size())) break;
      held.clear();
      continue;
    }
    if (ready < 0) break;
    const ssize_t n = recv(from, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    if (!from_server || flipped_.load()) {
      if (!held.empty() && !SendAll(to, held.data(), held.size())) break;
      held.clear();
      if (!SendAll(to, chunk, static_cast<size_t>(n))) break;
      continue;
    }
    held.append(chunk, static_cast<size_t>(n));
    const size_t at = held.find(marker_);
    if (at != std::string::npos && !flipped_.exchange(true)) {
      held[at + marker_.size() / 2] ^= 0x01;  // one bit of one byte in the row's value
    }
    const size_t keep = flipped_.load() ? 0 : PartialMarkerAtEnd(held, marker_);
    if (!SendAll(to, held.data(), held.size() - keep)) break;
    held.erase(0, held.size() - keep);
  }
  // One side closed: close the other's sending half so its reader ends too.
  shutdown(to, SHUT_WR);
  shutdown(from, SHUT_RD);
}

}  // namespace sluice::testing
