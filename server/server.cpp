#include "server.h"

#include "api/adminapi.h"
#include "api/authapi.h"
#include "api/docsapi.h"
#include "api/eventhub.h"
#include "api/filesapi.h"
#include "api/operationalapi.h"
#include "api/pipelinesapi.h"
#include "api/postsapi.h"
#include "api/searchapi.h"
#include "api/uploadsapi.h"
#include "api/usersapi.h"
#include "api/webhooksapi.h"
#include "auth/crypto.h"
#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "core/version.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/eventchannel.h"
#include "db/migrator.h"
#include "http/httpengine.h"
#include "http/listener.h"
#include "http/openapi.h"
#include "http/router.h"
#include "observability/logging.h"
#include "observability/metrics.h"
#include "servercontext.h"
#include "services/adminservice.h"
#include "services/apikeyservice.h"
#include "services/auditservice.h"
#include "services/authservice.h"
#include "services/eventbus.h"
#include "services/fileservice.h"
#include "services/generationclient.h"
#include "services/localrunner.h"
#include "services/loginthrottle.h"
#include "services/pipelineservice.h"
#include "services/postservice.h"
#include "services/uploadservice.h"
#include "services/userservice.h"
#include "storage/filestore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSemaphore>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <malloc.h>

Q_LOGGING_CATEGORY(lcServer, "outpost.server", QtInfoMsg)

namespace Outpost::Server {

namespace {

// The SQLite writer's counters (all zero on PostgreSQL, which has no writer thread).
void appendWriterMetrics(const Database &database, QByteArray &out)
{
    const WriteBatcher::Stats stats = database.writeStats();
    const auto counter = [&out](const char *name, const char *help, qint64 value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(QByteArray::number(value)).append('\n');
    };
    counter("outpost_db_batched_writes_total",
        "Writes run by the SQLite writer thread (post creates, votes).", stats.writes);
    counter("outpost_db_write_transactions_total",
        "Transactions the SQLite writer committed them in (group commit).", stats.batches);
    counter("outpost_db_write_retries_total",
        "Write transactions run again because one of their writes failed.", stats.retried);
    counter("outpost_db_checkpoints_total",
        "Passive WAL checkpoints run by the SQLite checkpointer thread.", stats.checkpoints);
    counter("outpost_db_writer_checkpoints_total",
        "Checkpoints the SQLite writer ran itself because the WAL outgrew its limit.",
        stats.writerCheckpoints);
}

// One HTTP thread: its engine is created, listens, serves and is destroyed inside run().
class HttpThread final : public QThread
{
public:
    HttpThread(const Router &router, Metrics &metrics, HttpSettings settings, Database &database,
        Authenticator authenticator, EventBus &events, const AuthService &auth,
        const QHostAddress &address, quint16 port)
        : m_router(router)
        , m_metrics(metrics)
        , m_settings(std::move(settings))
        , m_database(database)
        , m_authenticator(std::move(authenticator))
        , m_events(events)
        , m_auth(auth)
        , m_address(address)
        , m_port(port)
    { }

    // Blocks until the thread listens (or failed to).
    Result<quint16> startListening()
    {
        start();
        m_ready.acquire();
        return m_result;
    }

