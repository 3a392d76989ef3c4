#include "engine/streams/stream_hub.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/streams/stream_store.h"

namespace localdynamo::engine {

std::string CheckpointKey(std::string_view table, std::string_view consumer) {
  return fmt::format("checkpoint/{}/{}", table, consumer);
}

Database::SubscriptionId StreamHub::Add(Subscription s) {
  Database::SubscriptionId id;
  {
    std::lock_guard lock(subscribers_mu_);
    id = s.id = next_id_++;
    subscribers_.push_back(std::move(s));
    subscriber_count_.store(subscribers_.size(), std::memory_order_release);
  }
  if (db_.options.stream_delivery == StreamDelivery::kBackground) PokeWorker();
  return id;
}

void StreamHub::Rewind() {
  std::lock_guard lock(subscribers_mu_);
  for (auto& s : subscribers_) s.next_sequence = 0;
}

void StreamHub::Remove(Database::SubscriptionId id) {
  std::lock_guard lock(subscribers_mu_);
  std::erase_if(subscribers_, [&](const Subscription& s) { return s.id == id; });
  subscriber_count_.store(subscribers_.size(), std::memory_order_release);
}

void StreamHub::PokeWorker() {
  std::lock_guard lock(worker_mu_);
  worker_poke_ = true;
  worker_cv_.notify_all();
}

bool StreamHub::HasSynchronousListener(std::string_view table) {
  if (db_.options.stream_delivery != StreamDelivery::kSynchronous ||
      subscriber_count_.load(std::memory_order_acquire) == 0)
    return false;
  std::lock_guard lock(subscribers_mu_);
  for (const auto& s : subscribers_)
    if (s.table_name == table) return true;
  return false;
}

uint64_t StreamHub::Enqueue(std::vector<StreamRecord> records) {
  if (records.empty()) return 0;
  if (db_.options.stream_delivery == StreamDelivery::kBackground) {
    // The records are already in the stream DBI; the worker reads them from there.
    PokeWorker();
    return 0;
  }
  {
    // Nothing to hand over when nobody listens to these tables (the common case).
    std::lock_guard sl(subscribers_mu_);
    bool listened = false;
    for (const auto& s : subscribers_)
      for (const auto& r : records) listened = listened || s.table_name == r.table_name;
    if (!listened) return 0;
  }
  std::lock_guard lock(delivery_mu_);
  for (auto& r : records) delivery_queue_.push_back(std::move(r));
  enqueued_total_ += records.size();
  return enqueued_total_;
}

void StreamHub::AwaitDelivery(uint64_t ticket) {
  if (ticket == 0) return;
  std::unique_lock lock(delivery_mu_);
  if (delivered_total_ >= ticket) return;
  // A subscriber writing from inside a callback: its records wait in the FIFO and the outer
  // drain loop delivers them after the current one, so callbacks never nest.
  if (delivering_ && delivering_thread_ == std::this_thread::get_id()) return;
  // Another thread is draining: it will deliver ours too; wait so that our write call still
  // returns only after its records were delivered.
  while (delivering_) {
    delivery_cv_.wait(lock);
    if (delivered_total_ >= ticket) return;
  }
  delivering_ = true;
  delivering_thread_ = std::this_thread::get_id();
  while (!delivery_queue_.empty()) {
    StreamRecord r = std::move(delivery_queue_.front());
    delivery_queue_.pop_front();
    lock.unlock();
    std::vector<StreamSubscriber> targets;
    {
      std::lock_guard sl(subscribers_mu_);
      for (const auto& s : subscribers_)
        if (s.table_name == r.table_name) targets.push_back(s.callback);
    }
    for (const auto& callback : targets) {
      // A throwing subscriber loses nothing for the others: the record still counts as
      // delivered to it (it can re-read the stream by position), and delivery goes on.
      try {
        callback(r);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "localdynamo: stream subscriber threw: %s\n", e.what());
      } catch (...) {
        std::fprintf(stderr, "localdynamo: stream subscriber threw\n");
      }
    }
    lock.lock();
    ++delivered_total_;
    delivery_cv_.notify_all();
  }
  delivering_ = false;
  delivery_cv_.notify_all();
}

void StreamHub::StartWorker() {
  worker_ = std::thread([this] { WorkerLoop(); });
}

void StreamHub::StopWorker() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard lock(worker_mu_);
    worker_stopping_ = true;
    worker_cv_.notify_all();
  }
  worker_.join();
}

void StreamHub::WorkerLoop() {
  while (true) {
    {
      std::unique_lock lock(worker_mu_);
      // Writes from other processes don't poke us: poll as well.
      worker_cv_.wait_for(lock, std::chrono::milliseconds(50),
                          [&] { return worker_stopping_ || worker_poke_; });
      if (worker_stopping_) return;
      worker_poke_ = false;
    }
    DeliverBackground();
  }
}

// One pass: every subscription gets the records after its position, in sequence order; the
// position (and a named consumer's checkpoint) advances after each record is handed over, so
// a crash between delivery and checkpoint re-delivers (at-least-once).
void StreamHub::DeliverBackground() {
  std::vector<Subscription> subs;
  {
    std::lock_guard lock(subscribers_mu_);
    subs = subscribers_;
  }
  for (auto& sub : subs) {
    std::vector<StreamRecord> batch;
    {
      auto txn = db_.BeginRead();
      if (!txn.ok()) return;
      auto t = db_.catalog.Find(*txn, sub.table_name);
      if (!t.ok() || !*t) continue;
      for (const auto& stream : (*t)->streams) {
        RecordSource source{**t, stream, db_.options.region};
        auto read = ReadStream(*txn, stream.number, sub.next_sequence,
                               [&](uint64_t seq, std::string_view bytes) {
                                 if (batch.size() >= 1000) return false;
                                 StreamRecord r;
                                 if (DecodeStreamRecord(seq, bytes, source, &r))
                                   batch.push_back(std::move(r));
                                 return true;
                               });
        if (!read.ok()) return;
      }
    }
    if (batch.empty()) continue;
    std::sort(batch.begin(), batch.end(), [](const StreamRecord& a, const StreamRecord& b) {
      return a.sequence_number < b.sequence_number;
    });
    uint64_t next = sub.next_sequence;
    for (const auto& r : batch) {
      try {
        sub.callback(r);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "localdynamo: stream subscriber threw: %s\n", e.what());
      } catch (...) {
        std::fprintf(stderr, "localdynamo: stream subscriber threw\n");
      }
      next = *ParseSequence(r.sequence_number) + 1;
    }
    {
      std::lock_guard lock(subscribers_mu_);
      for (auto& s : subscribers_)
        if (s.id == sub.id) s.next_sequence = next;
    }
    if (!sub.consumer.empty()) {
      auto txn = db_.BeginWrite();
      if (!txn.ok()) continue;
      std::string bytes(reinterpret_cast<const char*>(&next), 8);
      if (txn->Put(txn->dbis().meta, CheckpointKey(sub.table_name, sub.consumer), bytes).ok())
        (void)txn->Commit();
    }
  }
}

}  // namespace localdynamo::engine
