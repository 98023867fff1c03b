// Must not build: the database layer sits below the services (tests/layering/CMakeLists.txt).
#include "services/eventbus.h"