    void drain(int graceMs)
    {
        QMetaObject::invokeMethod(m_engine, [this, graceMs] {
            m_engine->beginDrain();
            auto *timer = new QTimer(m_engine);
            QElapsedTimer clock;
            clock.start();
            timer->setInterval(20);
            QObject::connect(timer, &QTimer::timeout, m_engine, [this, timer, clock, graceMs] {
                const bool idle =
                    m_engine->openConnections() == 0 && m_engine->pendingReplies() == 0;
                if (idle || clock.elapsed() > graceMs) {
                    timer->stop();
                    quit();
                }
            });
            timer->start();
        });
    }

protected:
    void run() override
    {
        {
            HttpEngine engine(m_router, m_metrics, m_settings, m_authenticator);
            EventHub hub(m_events, m_auth);
            QObject::connect(&engine, &HttpEngine::webSocketAccepted, &hub, &EventHub::accept);
            m_engine = &engine;
            m_result = engine.listenShared(m_address, m_port);
            m_ready.release();
            if (m_result)
                exec();
            m_engine = nullptr;
        }
        m_database.closeThreadConnection();
    }

private:
    const Router &m_router;
    Metrics &m_metrics;
    HttpSettings m_settings;
    Database &m_database;
    Authenticator m_authenticator;
    EventBus &m_events;
    const AuthService &m_auth;
    QHostAddress m_address;
    quint16 m_port;
    HttpEngine *m_engine = nullptr;
    QSemaphore m_ready;
    Result<quint16> m_result = quint16(0);
};

// The JWT key: configured, or 256 random bits made once and kept in the data directory
// (0600), so tokens survive restarts and replicas sharing the directory agree.
Result<QByteArray> jwtSecret(const Config &config)
{
    if (!config.jwtSecret.isEmpty())
        return config.jwtSecret;
    const QString path = QDir(config.dataDir).filePath(QStringLiteral("jwt.secret"));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const QByteArray secret = Crypto::randomBytes(32).toHex();
        if (file.write(secret) != secret.size() || !file.flush()) {
            file.remove();
            return fail(Error::unavailable(QStringLiteral("cannot write the JWT secret file")));
        }
        file.close();
        qCInfo(lcServer) << "generated a JWT secret in the data directory";
        return secret;
    }
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::unavailable(QStringLiteral("cannot read the JWT secret file")));
    const QByteArray secret = file.readAll().trimmed();
    if (secret.size() < 32)
        return fail(Error::unavailable(QStringLiteral("the JWT secret file is too short")));
    return secret;
}

} // namespace

struct Server::Private
{
    ServerContext context;
    std::unique_ptr<Database> database;
    QThreadPool slowPool;
    std::unique_ptr<PasswordHasher> hasher;
    std::unique_ptr<JwtCodec> jwt;
    std::unique_ptr<DatabaseLoginThrottle> throttle;
    std::unique_ptr<AuditService> audit;
    std::unique_ptr<AuthService> auth;
    std::unique_ptr<UserService> users;
    std::unique_ptr<ApiKeyService> apiKeys;
    std::unique_ptr<AdminService> admin;
    EventBus events;
    std::unique_ptr<PgEventChannel> eventChannel; // PostgreSQL: events to and from other replicas
    std::unique_ptr<PostService> posts;
    std::unique_ptr<FileStore> fileStore;
    std::unique_ptr<FileService> files;
    std::unique_ptr<UploadService> uploads;
    std::unique_ptr<GenerationClient> generator;
    std::unique_ptr<PipelineService> pipelines;
    std::unique_ptr<LocalRunner> localRunner;
    Metrics metrics;
    Router router;
    QByteArray openApiJson;
    std::vector<std::unique_ptr<HttpThread>> threads;
    quint16 port = 0;
};

Server::Server(Config config)
    : d(std::make_unique<Private>())
{
    d->context.config = std::move(config);
}

Server::~Server()
{
    stop(0);
}

