// A plugin's own parameter table checked when it is loaded, so a mistake in
// it (a default that is not of its type, a pattern that does not compile)
// surfaces once, naming the file, instead of failing every task later.
#pragma once

#include <tend/plugin.h>

#include "bus/expected.h"

namespace tend {

// Messages name the param, e.g. "param 'max_age': default \"7x\" is unusable: ...".
Expected<void> check_param_specs(const tend_plugin& plugin);

}  // namespace tend
