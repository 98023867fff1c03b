// Must build: handlers call the services (tests/layering/CMakeLists.txt). It proves the probes
// compile at all, so the failures of the others come from the layers alone.
#include "services/postservice.h"
