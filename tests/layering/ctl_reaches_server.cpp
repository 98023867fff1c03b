// Must not build: outpostctl is a client over shared/ and reaches no server layer, not even
// the server.h facade (tests/layering/CMakeLists.txt).
#include "server.h"
