#include "engine/commit_queue.h"

#include <algorithm>
#include <array>
#include <span>
#include <utility>
#include <vector>

#include "engine/database_impl.h"
#include "engine/mutation.h"

namespace localdynamo::engine {

struct CommitQueue::Writer {
  Work work;
  Status status = OkStatus();
  std::vector<StreamRecord> records;  // made by the work, queued after the commit
  uint64_t ticket = 0;                // StreamHub::Enqueue's
  bool done = false;
  std::condition_variable cv;
};

Status CommitQueue::Submit(Work work) {
  Writer w{work};
  std::unique_lock lock(mu_);
  queue_.push_back(&w);
  // (A member of a group being synced is no longer in the queue: it waits for `done`.)
  while (!w.done && (queue_.empty() || queue_.front() != &w)) w.cv.wait(lock);
  if (!w.done) {
    // This thread leads: it runs its own write and those waiting behind it.
    std::array<Writer*, kMaxGroup> members;  // on the stack: no allocation per write
    const std::size_t n = std::min(queue_.size(), kMaxGroup);
    std::copy_n(queue_.begin(), n, members.begin());
    const std::span<Writer*> group(members.data(), n);
    lock.unlock();
    RunGroup(group.data(), group.size());
    lock.lock();
    // Committed: the next group may be written while this one's commit is made durable.
    for (std::size_t i = 0; i < group.size(); ++i) queue_.pop_front();
    if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next group's leader
    lock.unlock();
    const Status synced = db_.env->Sync();
    lock.lock();
    for (Writer* member : group) {
      if (!synced.ok() && member->status.ok()) member->status = synced;
      member->done = true;
      if (member != &w) member->cv.notify_one();
    }
  }
  lock.unlock();
  db_.streams.AwaitDelivery(w.ticket);
  return w.status;
}

void CommitQueue::RunGroup(Writer* const* group, std::size_t n) {
  Status failure = OkStatus();
  if (!TryGroup(group, n, &failure)) {
    if (n == 1) {
      group[0]->status = std::move(failure);
      group[0]->records.clear();
    } else {
      for (std::size_t i = 0; i < n; ++i) RunGroup(group + i, 1);
      return;
    }
  }
  // Committed (or, alone, failed with nothing applied): the records go to the subscribers in
  // commit order, before the next group can commit.
  for (std::size_t i = 0; i < n; ++i)
    group[i]->ticket = db_.streams.Enqueue(std::move(group[i]->records));
}

bool CommitQueue::TryGroup(Writer* const* group, std::size_t n, Status* failure) {
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
  if (Status committed = txn->CommitBeforeSync(); !committed.ok()) {
    *failure = std::move(committed);
    return false;
  }
  return true;
}

}  // namespace localdynamo::engine
