#include "engine/commit_queue.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "engine/database_impl.h"
#include "engine/mutation.h"

namespace localdynamo::engine {

struct CommitQueue::Writer {
  explicit Writer(Work w) : work(w) {}
  Work work;
  Status status = OkStatus();
  std::vector<StreamRecord> records;  // made by the work, queued after the commit
  uint64_t ticket = 0;                // StreamHub::Enqueue's
  bool done = false;
  std::condition_variable cv;
};

Status CommitQueue::Submit(Work work) {
  Writer w(work);
  std::unique_lock lock(mu_);
  queue_.push_back(&w);
  // (A member of a group being synced is no longer in the queue: it waits for `done`.)
  while (!w.done && (queue_.empty() || queue_.front() != &w)) w.cv.wait(lock);
  if (!w.done) {
    // This thread leads: it runs its own write and those waiting behind it.
    std::array<Writer*, kMaxGroup> group;  // on the stack: no allocation per write
    const std::size_t n = std::min(queue_.size(), kMaxGroup);
    std::copy_n(queue_.begin(), n, group.begin());
    lock.unlock();
    const bool wrote = RunGroup(group.data(), n);
    lock.lock();
    // Committed: the next group may be written while this one's commit is made durable.
    for (std::size_t i = 0; i < n; ++i) queue_.pop_front();
    if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next group's leader
    lock.unlock();
    // (A group whose writes were all refused committed nothing: no sync to wait for.)
    const Status synced = wrote ? db_.env->Sync() : OkStatus();
    lock.lock();
    for (std::size_t i = 0; i < n; ++i) {
      Writer* member = group[i];
      if (!synced.ok() && member->status.ok()) member->status = synced;
      member->done = true;
      if (member != &w) member->cv.notify_one();
    }
  }
  lock.unlock();
  db_.streams.AwaitDelivery(w.ticket);
  return w.status;
}

bool CommitQueue::RunGroup(Writer* const* group, std::size_t n) {
  Status failure = OkStatus();
  bool wrote = false;
  if (!TryGroup(group, n, &failure, &wrote)) {
    if (n > 1) {
      for (std::size_t i = 0; i < n; ++i) wrote = RunGroup(group + i, 1) || wrote;
      return wrote;
    }
    group[0]->status = std::move(failure);
    group[0]->records.clear();
  }
  // Committed (or, alone, failed with nothing applied): the records go to the subscribers in
  // commit order, before the next group can commit.
  for (std::size_t i = 0; i < n; ++i)
    group[i]->ticket = db_.streams.Enqueue(std::move(group[i]->records));
  return wrote;
}

bool CommitQueue::TryGroup(Writer* const* group, std::size_t n, Status* failure, bool* wrote) {
  auto txn = db_.BeginWrite();
  if (!txn.ok()) {
    *failure = std::move(txn.error());
    return false;
  }
  for (std::size_t i = 0; i < n; ++i) {
    Writer& w = *group[i];
    const uint64_t before = txn->writes();
    Mutation m(db_, *txn);
    w.status = w.work.call(w.work.callable, *txn, m);
    if (!w.status.ok() && txn->writes() != before) {
      *failure = w.status;
      return false;  // the transaction aborts as it goes
    }
    w.records = w.status.ok() ? m.TakeRecords() : std::vector<StreamRecord>{};
  }
  const bool any = txn->writes() != 0;
  if (Status committed = txn->CommitBeforeSync(); !committed.ok()) {
    *failure = std::move(committed);
    return false;
  }
  *wrote = any;
  return true;
}

}  // namespace localdynamo::engine
