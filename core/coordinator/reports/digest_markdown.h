// The morning digest as people read it: Markdown, most important first.
#pragma once

#include <string>

#include "schemas/report.pb.h"

namespace tend {

std::string render_digest_markdown(const tend::DailyDigest& digest);

}  // namespace tend
