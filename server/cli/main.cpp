// outpost-server: the headless Outpost server and its admin commands.
#include "cli.h"
#include "config/config.h"
#include "core/version.h"
#include "datacommands.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/opendatabase.h"
#include "observability/logging.h"
#include "servecommand.h"
#include "usercommands.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Outpost;
using namespace Outpost::Server::Cli;

namespace {

int migrate(const Config &config, const QStringList &args)
{
    const QString action = args.value(1);
    auto opened = Server::openDatabase(config, Server::SchemaStep::None);
    if (!opened) {
        return failWith(
            opened.error().detail, opened.error().code == ErrorCode::Validation ? Usage : Failure);
    }
    Server::Database &database = *opened->database;
    Server::Migrator migrator(database);
    if (action == QLatin1String("up") || action == QLatin1String("down")) {
        int steps = action == QLatin1String("up") ? -1 : 1;
        if (args.size() > 2) {
            bool ok = false;
            steps = args.at(2).toInt(&ok);
            if (!ok || steps < 1) {
                return failWith(
                    QStringLiteral("migrate %1: N must be a positive integer (got \"%2\")")
                        .arg(action, args.at(2)),
                    Usage);
            }
        }
        auto done = action == QLatin1String("up") ? migrator.up(steps) : migrator.down(steps);
        if (!done)
            return failWith(done.error().detail);
        std::printf("%s: %d step(s) %s\n", qPrintable(action), *done,
            action == QLatin1String("up") ? "applied" : "reverted");
        database.closeThreadConnection();
        return Ok;
    }
    if (action == QLatin1String("status")) {
        auto status = migrator.status();
        if (!status)
            return failWith(status.error().detail);
        std::printf("%-8s %-32s %-8s %s\n", "VERSION", "NAME", "STATE", "APPLIED AT");
        for (const auto &step : *status) {
            std::printf("%-8d %-32s %-8s %s\n", step.version, qPrintable(step.name),
                step.applied ? "applied" : "pending",
                step.applied ? qPrintable(step.appliedAt.toString(Qt::ISODate)) : "-");
        }
        database.closeThreadConnection();
        return Ok;
    }
    return failWith(
        QStringLiteral("usage: outpost-server migrate up [N] | down [N] | status"), Usage);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("outpost"));
    QCoreApplication::setOrganizationName(QStringLiteral("Outpost"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Outpost API server.\n\nCommands:\n"
                       "  serve                      serve the HTTP API (default)\n"
                       "  migrate up [N]             apply pending migrations (all, or N)\n"
                       "  migrate down [N]           revert the newest N migrations (default 1)\n"
                       "  migrate status             list applied and pending migrations\n"
                       "  user create --email E [--username U] [--admin] [--password-stdin]\n"
                       "  user list [--search TEXT]\n"
                       "  user set-role --email E --role admin|user\n"
                       "  user disable --email E [--enable]\n"
                       "  user reset-password --email E [--password-stdin]\n"
                       "  export --output FILE.jsonl copy users, posts, votes, file metadata\n"
                       "                             and pipelines out of the database\n"
                       "  import --input FILE.jsonl  load an export into an empty database\n"
                       "  import-fastapi --from postgresql://...\n"
                       "                             load the FastAPI posts service's tables\n"
                       "  version                    print the version"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("command"), QStringLiteral("serve | migrate | version"));
    const ServeOptions options;
    parser.addOptions(options.all());
    // `user ...` options, parsed again by that command.
    for (const char *name : {"email", "username", "role", "search", "output", "input", "from"}) {
        QCommandLineOption option(QString::fromLatin1(name), QString(), QStringLiteral("V"));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
    for (const char *name : {"admin", "enable", "password-stdin"}) {
        QCommandLineOption option(QString::fromLatin1(name));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
    if (!parser.parse(QCoreApplication::arguments()))
        return failWith(parser.errorText(), Usage);
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(Ok);
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("outpost-server %s (%s)\n", kVersion, kGitRevision);
        return Ok;
    }

    const QStringList args = parser.positionalArguments();
    const QString command = args.value(0, QStringLiteral("serve"));
    if (command == QLatin1String("version")) {
        std::printf("outpost-server %s (%s)\n", kVersion, kGitRevision);
        return Ok;
    }
    const QStringList dataCommands {
        QStringLiteral("export"), QStringLiteral("import"), QStringLiteral("import-fastapi")};
    if (command != QLatin1String("serve") && command != QLatin1String("migrate")
        && command != QLatin1String("user") && !dataCommands.contains(command)) {
        return failWith(QStringLiteral("unknown command \"%1\"; try --help").arg(command), Usage);
    }

    auto config = loadConfig(parser, options);
    if (!config)
        return failWith(config.error().detail, Usage);
    Server::Logging::install(config->logFormat);
    if (command == QLatin1String("migrate"))
        return migrate(*config, args);
    if (command == QLatin1String("user"))
        return runUserCommand(*config, QCoreApplication::arguments());
    if (dataCommands.contains(command)) {
        const char *option = command == QLatin1String("export") ? "output"
            : command == QLatin1String("import")                ? "input"
                                                                : "from";
        return runDataCommand(*config, command, parser.value(QString::fromLatin1(option)));
    }
    return serve(*config);
}
