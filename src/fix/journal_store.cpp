#include "journal_store.hpp"

namespace oms::fix {

namespace {
// QuickFIX reports store failures as IOException; the session then disconnects rather than send a
// message whose number is not durable.
void throw_if(const Status& st, const std::string& what) {
  if (!st) throw FIX::IOException(what + ": " + st.error().message);
}
}  // namespace

JournalStore::JournalStore(engine::SessionJournal& journal, std::string session, const Clock& clock)
    : journal_(journal), session_(std::move(session)), clock_(clock) {
  load();
}

void JournalStore::load() {
  auto rec = journal_.load_session(session_);
  if (!rec) {
    const auto now = clock_.now().time_since_epoch().count();
    throw_if(journal_.reset_session(session_, now), "create session record");
    rec = journal_.load_session(session_);
    if (!rec) throw FIX::IOException("load session record: " + rec.error().message);
  }
  next_sender_ = rec->next_sender_seq;
  next_target_ = rec->next_target_seq;
  const std::int64_t ns = rec->creation_time_ns;
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  creation_ = FIX::UtcTimeStamp(secs, static_cast<int>(ns % 1'000'000'000), 9);
}

bool JournalStore::set(int seq, const std::string& msg) {
  if (!tickets_) {
    throw_if(journal_.record_outgoing(session_, seq, msg), "journal outgoing message");
    return true;
  }
  // QuickFIX writes the bytes right after set() returns: the transport holds them behind this ticket.
  const std::uint64_t ticket = tickets_->issue();
  journal_.record_outgoing_async(session_, seq, msg,
                                 [t = tickets_, ticket](Status st) { t->complete(ticket, st); });
  return true;
}

std::shared_ptr<JournalTickets> JournalStore::hold_bytes() {
  if (!tickets_) tickets_ = std::make_shared<JournalTickets>();
  return tickets_;
}

void JournalTickets::complete(std::uint64_t ticket, const Status& st) {
  {
    std::lock_guard lock(mu_);
    if (!st) {
      failures_.fetch_add(1);
      // Never durable: durable_through stops below it for good, so the transport drops what it holds and
      // disconnects; later tickets (after a reconnect) wait for this one no longer.
      skipped_through_ = ticket;
      early_.erase(early_.begin(), early_.upper_bound(ticket));
    } else if (ticket == durable_.load() + 1 || ticket == skipped_through_ + 1) {
      std::uint64_t d = ticket;
      while (!early_.empty() && *early_.begin() == d + 1) {
        d = *early_.begin();
        early_.erase(early_.begin());
      }
      durable_.store(d);
    } else {
      early_.insert(ticket);
    }
    if (progress_) progress_();
  }
}

void JournalStore::get(int begin, int end, std::vector<std::string>& out) const {
  auto msgs = journal_.outgoing(session_, begin, end);
  if (!msgs) throw FIX::IOException("read outgoing messages: " + msgs.error().message);
  out = std::move(*msgs);
}

void JournalStore::setNextSenderMsgSeqNum(int n) {
  throw_if(journal_.set_next_sender_seq(session_, n), "set next sender number");
  next_sender_ = n;
}

void JournalStore::reset() {
  throw_if(journal_.reset_session(session_, clock_.now().time_since_epoch().count()), "reset session");
  load();
}

void JournalStore::refresh() { load(); }

FIX::MessageStore* JournalStoreFactory::create(const FIX::SessionID& id) {
  auto it = names_.find(id.toString());
  auto* store = new JournalStore(journal_, it == names_.end() ? id.toString() : it->second, clock_);
  std::lock_guard lock(mu_);
  live_[id.toString()] = store;
  return store;
}

void JournalStoreFactory::destroy(FIX::MessageStore* store) {
  {
    std::lock_guard lock(mu_);
    for (auto it = live_.begin(); it != live_.end(); ++it)
      if (it->second == store) {
        live_.erase(it);
        break;
      }
  }
  delete store;
}

JournalStore* JournalStoreFactory::find(const FIX::SessionID& id) {
  std::lock_guard lock(mu_);
  auto it = live_.find(id.toString());
  return it == live_.end() ? nullptr : it->second;
}

}  // namespace oms::fix
