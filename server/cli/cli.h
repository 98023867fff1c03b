#pragma once

#include <QString>

namespace Outpost::Server::Cli {

// The exit codes of every command.
enum ExitCode : int {
    Ok = 0,
    Failure = 1, // the command could not do its work
    Usage = 2,   // bad arguments or settings
};

// The name error lines start with: "outpost-server" unless the entry point says otherwise
// (`outpost --headless` says "outpost"). Set it before anything can fail.
void setProgramName(const char *name);

// Prints "<program>: <message>" to stderr and returns `code`, for `return failWith(...);`.
int failWith(const QString &message, ExitCode code = Failure);

} // namespace Outpost::Server::Cli
