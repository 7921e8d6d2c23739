// A real prometheus-node-exporter for a test: it reads one textfile
// directory, every other collector off, and serves /metrics on a free
// loopback port, as Prometheus would scrape it on a tend node.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "bus/expected.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {

class NodeExporter {
 public:
  // Its path on PATH, or an empty path when it is not installed.
  static std::filesystem::path program();

  explicit NodeExporter(std::filesystem::path textfile_dir);
  ~NodeExporter();
  NodeExporter(const NodeExporter&) = delete;
  NodeExporter& operator=(const NodeExporter&) = delete;

  // Starts it and waits until /metrics answers.
  Expected<void> start(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // GET /metrics: what Prometheus would receive now.
  Expected<std::string> scrape();

  // Scrapes until `wanted` holds (the files change as the programs rewrite
  // them); the error carries the last scrape.
  Expected<std::string> scrape_until(const std::function<bool(const std::string&)>& wanted,
                                     std::chrono::milliseconds timeout);

  int port() const { return port_; }
  std::string log() const { return process_ ? process_->log() : std::string(); }

 private:
  std::filesystem::path textfile_dir_;
  TempDir dir_{"tend-node-exporter"};
  int port_ = 0;
  std::optional<ChildProcess> process_;
};

}  // namespace tend::testing
