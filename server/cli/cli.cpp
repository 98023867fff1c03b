#include "cli.h"

#include <cstdio>

namespace Outpost::Server::Cli {

namespace {

const char *g_programName = "outpost-server";

} // namespace

void setProgramName(const char *name)
{
    g_programName = name;
}

int failWith(const QString &message, ExitCode code)
{
    std::fprintf(stderr, "%s: %s\n", g_programName, qPrintable(message));
    return code;
}

} // namespace Outpost::Server::Cli
