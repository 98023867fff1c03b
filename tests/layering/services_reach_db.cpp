// Must build: the services use the repositories (tests/layering/CMakeLists.txt).
#include "db/database.h"