Result<quint16> Server::start()
{
    Config &config = d->context.config;
    // Process-wide on purpose, so also in the desktop app that embeds the server. Request
    // bodies (file parts up to the body limit) are large, short-lived buffers. With glibc's
    // sliding mmap threshold they end up in the heap arenas of whichever threads touched them
    // and stay in the RSS; a fixed threshold maps and unmaps them each time. Fixing it also
    // fixes the trim threshold, at 128 KiB by default: then every batch of writes, whose FTS5
    // index data grows and frees a few hundred KiB, made the writer thread's arena shrink and
    // grow again (madvise, page faults, TLB shootdowns on every core): over half the writer's
    // time in a create benchmark. A few MiB of free heap per arena may stay.
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
    if (!QDir().mkpath(config.dataDir)) {
        return fail(Error::unavailable(
            QStringLiteral("cannot create the data directory %1").arg(config.dataDir)));
    }
    QFile::setPermissions(
        config.dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QUrl store(config.effectiveFileStoreUrl());
    if (store.isLocalFile())
        QDir().mkpath(store.toLocalFile());

    auto url = DatabaseUrl::parse(config.effectiveDatabaseUrl(), config.databasePassword);
    if (!url)
        return fail(url.error());
    d->database = std::make_unique<Database>(*url);
    d->metrics.setSource(
        [database = d->database.get()](QByteArray &out) { appendWriterMetrics(*database, out); });
    Migrator migrator(*d->database);
    if (config.migrate) {
        auto applied = migrator.up();
        if (!applied)
            return fail(applied.error());
        if (*applied > 0)
            qCInfo(lcServer) << "applied" << *applied << "migration(s)";
    } else if (auto compatible = migrator.checkCompatible(); !compatible) {
        return fail(compatible.error());
    }

    auto secret = jwtSecret(config);
    if (!secret)
        return fail(secret.error());
    d->slowPool.setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
    d->slowPool.setObjectName(QStringLiteral("slow-work"));
    d->hasher = std::make_unique<PasswordHasher>(config.bcryptCost);
    d->jwt = std::make_unique<JwtCodec>(*secret, QStringLiteral("outpost"));
    d->throttle = std::make_unique<DatabaseLoginThrottle>(*d->database);
    d->audit = std::make_unique<AuditService>(*d->database);
    d->auth = std::make_unique<AuthService>(*d->database, *d->hasher, *d->jwt, *d->throttle,
        *d->audit, AuthSettings {config.accessTokenTtlSeconds, 30});
    d->users = std::make_unique<UserService>(
        *d->database, *d->hasher, *d->audit, config.registrationOpen, &d->events);
    d->apiKeys = std::make_unique<ApiKeyService>(*d->database, *d->audit);
    d->admin = std::make_unique<AdminService>(d->context);
    d->posts = std::make_unique<PostService>(*d->database, d->events);
    if (url->driver == DatabaseUrl::Driver::Postgres) {
        d->eventChannel = std::make_unique<PgEventChannel>(
            *url, [events = &d->events](const QByteArray &payload) { events->receive(payload); });
        d->events.setRelay([channel = d->eventChannel.get()](const QByteArray &payload) {
            channel->send(payload);
        });
    }
    auto fileStore = FileStore::fromConfig(config);
    if (!fileStore)
        return fail(fileStore.error());
    d->fileStore = std::move(*fileStore);
    d->files = std::make_unique<FileService>(
        *d->database, *d->fileStore, d->events, config.userQuotaBytes);
    d->uploads = std::make_unique<UploadService>(
        *d->database, *d->files, config.maxBodyBytes, config.uploadExpirySeconds);
    d->generator = std::make_unique<GenerationClient>(GenerationSettings {config.openAiBaseUrl,
        config.openAiApiKey, config.openAiTextModel, config.openAiImageModel,
        config.openAiSpeechModel, config.openAiVoice, config.maxBodyBytes});
    d->pipelines = std::make_unique<PipelineService>(*d->database, d->events, *d->audit,
        PipelineSettings {config.runRetention, config.localRunners});
    if (config.localRunners) {
        // Local runs still marked as going were cut short by a crash or a kill. Only a
        // server that runs them may say so (one replica should have local runners on).
        if (auto interrupted = d->pipelines->failInterruptedRuns(
                QStringLiteral("interrupted: the server stopped while this run was in progress"));
            !interrupted)
            return fail(interrupted.error());
        d->localRunner = std::make_unique<LocalRunner>(
            *d->pipelines, QDir(config.dataDir).filePath(QStringLiteral("workspaces")));
    }

    d->context.database = d->database.get();
    d->context.metrics = &d->metrics;
    d->context.router = &d->router;
    d->context.startedAt = QDateTime::currentDateTimeUtc();
    d->context.slowPool = &d->slowPool;
    d->context.audit = d->audit.get();
    d->context.auth = d->auth.get();
    d->context.users = d->users.get();
    d->context.apiKeys = d->apiKeys.get();
    d->context.admin = d->admin.get();
    d->context.events = &d->events;
    d->context.posts = d->posts.get();
    d->context.fileStore = d->fileStore.get();
    d->context.files = d->files.get();
    d->context.uploads = d->uploads.get();
    d->context.generator = d->generator.get();
    d->context.pipelines = d->pipelines.get();
    d->context.localRunner = d->localRunner.get();

    if (auto bootstrapped = bootstrapAdmin(); !bootstrapped)
        return fail(bootstrapped.error());

    OperationalApi::registerRoutes(d->router, d->context);
    UsersApi::registerRoutes(d->router, d->context);
    AuthApi::registerRoutes(d->router, d->context);
    AdminApi::registerRoutes(d->router, d->context);
    PostsApi::registerRoutes(d->router, d->context);
    SearchApi::registerRoutes(d->router, d->context);
    FilesApi::registerRoutes(d->router, d->context);
    UploadsApi::registerRoutes(d->router, d->context);
    PipelinesApi::registerRoutes(d->router, d->context);
    WebhooksApi::registerRoutes(d->router, d->context);
    EventHub::registerRoute(d->router);
    DocsApi::registerRoutes(d->router, d->openApiJson);
    d->openApiJson = QJsonDocument(OpenApi::document(d->router, QString::fromLatin1(kVersion)))
                         .toJson(QJsonDocument::Compact);

    int threads = config.threads > 0 ? config.threads : QThread::idealThreadCount();
    threads = qMax(1, threads);
    const qint64 descriptors = Listener::raiseDescriptorLimit();
    // Keep descriptors in reserve for files, the database and the listeners themselves.
    const qint64 usable = descriptors > 0 ? qMax<qint64>(16, descriptors - 64 - 4LL * threads)
                                          : config.maxConnections;
    const int cap = int(qMin<qint64>(config.maxConnections, usable));

    HttpSettings settings;
    settings.limits.maxBodyBytes = config.maxBodyBytes;
    settings.limits.idleTimeoutMs = config.idleTimeoutSeconds * 1000;
    settings.limits.headerTimeoutMs = config.headerTimeoutSeconds * 1000;
    settings.limits.bodyTimeoutMs = config.bodyTimeoutSeconds * 1000;
    settings.maxConnections = qMax(1, cap / threads);
    settings.corsOrigins = config.corsOrigins;
    settings.limits.websocketPaths = {QByteArray(EventHub::kPath)};

    AuthService *auth = d->auth.get();
    const Authenticator authenticator = [auth](const Request &request) -> Result<Principal> {
        const QByteArray header = request.header(QByteArrayLiteral("authorization"));
        if (header.isEmpty())
            return fail(Error::unauthorized(QStringLiteral("sign-in is required")));
        if (header.size() < 8 || header.left(7).compare("Bearer ", Qt::CaseInsensitive) != 0)
            return fail(Error::unauthorized(QStringLiteral("use Authorization: Bearer <token>")));
        return auth->authenticate(header.mid(7).trimmed());
    };

    quint16 port = config.listenPort;
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<HttpThread>(d->router, d->metrics, settings, *d->database,
            authenticator, d->events, *d->auth, config.listenAddress, port);
        thread->setObjectName(QStringLiteral("http-%1").arg(i));
        auto bound = thread->startListening();
        if (!bound) {
            thread->wait();
            stop(0);
            return fail(bound.error());
        }
        port = *bound; // the first thread may have picked a free port; the rest share it
        d->threads.push_back(std::move(thread));
    }
    d->port = port;
    const QString host = config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(config.listenAddress.toString())
        : config.listenAddress.toString();
    qCInfo(lcServer).noquote() << QStringLiteral(
        "listening on http://%1:%2 with %3 thread(s), database %4")
                                      .arg(host)
                                      .arg(port)
                                      .arg(threads)
                                      .arg(url->redacted());
    const QByteArray setupToken = d->users->issueSetupToken();
    if (!setupToken.isEmpty()) {
        qCInfo(lcServer).noquote()
            << QStringLiteral("no admin yet: register the first admin from this machine, or from "
                              "elsewhere with the header X-Setup-Token: %1")
                   .arg(QString::fromLatin1(setupToken));
    }
    return port;
}

