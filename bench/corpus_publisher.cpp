#include "bench/corpus_publisher.h"

#include <chrono>
#include <limits>
#include <zmq.hpp>

#include "bench/thread_cpu.h"
#include "bus/replayer.h"
#include "bus/zmq_publisher.h"
#include "core/thread_name.h"

namespace fmn::bench {

CorpusPublisher::CorpusPublisher(std::vector<std::string> endpoints,
                                 const bus::ReplayCorpus& corpus, CorpusPublisherOptions options,
                                 BeforeSend before_send) {
  thread_ = std::thread(
      [this, endpoints = std::move(endpoints), &corpus, options,
       before_send = std::move(before_send)] { run(endpoints, corpus, options, before_send); });
  name_thread(thread_, "publisher");
}

void CorpusPublisher::join() {
  if (thread_.joinable()) thread_.join();
}

void CorpusPublisher::run(const std::vector<std::string>& endpoints,
                          const bus::ReplayCorpus& corpus, const CorpusPublisherOptions& options,
                          const BeforeSend& before_send) {
  bus::ZmqPublisherOptions socket_options;
  socket_options.connect = endpoints;
  socket_options.sndhwm = options.sndhwm;
  socket_options.block_when_full = !options.drop_when_full;
  // Its I/O threads are named apart from the pipeline's (bench/thread_cpu.h).
  zmq::context_t context;
  context.set(zmq::ctxopt::thread_name_prefix, kPublisherIoPrefix);
  auto pub = bus::ZmqPublisher::create(socket_options, &context);
  if (!pub || (*pub)->wait_for_subscriptions(1, std::chrono::seconds(10)) == 0) return;
  connected_ = true;
  bus::ReplayOptions replay;
  replay.loops = std::numeric_limits<uint32_t>::max();  // until before_send says stop
  if (options.rate > 0) replay.pacing = bus::PacingOptions::fixed_rate(options.rate);
  bus::Replayer replayer(corpus, replay);
  bus::ZmqPublisher& socket = **pub;
  uint64_t n = 0;
  std::atomic<bool> stop{false};
  replayer.run(
      [&](std::string_view topic, std::string_view payload) {
        if (!before_send(n++)) {
          stop = true;
          return false;
        }
        if (!socket.send(topic, payload)) return false;
        sent_.fetch_add(1, std::memory_order_relaxed);
        return true;
      },
      &stop);
}

}  // namespace fmn::bench
