#pragma once

#include <QString>

class QCommandLineParser;

namespace Outpost::Server::Cli {

struct ServeOptions;

// `outpost-server healthcheck [--url URL]`: GET /healthz of a running server, for a container's
// HEALTHCHECK or a probe that has no curl. Without `url`, the address comes from the settings
// the server reads (OUTPOST_LISTEN and the other layers; any address becomes loopback). Returns
// 0 when the server answers 200 within a few seconds; otherwise 1 with a one-line reason on
// stderr. Never 2: container engines reserve that exit code of a health check.
int runHealthcheckCommand(
    const QCommandLineParser &parser, const ServeOptions &options, const QString &url);

} // namespace Outpost::Server::Cli