Status Server::bootstrapAdmin()
{
    const Config &config = d->context.config;
    if (config.adminEmail.isEmpty())
        return {};
    if (config.adminPassword.isEmpty()) {
        return fail(Error::validation(QStringLiteral("OUTPOST_ADMIN_PASSWORD"),
            QStringLiteral("is required with OUTPOST_ADMIN_EMAIL")));
    }
    UserCreate create;
    create.email = config.adminEmail;
    create.password = QString::fromUtf8(config.adminPassword);
    auto user = d->users->createUser(create, Roles::admin, QStringLiteral("OUTPOST_ADMIN_EMAIL"));
    if (user) {
        qCInfo(lcServer).noquote() << "created admin" << user->email;
        return {};
    }
    // Already there (this replica or another made it): leave it as it is.
    return user.error().code == ErrorCode::Conflict ? Status {} : fail(user.error());
}

void Server::stop(int graceMs)
{
    for (auto &thread : d->threads)
        thread->drain(graceMs);
    for (auto &thread : d->threads)
        thread->wait();
    d->threads.clear();
    d->slowPool.waitForDone();
    if (d->localRunner)
        d->localRunner->shutdown();
    d->events.setRelay({});
    d->eventChannel.reset();
    d->metrics.setSource({});
    Logging::AccessLogBuffer::flush();
}

quint16 Server::port() const
{
    return d->port;
}

const Config &Server::config() const
{
    return d->context.config;
}

} // namespace Outpost::Server
