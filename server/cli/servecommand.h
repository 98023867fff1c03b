#pragma once

#include "config/config.h"
#include "core/result.h"

#include <QCommandLineOption>
#include <QList>

class QCommandLineParser;

namespace Outpost::Server::Cli {

// The options of `serve`: outpost-server takes them before any command, `outpost --headless`
// takes the same.
struct ServeOptions
{
    QCommandLineOption listen {QStringLiteral("listen"),
        QStringLiteral("Address to serve on (default 127.0.0.1:8080)."),
        QStringLiteral("HOST:PORT")};
    QCommandLineOption dataDir {QStringLiteral("data-dir"),
        QStringLiteral("Directory for the database, files and secrets."), QStringLiteral("DIR")};
    QCommandLineOption database {QStringLiteral("database"),
        QStringLiteral("sqlite:///abs/path.db or postgresql://..."), QStringLiteral("URL")};
    QCommandLineOption config {QStringLiteral("config"), QStringLiteral("INI configuration file."),
        QStringLiteral("FILE")};
    QCommandLineOption threads {QStringLiteral("threads"),
        QStringLiteral("HTTP threads (default: one per core)."), QStringLiteral("N")};
    QCommandLineOption noMigrate {
        QStringLiteral("no-migrate"), QStringLiteral("Do not apply pending migrations at start.")};
    QCommandLineOption tlsCert {QStringLiteral("tls-cert"),
        QStringLiteral("PEM certificate chain: serve TLS only (with --tls-key)."),
        QStringLiteral("FILE")};
    QCommandLineOption tlsKey {QStringLiteral("tls-key"),
        QStringLiteral("PEM private key of --tls-cert."), QStringLiteral("FILE")};

    QList<QCommandLineOption> all() const
    {
        return {listen, dataDir, database, config, threads, noMigrate, tlsCert, tlsKey};
    }
};

// The settings from every layer (config file, .env, environment), the options on top.
Result<Config> loadConfig(const QCommandLineParser &parser, const ServeOptions &options);

// Serves until SIGTERM or SIGINT, then drains the requests in progress and returns Ok (SIGHUP
// reloads the TLS certificate and key);
// Failure when the server cannot start. Needs a QCoreApplication; runs its event loop.
int serve(const Config &config);

} // namespace Outpost::Server::Cli
