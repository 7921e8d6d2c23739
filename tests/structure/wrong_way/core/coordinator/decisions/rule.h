// A lower layer reaching up: check_layers must refuse this tree.
#pragma once
#include "core/coordinator/alerts/pipeline.h"
