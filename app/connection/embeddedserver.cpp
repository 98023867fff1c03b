#include "embeddedserver.h"

#include "config/config.h"
#include "server.h"

#include <QPointer>
#include <QStandardPaths>
#include <QThread>

namespace Outpost::App {

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
    // The server is in this process now: give the heap the settings a serving process wants.
    Server::Server::tuneAllocator();
    QPointer<EmbeddedServer> self(this);
    // Migrations and password hashing take a moment: never on the GUI thread.
    d->worker = QThread::create([self, config = *config, this] {
        auto server = std::make_unique<Server::Server>(config);
        server->setLocalAdmin(localAdminEmail(), QStringLiteral("local-admin"));
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
        const QString password = server->localAdminPassword();
        QMetaObject::invokeMethod(
            self, [self, this, bound, password, s = server.release()]() mutable {
                std::unique_ptr<Server::Server> owned(s);
                if (!self)
                    return; // destroyed meanwhile: owned stops the server
                d->server = std::move(owned);
                m_url = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(bound));
                Q_EMIT started(m_url, localAdminEmail(), password);
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

int EmbeddedServer::runHeadless(int argc, char *argv[])
{
    return Server::runHeadless(argc, argv);
}

} // namespace Outpost::App
