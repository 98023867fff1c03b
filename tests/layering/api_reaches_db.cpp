// Must not build: handlers call services, never repositories (tests/layering/CMakeLists.txt).
#include "db/database.h"
