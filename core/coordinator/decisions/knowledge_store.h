// The knowledge base in PostgreSQL (knowledge_base and kb_outcomes): read
// whole at start, each entry written when it changes.
#pragma once

#include <cstdint>
#include <string>

#include "bus/expected.h"
#include "core/coordinator/decisions/knowledge_base.h"
#include "core/store/database.h"

namespace tend::decisions {

class KnowledgeStore {
 public:
  explicit KnowledgeStore(store::Database& db) : db_(db) {}

  Expected<void> load(KnowledgeBase& kb);
  Expected<void> save(const KbEntry& entry);
  Expected<void> outcome(const KbEntry& entry, bool verified, bool automatic,
                         const std::string& task_id, int64_t incident_id);

 private:
  store::Database& db_;
};

}  // namespace tend::decisions
