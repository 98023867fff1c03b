// Must not build: the HTTP layer sits below the services (tests/layering/CMakeLists.txt).
#include "services/userservice.h"
