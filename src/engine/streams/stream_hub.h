#pragma once
// StreamHub: a database handle's stream subscribers (Database::Subscribe) and their delivery.
//
// Synchronous delivery (StreamDelivery::kSynchronous): the writing thread hands its committed
// records to the subscribers before its call returns, in commit order across threads, through
// one FIFO; a subscriber that writes from inside its callback gets its own records after the
// current one (callbacks never nest). Background delivery: a worker thread reads the stream
// DBI after each commit (and every 50 ms, for other processes' writes) and hands each
// subscription the records after its position, checkpointing named consumers in the database.
//
// Thread-safe. The hub belongs to its Database::Impl, which must outlive it.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "localdynamo/database.h"

namespace localdynamo::engine {

// Where a named consumer's background position is kept (meta DBI): the next sequence, u64.
std::string CheckpointKey(std::string_view table, std::string_view consumer);

class StreamHub {
 public:
  explicit StreamHub(Database::Impl& db) : db_(db) {}
  ~StreamHub() { StopWorker(); }
  StreamHub(const StreamHub&) = delete;
  StreamHub& operator=(const StreamHub&) = delete;

  struct Subscription {
    Database::SubscriptionId id = 0;
    std::string table_name;
    StreamSubscriber callback;
    std::string consumer;        // background mode: checkpoint name ("" = not persisted)
    uint64_t next_sequence = 0;  // background mode: first sequence not yet delivered
  };
  // Adds a subscription (its id is assigned here) and returns its id.
  Database::SubscriptionId Add(Subscription s);
  void Remove(Database::SubscriptionId id);
  // The store was reset: stream sequence numbers start again, so background subscriptions
  // read from the start of whatever stream their table gets next.
  void Rewind();

  // Whether records of `table` have to be built for a subscriber on the writing thread.
  bool HasSynchronousListener(std::string_view table);
  // Queues the records a commit made (the commit queue's leader calls this for each write of a
  // group, in commit order, before the next group commits) and returns the ticket
  // AwaitDelivery takes; 0: nothing to wait for (no listener; background mode, whose worker it
  // wakes instead).
  uint64_t Enqueue(std::vector<StreamRecord> records);
  // Returns once the records up to `ticket` are handed to every subscriber: drains the FIFO on
  // this thread, or waits while another thread drains it; returns at once on the thread that
  // is draining (a subscriber's own write: the outer drain delivers its records next).
  void AwaitDelivery(uint64_t ticket);

  // Background mode's worker thread.
  void StartWorker();
  void StopWorker();

 private:
  void PokeWorker();
  void WorkerLoop();
  void DeliverBackground();

  Database::Impl& db_;

  std::mutex subscribers_mu_;
  std::vector<Subscription> subscribers_;
  // subscribers_.size(), for a write's check without the lock (most stores have none).
  std::atomic<std::size_t> subscriber_count_{0};
  Database::SubscriptionId next_id_ = 1;

  std::mutex delivery_mu_;
  std::condition_variable delivery_cv_;
  std::deque<StreamRecord> delivery_queue_;
  uint64_t enqueued_total_ = 0;   // records ever queued
  uint64_t delivered_total_ = 0;  // records ever handed to every subscriber
  bool delivering_ = false;
  std::thread::id delivering_thread_;

  std::thread worker_;
  std::mutex worker_mu_;
  std::condition_variable worker_cv_;
  bool worker_stopping_ = false;
  bool worker_poke_ = false;
};

}  // namespace localdynamo::engine
