// What reaches the alert pipeline's thread: alerts from the intake, fixes
// that finished, control messages, and requests from tendctl. Handed over
// already decoded; the thread owns every piece of state.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "bus/replier.h"
#include "core/coordinator/alerts/alert.h"
#include "core/coordinator/alerts/route.h"
#include "schemas/alert.pb.h"
#include "schemas/approval.pb.h"
#include "schemas/control.pb.h"
#include "schemas/decision.pb.h"
#include "schemas/summary.pb.h"

namespace tend::alerts {

struct AlertsArrived {
  AlertBatch batch;
};

struct FixFinished {
  std::string task_id;
  tend::Summary summary;
};

struct RoutesReplaced {
  std::shared_ptr<const RouteTable> routes;
};

struct ControlObserved {
  std::string subject;
  tend::Control control;
};

struct IncidentsAsked {
  Requester from;
  tend::IncidentQuery query;
};

struct KbAsked {
  Requester from;
};

struct KbAdjustAsked {
  Requester from;
  tend::KbAdjust adjust;
};

// tend.approve.<task_id> (approve) or tend.deny.<task_id>.
struct ApprovalAnswered {
  Requester from;
  std::string task_id;
  bool approve = false;
  tend::ApprovalAnswer answer;
};

struct PendingAsked {
  Requester from;
};

struct BreakersAsked {
  Requester from;
};

struct BreakerResetAsked {
  Requester from;
  tend::BreakerReset reset;
};

// Re-check the timers now (tests that move their clock).
struct Tick {};

using PipelineEvent = std::variant<AlertsArrived, FixFinished, RoutesReplaced, ControlObserved,
                                   IncidentsAsked, KbAsked, KbAdjustAsked, ApprovalAnswered,
                                   PendingAsked, BreakersAsked, BreakerResetAsked, Tick>;

}  // namespace tend::alerts
