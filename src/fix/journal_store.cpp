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
  throw_if(journal_.record_outgoing(session_, seq, msg), "journal outgoing message");
  return true;
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
  return new JournalStore(journal_, it == names_.end() ? id.toString() : it->second, clock_);
}

}  // namespace oms::fix
