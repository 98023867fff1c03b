// outpost-server: the headless Outpost server and its admin commands.
#include "backupcommands.h"
#include "cli.h"
#include "config/config.h"
#include "core/version.h"
#include "datacommands.h"
#include "healthcheckcommand.h"
#include "migratecommand.h"
#include "observability/logging.h"
#include "servecommand.h"
#include "storecommands.h"
#include "usercommands.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace Outpost;
using namespace Outpost::Server::Cli;

int main(int argc, char *argv[])
{
    // Qt's own event dispatcher, not GLib's: both poll() every watched descriptor each turn,
    // but GLib's also finds a socket notifier by a linear search when it is turned on or off,
    // which QTcpSocket does for every buffered response: with 10,000 connections open that
    // made the server answer 50 times slower (bench/README.md, "Many connections"). The
    // server has no use for a GLib main loop. QT_NO_GLIB set but empty keeps GLib's.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("outpost"));
    QCoreApplication::setOrganizationName(QStringLiteral("Outpost"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Outpost API server.\n\nCommands:\n"
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
        "  backup --output FILE       an online backup (SQLite database and local\n"
        "                             files, one .tar.gz) while the server runs\n"
        "  restore --input FILE [--force]\n"
        "                             restore a backup into a stopped data directory\n"
        "  sweep-orphans [--dry-run] [--older-than DURATION]\n"
        "                             remove (or list) file store objects that no file\n"
        "                             or upload refers to, older than DURATION (1h)\n"
        "  healthcheck [--url URL]    exit 0 if the server's /healthz answers 200,\n"
        "                             else 1 (default URL: the listen setting)\n"
        "  version                    print the version"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("command"), QStringLiteral("serve | migrate | version"));
    const ServeOptions options;
    parser.addOptions(options.all());
    const QCommandLineOption url(QStringLiteral("url"),
        QStringLiteral("healthcheck: the server's /healthz (default: from the listen setting)."),
        QStringLiteral("URL"));
    parser.addOption(url);
    // `user ...` options, parsed again by that command.
    for (const char *name :
        {"email", "username", "role", "search", "output", "input", "from", "older-than"}) {
        QCommandLineOption option(QString::fromLatin1(name), QString(), QStringLiteral("V"));
        option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(option);
    }
    for (const char *name : {"admin", "enable", "password-stdin", "force", "dry-run"}) {
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
    if (command == QLatin1String("healthcheck"))
        return runHealthcheckCommand(parser, options, parser.value(url));
    const QStringList dataCommands {
        QStringLiteral("export"), QStringLiteral("import"), QStringLiteral("import-fastapi")};
    if (command != QLatin1String("serve") && command != QLatin1String("migrate")
        && command != QLatin1String("user") && command != QLatin1String("backup")
        && command != QLatin1String("restore") && command != QLatin1String("sweep-orphans")
        && !dataCommands.contains(command)) {
        return failWith(QStringLiteral("unknown command \"%1\"; try --help").arg(command), Usage);
    }

    auto config = loadConfig(parser, options);
    if (!config)
        return failWith(config.error().detail, Usage);
    Server::Logging::install(config->logFormat);
    if (command == QLatin1String("migrate"))
        return runMigrateCommand(*config, args);
    if (command == QLatin1String("user"))
        return runUserCommand(*config, QCoreApplication::arguments());
    if (command == QLatin1String("backup"))
        return runBackupCommand(*config, parser.value(QStringLiteral("output")));
    if (command == QLatin1String("restore")) {
        return runRestoreCommand(
            *config, parser.value(QStringLiteral("input")), parser.isSet(QStringLiteral("force")));
    }
    if (command == QLatin1String("sweep-orphans")) {
        return runSweepOrphansCommand(*config, parser.isSet(QStringLiteral("dry-run")),
            parser.value(QStringLiteral("older-than")));
    }
    if (dataCommands.contains(command)) {
        const char *option = command == QLatin1String("export") ? "output"
            : command == QLatin1String("import")                ? "input"
                                                                : "from";
        return runDataCommand(*config, command, parser.value(QString::fromLatin1(option)));
    }
    return serve(*config);
}
