#pragma once
// CommitQueue: how every item write reaches the disk (group commit).
//
// A write hands its work to Write, which runs it inside an LMDB write transaction and returns
// once that transaction is committed (on disk under Durability::kSync) and the write's stream
// records are delivered. Writes that arrive while a commit is in progress wait in line; the
// first of them then runs the work of all that are waiting, one after the other, in one
// transaction, and commits them with one sync of the data (LevelDB's writer queue, over LMDB);
// the sync that makes the commit durable (of LMDB's meta page, MDB_NOMETASYNC) runs while the
// next group is written (storage::WriteTxn::CommitBeforeSync), and the group's writes are
// acknowledged after it. (Leaving that second sync to the next group's commit, which syncs the
// earlier meta page too, was measured and dropped: no faster at 16 connections, slower at 1.)
// Each write still applies all or nothing: work that fails before writing anything (a validation
// error, a failed condition: the write path evaluates before it writes) leaves the transaction as
// it found it and its neighbours go on; work that fails after writing (LMDB's own failures: a full
// map or disk), or a commit that fails, aborts the group's transaction, and each write of the
// group is then run again alone, in its own transaction, in the same order, so that one
// write's failure is nobody else's. Nothing is acknowledged before the commit that holds it.
//
// Why not LMDB's nested transactions (a child per write inside the group's): a child costs a
// begin and commit of its own (+1.7-2.3 µs per 200-byte put, a 16-put group, no sync:
// 1.25-1.51 µs flat against 2.98-3.55 nested), and LMDB refuses them with MDB_WRITEMAP, which
// the in-memory store uses. Failing after writing is rare; its cost is paid only then.
//
// The work runs on whichever thread leads the group (the waiting threads sleep meanwhile), so it
// must not depend on its thread. It may be run twice (the second time alone): it sets its
// results afresh each time. Stream records are queued in commit order, by the leader, before
// the next group commits; each write then waits for its own to be delivered, on its own thread
// (StreamHub::AwaitDelivery), so that a synchronous subscriber's own write queues behind.
//
// Thread-safe. Control-plane writes (tables, tags, backups) begin their own transactions and
// wait for LMDB's writer lock; only item writes, which carry stream records, come through here.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <type_traits>

#include "localdynamo/database.h"
#include "localdynamo/status.h"
#include "storage/lmdb.h"

namespace localdynamo::engine {

class Mutation;

class CommitQueue {
 public:
  explicit CommitQueue(Database::Impl& db) : db_(db) {}

  // Runs `work`, a callable `Status(storage::WriteTxn& txn, Mutation& m)` that reads and writes
  // through the group's transaction and a Mutation of its own (whose stream records are this
  // write's), and commits it, alone or with the writes of other threads. Returns the work's
  // status (an error after a write was attempted makes the group run again one write at a
  // time), or the failure to begin or commit its transaction (InternalServerError: LMDB's,
  // the map or disk full). Returns after the write's stream records are delivered
  // (synchronous delivery). `work` is borrowed, not copied: no allocation per write.
  template <class F>
  Status Write(F&& work) {
    return Submit(Work{&work, [](void* f, storage::WriteTxn& txn, Mutation& m) -> Status {
                         return (*static_cast<std::remove_reference_t<F>*>(f))(txn, m);
                       }});
  }

  // The most writes one transaction takes: enough to make a sync serve many, few enough that
  // a group's transaction stays small.
  static constexpr std::size_t kMaxGroup = 128;

 private:
  struct Work {
    void* callable;
    Status (*call)(void* callable, storage::WriteTxn& txn, Mutation& m);
  };
  struct Writer;
  Status Submit(Work work);
  // Runs `group` in one transaction and commits it; if that fails after something was
  // written, runs each write again alone. Sets each writer's status and stream ticket; returns
  // whether anything was committed (and so needs a sync).
  bool RunGroup(Writer* const* group, std::size_t n);
  // One transaction for `n` writes: false when a write failed after writing or the commit
  // failed (the transaction is then aborted and nothing of it applies; `failure` says why).
  // `wrote`: whether the committed transaction held any write.
  bool TryGroup(Writer* const* group, std::size_t n, Status* failure, bool* wrote);

  Database::Impl& db_;
  std::mutex mu_;
  std::deque<Writer*> queue_;  // front: the leader (running its group); then those waiting
};

}  // namespace localdynamo::engine
