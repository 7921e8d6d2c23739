// The open incidents, in memory on the pipeline's thread: looked up by
// fingerprint (is this alert already an incident?) and by task id (whose fix
// just finished?). Few at a time, so plain scans do.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/coordinator/alerts/incident.h"

namespace tend::alerts {

class IncidentBook {
 public:
  Incident& add(Incident incident);
  void remove(int64_t id) { open_.erase(id); }

  Incident* by_fingerprint(const std::string& fingerprint);
  Incident* by_task(const std::string& task_id);
  Incident* by_id(int64_t id);

  // Every open incident, oldest first; safe to remove while iterating a copy.
  std::vector<Incident*> all();
  std::vector<const Incident*> all() const;
  size_t size() const { return open_.size(); }

 private:
  std::map<int64_t, Incident> open_;
};

}  // namespace tend::alerts
