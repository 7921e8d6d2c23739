#include "core/coordinator/alerts/incident_book.h"

namespace tend::alerts {

Incident& IncidentBook::add(Incident incident) {
  const int64_t id = incident.id;
  return open_.insert_or_assign(id, std::move(incident)).first->second;
}

Incident* IncidentBook::by_fingerprint(const std::string& fingerprint) {
  for (auto& [id, incident] : open_) {
    if (incident.fingerprint == fingerprint) return &incident;
  }
  return nullptr;
}

Incident* IncidentBook::by_task(const std::string& task_id) {
  if (task_id.empty()) return nullptr;
  for (auto& [id, incident] : open_) {
    if (incident.task_id == task_id) return &incident;
  }
  return nullptr;
}

Incident* IncidentBook::by_id(int64_t id) {
  auto it = open_.find(id);
  return it == open_.end() ? nullptr : &it->second;
}

std::vector<Incident*> IncidentBook::all() {
  std::vector<Incident*> out;
  out.reserve(open_.size());
  for (auto& [id, incident] : open_) out.push_back(&incident);
  return out;
}

std::vector<const Incident*> IncidentBook::all() const {
  std::vector<const Incident*> out;
  out.reserve(open_.size());
  for (const auto& [id, incident] : open_) out.push_back(&incident);
  return out;
}

}  // namespace tend::alerts
