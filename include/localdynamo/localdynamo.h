#pragma once
// Umbrella header: the whole public API.
#include "localdynamo/check.h"
#include "localdynamo/clock.h"
#include "localdynamo/database.h"
#include "localdynamo/number.h"
#include "localdynamo/options.h"
#include "localdynamo/requests.h"
#include "localdynamo/schema.h"
#include "localdynamo/status.h"
#include "localdynamo/stream.h"
#include "localdynamo/value.h"
#include "localdynamo/version.h"
