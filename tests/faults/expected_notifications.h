// What a fault scenario must end up delivering: the corpus slice it publishes, the messages of
// it that one user's rule matches according to the reference interpreter (computed here,
// independently of the pipeline), and the message ids actually received, to compare as sets
// and count duplicates. Plain functions; thread-compatible.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/smtp_server.h"
#include "tests/support/zmq_publisher.h"

namespace fmn::faults {

// The first `count` messages of corpus/fedmsg-real.jsonl that carry a msg_id, with their "i"
// renumbered 1, 2, 3... so the pipeline sees one publisher counting without gaps.
std::vector<test::BusMessage> corpus_slice(size_t count);

// The msg_ids of `slice` that `rule_source` matches for a user named `me`.
std::set<std::string> matched_ids(const std::vector<test::BusMessage>& slice,
                                  const std::string& rule_source, const std::string& me);

// Each of `ids` once: what received_ids() gives when each was delivered exactly once.
std::map<std::string, int> once_each(const std::set<std::string>& ids);

// X-Fedmsg-Id header values of the received emails (a digest lists its items' ids in its
// body instead: see digest_ids), with how many times each was received.
std::map<std::string, int> received_ids(const std::vector<test::ReceivedMail>& mails);

// The link (message meta) of each message of `slice` whose msg_id is in `ids`, mapped to that
// msg_id: what identifies a notification in an IRC line or a digest item, which show no msg_id.
// A link shared by several of them, or a message without one, maps to "(ambiguous)".
std::map<std::string, std::string> ids_by_link(const std::vector<test::BusMessage>& slice,
                                               const std::set<std::string>& ids);

// The msg_ids whose links (see ids_by_link) `text` shows as whitespace-delimited URLs, in
// order; other URLs are left out.
std::vector<std::string> linked_ids(const std::string& text,
                                    const std::map<std::string, std::string>& ids_by_link);

// The plain-text part of a received email, quoted-printable decoded.
std::string plain_text(const test::ReceivedMail& mail);

// Synthetic messages of one publisher run: for n in [first, first + count), topic
// "org.fedoraproject.prod.faults.item.<n>", msg_id "2024-faults-<run>-<n>", sequence number n.
// Digest items show their topic, so within a run the topic identifies an item in a digest.
std::vector<test::BusMessage> numbered_items(const std::string& run, size_t first, size_t count);

// The topics of numbered_items(run, first, count), each once: what a scenario expects.
std::map<std::string, int> items_once(const std::string& run, size_t first, size_t count);

// The item topics listed in the plain-text parts of the received digest emails, with how many
// times each was received.
std::map<std::string, int> digest_topics(const std::vector<test::ReceivedMail>& mails);

// "a, b (x2), c" for failure messages.
std::string describe(const std::map<std::string, int>& counts);

}  // namespace fmn::faults
