// Errors as values: tend::Expected<T>, tend::Error and tend::make_error.
// They live in the plugin SDK (tend/expected.hpp), so that plugins, which
// build against the SDK alone, and the rest of tend speak the same type.
#pragma once

#include <tend/expected.hpp>
