// Must not build: the app reaches the server through server.h only
// (tests/layering/CMakeLists.txt).
#include "db/database.h"
