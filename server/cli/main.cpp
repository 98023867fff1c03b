// outpost-server: the headless Outpost server and its admin commands.
#include "config/config.h"
#include "core/version.h"
#include "datacommands.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/migrator.h"
#include "observability/logging.h"
#include "server.h"
#include "usercommands.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

using namespace Outpost;

namespace {

enum ExitCode { Ok = 0, Failure = 1, Usage = 2 };

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

void printError(const QString &message)
{
    std::fprintf(stderr, "outpost-server: %s\n", qPrintable(message));
}

struct Options
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
};

Result<Config> loadConfig(const QCommandLineParser &parser, const Options &options)
{
    ConfigSources sources;
    sources.environment = QProcessEnvironment::systemEnvironment();
    sources.configFile = parser.isSet(options.config)
        ? parser.value(options.config)
        : sources.environment.value(QStringLiteral("OUTPOST_CONFIG"));
    sources.dotEnvFile = QDir::current().filePath(QStringLiteral(".env"));
    if (parser.isSet(options.listen))
        sources.commandLine.insert(QStringLiteral("LISTEN"), parser.value(options.listen));
    if (parser.isSet(options.dataDir))
        sources.commandLine.insert(QStringLiteral("DATA_DIR"), parser.value(options.dataDir));
    if (parser.isSet(options.database))
        sources.commandLine.insert(QStringLiteral("DATABASE_URL"), parser.value(options.database));
    if (parser.isSet(options.threads))
        sources.commandLine.insert(QStringLiteral("THREADS"), parser.value(options.threads));
    if (parser.isSet(options.noMigrate))
        sources.commandLine.insert(QStringLiteral("MIGRATE"), QStringLiteral("false"));
    return ConfigLoader::load(sources);
}

int serve(const Config &config)
{
    Server::Server server(config);
    // SIGTERM / SIGINT: drain in-flight requests, then exit 0. Caught from before start(), so a
    // signal that comes while the server finishes starting (it already listens) is handled
    // once the event loop runs instead of killing the process.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0) {
        printError(QStringLiteral("cannot set up signal handling"));
        return Failure;
    }
    struct sigaction action
    { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    auto port = server.start();
    if (!port) {
        printError(port.error().detail);
        return Failure;
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [&server, &notifier] {
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &byte, 1);
        notifier.setEnabled(false);
        qInfo("shutting down: draining requests in progress");
        server.stop();
        qInfo("stopped");
        QCoreApplication::exit(Ok);
    });
    return QCoreApplication::exec();
}

int migrate(const Config &config, const QStringList &args)
{
    const QString action = args.value(1);
    auto url = Server::DatabaseUrl::parse(config.effectiveDatabaseUrl(), config.databasePassword);
    if (!url) {
        printError(url.error().detail);
        return Usage;
    }
    if (url->driver == Server::DatabaseUrl::Driver::Sqlite)
        QDir().mkpath(config.dataDir);
    Server::Database database(*url);
    Server::Migrator migrator(database);
    if (action == QLatin1String("up") || action == QLatin1String("down")) {
        int steps = action == QLatin1String("up") ? -1 : 1;
        if (args.size() > 2) {
            bool ok = false;
            steps = args.at(2).toInt(&ok);
            if (!ok || steps < 1) {
                printError(QStringLiteral("migrate %1: N must be a positive integer (got \"%2\")")
                               .arg(action, args.at(2)));
                return Usage;
            }
        }
        auto done = action == QLatin1String("up") ? migrator.up(steps) : migrator.down(steps);
        if (!done) {
            printError(done.error().detail);
            return Failure;
        }
        std::printf("%s: %d step(s) %s\n", qPrintable(action), *done,
            action == QLatin1String("up") ? "applied" : "reverted");
        database.closeThreadConnection();
        return Ok;
    }
    if (action == QLatin1String("status")) {
        auto status = migrator.status();
        if (!status) {
            printError(status.error().detail);
            return Failure;
        }
        std::printf("%-8s %-32s %-8s %s\n", "VERSION", "NAME", "STATE", "APPLIED AT");
        for (const auto &step : *status) {
            std::printf("%-8d %-32s %-8s %s\n", step.version, qPrintable(step.name),
                step.applied ? "applied" : "pending",
                step.applied ? qPrintable(step.appliedAt.toString(Qt::ISODate)) : "-");
        }
        database.closeThreadConnection();
        return Ok;
    }
    printError(QStringLiteral("usage: outpost-server migrate up [N] | down [N] | status"));
    return Usage;
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
    Options options;
    parser.addOptions({options.listen, options.dataDir, options.database, options.config,
        options.threads, options.noMigrate});
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
    if (!parser.parse(QCoreApplication::arguments())) {
        printError(parser.errorText());
        return Usage;
    }
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
        printError(QStringLiteral("unknown command \"%1\"; try --help").arg(command));
        return Usage;
    }

    auto config = loadConfig(parser, options);
    if (!config) {
        printError(config.error().detail);
        return Usage;
    }
    Server::Logging::install(config->logFormat);
    if (command == QLatin1String("migrate"))
        return migrate(*config, args);
    if (command == QLatin1String("user"))
        return Server::runUserCommand(*config, QCoreApplication::arguments());
    if (dataCommands.contains(command)) {
        const char *option = command == QLatin1String("export") ? "output"
            : command == QLatin1String("import")                ? "input"
                                                                : "from";
        return Server::runDataCommand(*config, command, parser.value(QString::fromLatin1(option)));
    }
    return serve(*config);
}
