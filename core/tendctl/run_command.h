// `tendctl run`: submit one task, show progress, print the summary.
#pragma once

#include "core/tendctl/session.h"
#include "core/tendctl/task_builder.h"

namespace tend::tendctl {

int run_task(const GlobalOptions& options, const RunArguments& args, bool json);

}  // namespace tend::tendctl
