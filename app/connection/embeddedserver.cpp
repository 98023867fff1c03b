#include "embeddedserver.h"

#include "auth/crypto.h"
#include "auth/passwordhasher.h"
#include "config/config.h"
#include "core/version.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/migrator.h"
#include "observability/logging.h"
#include "server.h"
#include "services/auditservice.h"
#include "auth/principal.h"
#include "services/userservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QPointer>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace Outpost::App {

namespace {

// Creates the local admin, or gives the existing one a new password and the admin role back.
Result<QString> prepareLocalAdmin(const Config &config)
{
    auto url = Server::DatabaseUrl::parse(config.effectiveDatabaseUrl());
    if (!url)
        return fail(url.error());
    QDir().mkpath(config.dataDir);
    Server::Database database(*url);
    auto result = [&]() -> Result<QString> {
        if (auto migrated = Server::Migrator(database).up(); !migrated)
            return fail(migrated.error());
        const Server::PasswordHasher hasher(config.bcryptCost);
        const Server::AuditService audit(database);
        Server::UserService users(database, hasher, audit, true);
        // Letters, digits and a dash: always passes the password rules.
        const QString password = QStringLiteral("Op-")
            + QString::fromLatin1(Server::Crypto::randomBytes(24).toBase64(
                QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
            + QStringLiteral("-9a");
        const Server::Principal app {0, Roles::admin, QStringLiteral("outpost app"), {}, 0, {}};
        const Server::Caller caller {app, QStringLiteral("local"), true, {}};
        auto existing = users.getByEmail(EmbeddedServer::localAdminEmail());
        if (existing) {
            UserUpdate update;
            update.password = password;
            update.role = Roles::admin;
            update.disabled = false;
            auto updated = users.update(existing->id, update, caller);
            if (!updated)
                return fail(updated.error());
        } else {
            UserCreate create;
            create.email = EmbeddedServer::localAdminEmail();
            create.username = QStringLiteral("local-admin");
            create.password = password;
            auto created = users.createUser(create, Roles::admin, QStringLiteral("outpost app"));
            if (!created)
                return fail(created.error());
        }
        return password;
    }();
    database.closeThreadConnection();
    return result;
}

} // namespace

struct EmbeddedServer::Private
{
    std::unique_ptr<Server::Server> server;
    QThread *worker = nullptr;
};

EmbeddedServer::EmbeddedServer(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
    , m_dataDir(dataDir)
{ }

EmbeddedServer::~EmbeddedServer()
{
    stop();
}

QString EmbeddedServer::localAdminEmail()
{
    return QStringLiteral("admin@outpost.localhost");
}

QString EmbeddedServer::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

bool EmbeddedServer::isRunning() const
{
    return d->server != nullptr && d->server->port() != 0;
}

void EmbeddedServer::start()
{
    ConfigSources sources;
    sources.commandLine.insert(QStringLiteral("LISTEN"), QStringLiteral("127.0.0.1:0"));
    sources.commandLine.insert(QStringLiteral("DATA_DIR"), m_dataDir);
    sources.commandLine.insert(QStringLiteral("THREADS"), QStringLiteral("2"));
    if (m_bcryptCost > 0)
        sources.commandLine.insert(QStringLiteral("BCRYPT_COST"), QString::number(m_bcryptCost));
    for (auto it = m_settings.cbegin(); it != m_settings.cend(); ++it)
        sources.commandLine.insert(it.key(), it.value());
    auto config = ConfigLoader::load(sources);
    if (!config) {
        Q_EMIT failed(config.error().detail);
        return;
    }
    QPointer<EmbeddedServer> self(this);
    // Migrations and password hashing take a moment: never on the GUI thread.
    d->worker = QThread::create([self, config = *config, this] {
        auto password = prepareLocalAdmin(config);
        if (!password) {
            const QString message = password.error().detail;
            QMetaObject::invokeMethod(self, [self, message] {
                if (self)
                    Q_EMIT self->failed(message);
            });
            return;
        }
        auto server = std::make_unique<Server::Server>(config);
        auto port = server->start();
        if (!port) {
            const QString message = port.error().detail;
            QMetaObject::invokeMethod(self, [self, message] {
                if (self)
                    Q_EMIT self->failed(message);
            });
            return;
        }
        const quint16 bound = *port;
        QMetaObject::invokeMethod(
            self, [self, this, bound, pw = *password, s = server.release()]() mutable {
                std::unique_ptr<Server::Server> owned(s);
                if (!self)
                    return; // destroyed meanwhile: owned stops the server
                d->server = std::move(owned);
                m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(bound));
                Q_EMIT started(m_url, localAdminEmail(), pw);
            });
    });
    d->worker->setObjectName(QStringLiteral("embedded-start"));
    connect(d->worker, &QThread::finished, d->worker, &QObject::deleteLater);
    d->worker->start();
}

void EmbeddedServer::stop()
{
    if (d->server) {
        d->server->stop(2'000);
        d->server.reset();
    }
}

// ---- outpost --headless -------------------------------------------------------------------

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

void printError(const QString &message)
{
    std::fprintf(stderr, "outpost: %s\n", qPrintable(message));
}

} // namespace

int EmbeddedServer::runHeadless(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("outpost"));
    QCoreApplication::setOrganizationName(QStringLiteral("Outpost"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(kVersion));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Outpost without a window: serves the HTTP API like `outpost-server serve`."));
    parser.addHelpOption();
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("No window."));
    const QCommandLineOption listen(QStringLiteral("listen"),
        QStringLiteral("Address to serve on (default 127.0.0.1:8080)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
        QStringLiteral("Directory for the database, files and secrets."), QStringLiteral("DIR"));
    const QCommandLineOption database(QStringLiteral("database"),
        QStringLiteral("sqlite:///abs/path.db or postgresql://..."), QStringLiteral("URL"));
    const QCommandLineOption configFile(QStringLiteral("config"),
        QStringLiteral("INI configuration file."), QStringLiteral("FILE"));
    const QCommandLineOption threads(QStringLiteral("threads"),
        QStringLiteral("HTTP threads (default: one per core)."), QStringLiteral("N"));
    const QCommandLineOption noMigrate(
        QStringLiteral("no-migrate"), QStringLiteral("Do not apply pending migrations at start."));
    parser.addOptions({headless, listen, dataDir, database, configFile, threads, noMigrate});
    parser.addPositionalArgument(QStringLiteral("serve"), QStringLiteral("optional"));
    if (!parser.parse(QCoreApplication::arguments())) {
        printError(parser.errorText());
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && positional != QStringList {QStringLiteral("serve")}) {
        printError(QStringLiteral("only `serve` runs headless; use outpost-server for the rest"));
        return 2;
    }

    ConfigSources sources;
    sources.environment = QProcessEnvironment::systemEnvironment();
    sources.configFile = parser.isSet(configFile)
        ? parser.value(configFile)
        : sources.environment.value(QStringLiteral("OUTPOST_CONFIG"));
    sources.dotEnvFile = QDir::current().filePath(QStringLiteral(".env"));
    const std::pair<const QCommandLineOption *, const char *> mapping[] = {{&listen, "LISTEN"},
        {&dataDir, "DATA_DIR"}, {&database, "DATABASE_URL"}, {&threads, "THREADS"}};
    for (const auto &[option, name] : mapping) {
        if (parser.isSet(*option))
            sources.commandLine.insert(QString::fromLatin1(name), parser.value(*option));
    }
    if (parser.isSet(noMigrate))
        sources.commandLine.insert(QStringLiteral("MIGRATE"), QStringLiteral("false"));
    auto config = ConfigLoader::load(sources);
    if (!config) {
        printError(config.error().detail);
        return 2;
    }
    Server::Logging::install(config->logFormat);
    Server::Server server(*config);
    auto port = server.start();
    if (!port) {
        printError(port.error().detail);
        return 1;
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0) {
        printError(QStringLiteral("cannot set up signal handling"));
        return 1;
    }
    struct sigaction action
    { };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&server, &notifier] {
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &byte, 1);
        notifier.setEnabled(false);
        server.stop();
        QCoreApplication::exit(0);
    });
    return QCoreApplication::exec();
}

} // namespace Outpost::App
