#include "server.h"

#include "api/adminapi.h"
#include "api/authapi.h"
#include "api/backupsapi.h"
#include "api/docsapi.h"
#include "api/eventhub.h"
#include "api/filesapi.h"
#include "api/oidcapi.h"
#include "api/operationalapi.h"
#include "api/passwordrecoveryapi.h"
#include "api/pipelinesapi.h"
#include "api/postsapi.h"
#include "api/searchapi.h"
#include "api/subscriptionsapi.h"
#include "api/uploadsapi.h"
#include "api/usersapi.h"
#include "api/webhooksapi.h"
#include "api/wikiapi.h"
#include "auth/crypto.h"
#include "auth/jwt.h"
#include "auth/jwtsecret.h"
#include "auth/passwordhasher.h"
#include "core/diskfaults.h"
#include "core/version.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/eventchannel.h"
#include "db/opendatabase.h"
#include "http/bearertoken.h"
#include "http/edgepolicy.h"
#include "http/httpengine.h"
#include "http/httpthread.h"
#include "http/listener.h"
#include "http/openapi.h"
#include "http/router.h"
#include "http/tlscontext.h"
#include "observability/logging.h"
#include "observability/metrics.h"
#include "observability/spanexporter.h"
#include "observability/writermetrics.h"
#include "services/adminservice.h"
#include "services/apikeyservice.h"
#include "services/auditservice.h"
#include "services/authservice.h"
#include "services/backupservice.h"
#include "services/deliverydispatcher.h"
#include "services/eventbus.h"
#include "services/fileservice.h"
#include "services/generationclient.h"
#include "services/healthservice.h"
#include "services/housekeeping.h"
#include "services/localrunner.h"
#include "services/loginthrottle.h"
#include "services/mailer.h"
#include "services/oidcservice.h"
#include "services/orphansweep.h"
#include "services/passwordrecoveryservice.h"
#include "services/pipelineservice.h"
#include "services/postservice.h"
#include "services/retention.h"
#include "services/servercontext.h"
#include "services/subscriptionservice.h"
#include "services/uploadservice.h"
#include "services/userservice.h"
#include "services/wikiservice.h"
#include "storage/filestore.h"

#include <QDir>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QStorageInfo>
#include <QThread>
#include <QUrl>

#ifdef __GLIBC__
#include <malloc.h>
#endif

Q_LOGGING_CATEGORY(lcServer, "outpost.server", QtInfoMsg)

namespace Outpost::Server {

namespace {

// What Retention prunes (services/retention.h) goes at start and then this often.
constexpr std::chrono::hours kHousekeepingInterval {1};

WriterCounters writerCounters(const Database &database)
{
    const WriteBatcher::Stats stats = database.writeStats();
    return {stats.writes, stats.batches, stats.retried, stats.checkpoints, stats.writerCheckpoints};
}

EdgeSettings edgeSettings(const Config &config)
{
    EdgeSettings edge;
    edge.trustedProxies = config.trustedProxies;
    edge.corsOrigins = config.corsOrigins;
    edge.publicUrl = config.publicUrl.toUtf8();
    edge.rateLimit.quota = config.rateLimit.quota;
    edge.rateLimit.windowSeconds = config.rateLimit.windowSeconds;
    edge.expensiveRateLimit.quota = config.expensiveRateLimit.quota;
    edge.expensiveRateLimit.windowSeconds = config.expensiveRateLimit.windowSeconds;
    edge.rateLimitLoopback = config.rateLimitLoopback;
    return edge;
}

// Outgoing e-mail (issue 19): off without OUTPOST_SMTP_URL.
MailSettings mailSettings(const Config &config)
{
    MailSettings mail;
    if (!config.mailEnabled())
        return mail;
    mail.url = QUrl(config.smtpUrl);
    mail.username = config.smtpUsername;
    mail.password = config.smtpPassword;
    mail.from = config.smtpFrom;
    mail.caFile = config.smtpCaFile;
    mail.digestWindow = std::chrono::seconds(config.mailDigestWindowSeconds);
    mail.publicUrl = config.publicUrl;
    return mail;
}

} // namespace

struct Server::Private
{
    ServerContext context;
    std::unique_ptr<DataDirLock> dataDirLock; // SQLite: released after the database closes
    std::unique_ptr<Database> database;
    QThreadPool slowPool;
    std::unique_ptr<PasswordHasher> hasher;
    std::unique_ptr<JwtCodec> jwt;
    std::unique_ptr<DatabaseLoginThrottle> throttle;
    std::unique_ptr<AuditService> audit;
    std::unique_ptr<AuthService> auth;
    std::unique_ptr<OidcService> oidc; // after auth: holds a reference to it
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
    std::unique_ptr<WikiService> wiki;
    std::unique_ptr<PipelineService> pipelines;
    std::unique_ptr<LocalRunner> localRunner;
    std::unique_ptr<Retention> retention;
    std::unique_ptr<OrphanSweep> orphanSweep; // before housekeeping, which uses it
    std::unique_ptr<Housekeeping> housekeeping;
    std::unique_ptr<BackupService> backups;
    std::unique_ptr<Mailer> mailer; // before passwordRecovery, which uses it
    std::unique_ptr<PasswordRecoveryService> passwordRecovery;
    std::unique_ptr<Housekeeping> backupSchedule;   // only with OUTPOST_BACKUP_INTERVAL
    std::unique_ptr<DeliveryDispatcher> dispatcher; // outgoing events: webhooks, e-mail
    std::unique_ptr<SubscriptionService> subscriptions;
    Metrics metrics;
    std::unique_ptr<SpanExporter> spanExporter; // OUTPOST_OTLP_ENDPOINT
    Router router;
    Router metricsRouter; // the OUTPOST_METRICS_LISTEN listener's only route
    QByteArray openApiJson;
    std::shared_ptr<TlsContext> tls;
    std::vector<std::unique_ptr<HttpThread>> threads;
    quint16 port = 0;
    quint16 metricsPort = 0;
    QString localAdminEmail; // see setLocalAdmin()
    QString localAdminUsername;
    QString localAdminPassword;
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
    auto opened =
        openDatabase(config, config.migrate ? SchemaStep::Migrate : SchemaStep::CheckCompatible,
            DataDirectory::Always, DataDirAccess::Exclusive);
    if (!opened)
        return fail(opened.error());
    d->dataDirLock = std::move(opened->lock);
    if (opened->appliedMigrations > 0)
        qCInfo(lcServer) << "applied" << opened->appliedMigrations << "migration(s)";
    d->database = std::move(opened->database);
    const DatabaseUrl &url = d->database->url();
    if (config.tlsEnabled()) {
        auto tls = TlsContext::load(config.tlsCertFile, config.tlsKeyFile);
        if (!tls)
            return fail(tls.error());
        d->tls = std::move(*tls);
    }
    if (!config.otlpEndpoint.isEmpty()) {
        SpanExporter::Settings tracing;
        tracing.endpoint = QUrl(config.otlpEndpoint);
        tracing.serviceVersion = QByteArray(kVersion);
        d->spanExporter = std::make_unique<SpanExporter>(tracing);
        d->spanExporter->start();
    }
    d->metrics.setSource([this](QByteArray &out) {
        appendWriterMetrics(writerCounters(*d->database), out);
        if (d->spanExporter)
            d->spanExporter->appendMetrics(out);
        appendOperationalMetrics(out);
        if (d->mailer && d->mailer->enabled())
            d->mailer->appendMetrics(out);
        if (d->dispatcher)
            d->dispatcher->appendMetrics(out);
        if (d->tls) {
            out.append("# HELP outpost_tls_certificate_expiry_timestamp_seconds When the served "
                       "TLS certificate expires (notAfter, Unix time).\n"
                       "# TYPE outpost_tls_certificate_expiry_timestamp_seconds gauge\n"
                       "outpost_tls_certificate_expiry_timestamp_seconds ");
            out.append(QByteArray::number(d->tls->expiry().toSecsSinceEpoch())).append('\n');
        }
    });
    const QUrl store(config.effectiveFileStoreUrl());
    if (store.isLocalFile())
        QDir().mkpath(store.toLocalFile());

    auto secret = loadJwtSecret(config);
    if (!secret)
        return fail(secret.error());
    d->slowPool.setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
    d->slowPool.setObjectName(QStringLiteral("slow-work"));
    d->hasher = std::make_unique<PasswordHasher>(config.bcryptCost);
    d->jwt = std::make_unique<JwtCodec>(*secret, QStringLiteral("outpost"));
    d->throttle = std::make_unique<DatabaseLoginThrottle>(*d->database);
    d->audit = std::make_unique<AuditService>(*d->database);
    d->auth = std::make_unique<AuthService>(*d->database, *d->hasher, *d->jwt, *d->throttle,
        *d->audit, AuthSettings {config.accessTokenTtlSeconds, 30, config.passwordLogin});
    if (!config.oidcProviders.isEmpty()) {
        // Single sign-on (issue 20). Discovery and keys are read now; a provider that cannot
        // be reached is logged and tried again on first use, so it does not stop the server.
        d->oidc = std::make_unique<OidcService>(
            *d->database, *d->auth, *d->audit, config.oidcProviders, config.publicUrl);
        d->oidc->discoverAll();
        if (d->oidc->acceptsMachineTokens()) {
            d->auth->setExternalTokens([oidc = d->oidc.get()](const QByteArray &token) {
                return oidc->authenticateMachine(token);
            });
        }
    }
    d->users = std::make_unique<UserService>(*d->database, *d->hasher, *d->audit,
        config.registrationOpen, config.passwordLogin, &d->events);
    d->apiKeys = std::make_unique<ApiKeyService>(*d->database, *d->audit);
    d->mailer = std::make_unique<Mailer>(mailSettings(config));
    d->passwordRecovery = std::make_unique<PasswordRecoveryService>(
        *d->database, *d->hasher, *d->audit, *d->mailer, config.publicUrl);
    d->admin = std::make_unique<AdminService>(d->context);
    d->posts = std::make_unique<PostService>(*d->database, d->events);
    if (url.driver == DatabaseUrl::Driver::Postgres) {
        d->eventChannel = std::make_unique<PgEventChannel>(
            url, [events = &d->events](const QByteArray &payload) { events->receive(payload); });
        d->events.setRelay([channel = d->eventChannel.get()](
                               const QByteArray &payload) { channel->send(payload); });
    }
    auto fileStore = FileStore::fromConfig(config);
    if (!fileStore)
        return fail(fileStore.error());
    d->fileStore = std::move(*fileStore);
    d->files = std::make_unique<FileService>(
        *d->database, *d->fileStore, d->events, config.userQuotaBytes);
    d->uploads = std::make_unique<UploadService>(
        *d->database, *d->files, config.maxBodyBytes, config.uploadExpirySeconds);
    // Upload parts a crash left behind (the data directory lock says no other server uses this
    // database and its store; PostgreSQL replicas may share theirs, so not there).
    if (d->database->dialect() == u"sqlite")
        d->uploads->removeAbandonedParts();
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
    d->wiki = std::make_unique<WikiService>(config.wikiUrl, config.wikiTimeoutSeconds * 1000);
    d->context.wiki = d->wiki.get();
    d->context.pipelines = d->pipelines.get();
    d->context.localRunner = d->localRunner.get();
    d->context.mailer = d->mailer.get();
    d->context.passwordRecovery = d->passwordRecovery.get();

    // Outgoing events (issue 19). Publishing on this replica only queues (one batched insert,
    // none while no subscription exists); the dispatcher's threads send.
    DispatcherSettings dispatch;
    dispatch.allowPrivate = config.webhookAllowPrivate;
    dispatch.timeoutMs = config.webhookTimeoutSeconds * 1000;
    dispatch.retrySchedule = config.webhookRetrySchedule;
    dispatch.disableAfterMs = qint64(config.webhookDisableAfterSeconds) * 1000;
    dispatch.userAgent = QByteArrayLiteral("Outpost-Webhooks/") + QByteArray(kVersion);
    d->dispatcher = std::make_unique<DeliveryDispatcher>(*d->database, dispatch);
    // E-mail subscriptions and the "subscription disabled" notice go to the mailer, which
    // folds them into digests and retries on its own; without SMTP they stay pending, listed
    // with "no mailer configured".
    if (d->mailer->enabled()) {
        d->dispatcher->setMailer(
            [mailer = d->mailer.get()](const QString &to, const OutgoingEvent &event) -> Status {
                mailer->notify(to, event.type, event.data);
                return {};
            });
    }
    d->subscriptions = std::make_unique<SubscriptionService>(
        *d->database, *d->audit, *d->dispatcher, config.webhookAllowPrivate);
    d->context.subscriptions = d->subscriptions.get();
    d->context.dispatcher = d->dispatcher.get();
    d->events.setOutbox(
        [dispatcher = d->dispatcher.get()](const Event &event) { dispatcher->enqueue(event); });
    d->context.oidc = d->oidc.get();

    if (auto bootstrapped = bootstrapAdmin(); !bootstrapped)
        return fail(bootstrapped.error());
    if (auto local = ensureLocalAdmin(); !local)
        return fail(local.error());

    d->retention = std::make_unique<Retention>(
        *d->database, d->uploads.get(), std::chrono::seconds(config.auditRetentionSeconds));
    d->housekeeping = std::make_unique<Housekeeping>(*d->database, kHousekeepingInterval);
    d->housekeeping->addJob([retention = d->retention.get()] {
        const auto pruned = retention->prune(QDateTime::currentDateTimeUtc());
        if (!pruned) {
            qCWarning(lcServer).noquote() << "pruning:" << pruned.error().detail;
        } else if (pruned->total() > 0) {
            qCInfo(lcServer).noquote()
                << QStringLiteral("deleted %1 expired or revoked refresh token(s), %2 old failed "
                                  "sign-in(s), %3 expired upload(s), %4 audit entr(ies)")
                       .arg(pruned->refreshTokens)
                       .arg(pruned->loginAttempts)
                       .arg(pruned->uploads)
                       .arg(pruned->auditEntries);
        }
    });
    d->housekeeping->addJob([recovery = d->passwordRecovery.get()] {
        const auto pruned = recovery->pruneExpired(QDateTime::currentDateTimeUtc());
        if (!pruned) {
            qCWarning(lcServer).noquote() << "pruning password resets:" << pruned.error().detail;
        } else if (*pruned > 0) {
            qCInfo(lcServer).noquote() << "deleted" << *pruned << "expired password reset(s)";
        }
    });
    d->housekeeping->addJob([dispatcher = d->dispatcher.get()] {
        if (const auto pruned = dispatcher->prune(); !pruned)
            qCWarning(lcServer).noquote() << "pruning deliveries:" << pruned.error().detail;
    });
    if (d->oidc) {
        d->housekeeping->addJob([oidc = d->oidc.get()] {
            if (const auto pruned = oidc->pruneFlows(QDateTime::currentDateTimeUtc()); !pruned)
                qCWarning(lcServer).noquote() << "pruning sign-in flows:" << pruned.error().detail;
        });
    }
    // Objects a crash left unrecorded (services/orphansweep.h): not at start (listing a large
    // bucket would hold it up), then daily, an hour after the start first; only objects older
    // than an hour (OrphanSweepSchedule's defaults).
    d->orphanSweep = std::make_unique<OrphanSweep>(*d->database, *d->fileStore);
    d->housekeeping->addJob([schedule = OrphanSweepSchedule(
                                 *d->orphanSweep, QDateTime::currentDateTimeUtc(), {})]() mutable {
        const auto swept = schedule.runIfDue(QDateTime::currentDateTimeUtc());
        if (!swept)
            return;
        if (!*swept) {
            qCWarning(lcServer).noquote() << "sweeping orphaned objects:" << swept->error().detail;
        } else if (const OrphanSweep::Report &report = **swept; !report.orphans.isEmpty()) {
            qCInfo(lcServer).noquote()
                << QStringLiteral("removed %1 orphaned object(s) from the file store (%2 bytes), "
                                  "%3 could not be removed")
                       .arg(report.removed)
                       .arg(report.bytes)
                       .arg(report.failed);
        }
    });
    d->housekeeping->start();

    const QUrl storeUrl(config.effectiveFileStoreUrl());
    d->backups = std::make_unique<BackupService>(*d->database, d->fileStore.get(),
        storeUrl.isLocalFile() ? storeUrl.toLocalFile() : QString(), config.dataDir,
        BackupSettings {std::chrono::seconds(config.backupIntervalSeconds), config.backupKeep});
    d->context.backups = d->backups.get();
    if (config.backupIntervalSeconds > 0) {
        if (auto supported = d->backups->checkSupported(); !supported) {
            qCWarning(lcServer).noquote() << "OUTPOST_BACKUP_INTERVAL is set, but the"
                                          << supported.error().fields.value(0).field
                                          << supported.error().fields.value(0).message;
        } else {
            // Checked at most every 10 minutes: a backup is made once the newest one in the
            // store is an interval old, so restarts neither skip nor repeat one.
            const auto check = std::min<std::chrono::milliseconds>(
                std::chrono::seconds(config.backupIntervalSeconds), std::chrono::minutes(10));
            d->backupSchedule = std::make_unique<Housekeeping>(*d->database, check);
            d->backupSchedule->addJob([backups = d->backups.get()] {
                const auto made = backups->runScheduled(QDateTime::currentDateTimeUtc());
                if (!made)
                    qCWarning(lcServer).noquote() << "scheduled backup:" << made.error().detail;
            });
            d->backupSchedule->start(Housekeeping::FirstRun::OnThread);
        }
    }

    OperationalApi::registerRoutes(d->router, d->context);
    UsersApi::registerRoutes(d->router, d->context);
    AuthApi::registerRoutes(d->router, d->context);
    PasswordRecoveryApi::registerRoutes(d->router, d->context);
    OidcApi::registerRoutes(d->router, d->context);
    AdminApi::registerRoutes(d->router, d->context);
    BackupsApi::registerRoutes(d->router, d->context);
    PostsApi::registerRoutes(d->router, d->context);
    SearchApi::registerRoutes(d->router, d->context);
    FilesApi::registerRoutes(d->router, d->context);
    UploadsApi::registerRoutes(d->router, d->context);
    PipelinesApi::registerRoutes(d->router, d->context);
    WebhooksApi::registerRoutes(d->router, d->context);
    SubscriptionsApi::registerRoutes(d->router, d->context);
    WikiApi::registerRoutes(d->router, d->context);
    EventHub::registerRoute(d->router);
    DocsApi::registerRoutes(
        d->router, d->openApiJson, d->oidc ? d->oidc->browserOrigins() : QStringList());
    QJsonObject openApi = OpenApi::document(d->router, QString::fromLatin1(kVersion));
    // Swagger UI's Authorize signs in at the providers whose access tokens this server takes
    // (OUTPOST_OIDC_AUDIENCE): the token it gets there is sent as a bearer token.
    for (const OidcProviderSettings &provider : config.oidcProviders) {
        if (provider.audience.isEmpty())
            continue;
        QString issuer = provider.issuer;
        while (issuer.endsWith(u'/'))
            issuer.chop(1);
        OpenApi::addOpenIdConnectScheme(openApi, QStringLiteral("oidc_") + provider.name,
            issuer + QStringLiteral("/.well-known/openid-configuration"),
            QStringLiteral("Single sign-on with %1 (authorization code with PKCE): its access "
                           "token, for the audience %2, is accepted as a bearer token.")
                .arg(provider.displayName.isEmpty() ? provider.name : provider.displayName,
                    provider.audience));
    }
    d->openApiJson = QJsonDocument(openApi).toJson(QJsonDocument::Compact);

    int threads = config.threads > 0 ? config.threads : QThread::idealThreadCount();
    threads = qMax(1, threads);
    if (!kListenersSharePort && threads > 1) {
        if (config.threads > 1)
            qCInfo(lcServer) << "one HTTP thread: this OS cannot spread one port over threads";
        threads = 1;
    }
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
    settings.edge = std::make_shared<const EdgePolicy>(edgeSettings(config));
    settings.acceptGroup = std::make_shared<AcceptGroup>(threads);
    settings.limits.websocketPaths = {QByteArray(EventHub::kPath)};
    settings.tls = d->tls;

    AuthService *auth = d->auth.get();
    const Authenticator authenticator = [auth](const Request &request) -> Result<Principal> {
        auto token = bearerToken(request);
        if (!token)
            return fail(token.error());
        return auth->authenticate(*token);
    };
    HttpThread::Hooks hooks;
    hooks.attach = [events = &d->events, auth](HttpEngine &engine) -> std::unique_ptr<QObject> {
        auto hub = std::make_unique<EventHub>(*events, *auth);
        QObject::connect(&engine, &HttpEngine::webSocketAccepted, hub.get(), &EventHub::accept);
        return hub;
    };
    hooks.finished = [database = d->database.get()] { database->closeThreadConnection(); };

    quint16 port = config.listenPort;
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<HttpThread>(
            d->router, d->metrics, settings, authenticator, hooks, config.listenAddress, port);
        thread->setObjectName(QStringLiteral("http-%1").arg(i));
        auto bound =
            thread->startListening(d->threads.empty() ? nullptr : d->threads.front().get());
        if (!bound) {
            thread->wait();
            stop(0);
            return fail(bound.error());
        }
        port = *bound; // the first thread may have picked a free port; the rest share it
        d->threads.push_back(std::move(thread));
    }
    d->port = port;
    d->dispatcher->start();
    if (!config.metricsListenAddress.isNull()) {
        // Plain HTTP, one thread, one route: for a scraper on a private address.
        OperationalApi::registerMetricsListenerRoutes(d->metricsRouter, d->context);
        HttpSettings metricsSettings;
        metricsSettings.limits = settings.limits;
        metricsSettings.limits.websocketPaths = {};
        metricsSettings.maxConnections = 64;
        const Authenticator none = [](const Request &) -> Result<Principal> {
            return fail(Error::unauthorized(QStringLiteral("no credentials here")));
        };
        auto thread = std::make_unique<HttpThread>(d->metricsRouter, d->metrics, metricsSettings,
            none, HttpThread::Hooks {}, config.metricsListenAddress, config.metricsListenPort);
        thread->setObjectName(QStringLiteral("http-metrics"));
        auto bound = thread->startListening();
        if (!bound) {
            thread->wait();
            stop(0);
            return fail(bound.error());
        }
        d->metricsPort = *bound;
        d->threads.push_back(std::move(thread));
        qCInfo(lcServer).noquote() << QStringLiteral("serving /metrics on http://%1:%2")
                                          .arg(config.metricsListenAddress.toString())
                                          .arg(d->metricsPort);
    }
    const QString host = config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(config.listenAddress.toString())
        : config.listenAddress.toString();
    qCInfo(lcServer).noquote() << QStringLiteral(
        "listening on %5://%1:%2 with %3 thread(s), database %4")
                                      .arg(host)
                                      .arg(port)
                                      .arg(threads)
                                      .arg(url.redacted())
                                      .arg(d->tls ? QStringLiteral("https")
                                                  : QStringLiteral("http"));
    const QByteArray setupToken = d->users->issueSetupToken();
    if (!setupToken.isEmpty()) {
        qCInfo(lcServer).noquote()
            << QStringLiteral("no admin yet: register the first admin from this machine, or from "
                              "elsewhere with the header X-Setup-Token: %1")
                   .arg(QString::fromLatin1(setupToken));
    }
    return port;
}

// What the dashboard and the alerts need beyond the HTTP series (packaging/grafana,
// packaging/prometheus): readiness, the data directory's disk, event sockets.
void Server::appendOperationalMetrics(QByteArray &out) const
{
    const ServerContext &context = d->context;
    if (context.fileStore) { // once started
        const Readiness readiness = HealthService(context).readiness();
        out.append("# HELP outpost_ready 1 when the database and the file store answer (as "
                   "/readyz), else 0.\n# TYPE outpost_ready gauge\noutpost_ready ");
        out.append(readiness.ready() ? "1\n" : "0\n");
    }
    const std::optional<DiskFaults::Last> diskFault = DiskFaults::last();
    out.append("# HELP outpost_disk_errors_total Failed writes to the local disk (database, "
               "file store) since the start; /readyz is 503 for a while after each.\n"
               "# TYPE outpost_disk_errors_total counter\noutpost_disk_errors_total ");
    out.append(QByteArray::number(diskFault ? diskFault->count : 0)).append('\n');
    const QStorageInfo disk(context.config.dataDir);
    if (disk.isValid() && disk.isReady()) {
        out.append(
            "# HELP outpost_data_dir_available_bytes Bytes free for this server on the "
            "data directory's file system.\n"
            "# TYPE outpost_data_dir_available_bytes gauge\noutpost_data_dir_available_bytes ");
        out.append(QByteArray::number(disk.bytesAvailable())).append('\n');
        out.append("# HELP outpost_data_dir_size_bytes Size of the data directory's file system.\n"
                   "# TYPE outpost_data_dir_size_bytes gauge\noutpost_data_dir_size_bytes ");
        out.append(QByteArray::number(disk.bytesTotal())).append('\n');
    }
    out.append("# HELP outpost_event_sockets_open Event stream WebSockets open now.\n"
               "# TYPE outpost_event_sockets_open gauge\noutpost_event_sockets_open ");
    out.append(QByteArray::number(EventHub::openSockets())).append('\n');
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

void Server::setLocalAdmin(const QString &email, const QString &username)
{
    d->localAdminEmail = email;
    d->localAdminUsername = username;
}

QString Server::localAdminPassword() const
{
    return d->localAdminPassword;
}

// Creates the local admin, or gives the existing one a new password and the admin role back.
Status Server::ensureLocalAdmin()
{
    if (d->localAdminEmail.isEmpty())
        return {};
    // Letters, digits and a dash: always passes the password rules.
    const QString password = QStringLiteral("Op-")
        + QString::fromLatin1(Crypto::randomBytes(24).toBase64(
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
        + QStringLiteral("-9a");
    const Principal app {0, Roles::admin, QStringLiteral("outpost app"), {}, 0, {}};
    const Caller caller {app, QStringLiteral("local"), true, {}};
    auto existing = d->users->getByEmail(d->localAdminEmail);
    if (existing) {
        UserUpdate update;
        update.password = password;
        update.role = Roles::admin;
        update.disabled = false;
        if (auto updated = d->users->update(existing->id, update, caller); !updated)
            return fail(updated.error());
    } else {
        UserCreate create;
        create.email = d->localAdminEmail;
        create.username = d->localAdminUsername;
        create.password = password;
        auto created = d->users->createUser(create, Roles::admin, QStringLiteral("outpost app"));
        if (!created)
            return fail(created.error());
    }
    d->localAdminPassword = password;
    return {};
}

void Server::stop(int graceMs)
{
    for (auto &thread : d->threads)
        thread->drain(graceMs);
    for (auto &thread : d->threads)
        thread->wait();
    d->threads.clear();
    d->housekeeping.reset();
    d->backupSchedule.reset();
    if (d->backups)
        d->backups->waitForJobs();
    d->slowPool.waitForDone();
    if (d->localRunner)
        d->localRunner->shutdown();
    d->events.setOutbox({});
    if (d->dispatcher)
        d->dispatcher->stop();
    // After the slow pool (recovery requests there queue mail) and the dispatcher (e-mail
    // subscriptions): nothing calls the mailer any more.
    d->mailer.reset();
    d->events.setRelay({});
    d->eventChannel.reset();
    d->metrics.setSource({});
    d->spanExporter.reset();
    Logging::AccessLogBuffer::flush();
}

quint16 Server::port() const
{
    return d->port;
}

quint16 Server::metricsPort() const
{
    return d->metricsPort;
}

bool Server::reloadTls()
{
    if (!d->tls) {
        qCInfo(lcServer) << "SIGHUP: TLS is off, nothing to reload";
        return false;
    }
    return bool(d->tls->reload());
}

const Config &Server::config() const
{
    return d->context.config;
}

void Server::tuneAllocator()
{
    // Request bodies (file parts up to the body limit) are large, short-lived buffers. With
    // glibc's sliding mmap threshold they end up in the heap arenas of whichever threads touched
    // them and stay in the RSS; a fixed threshold maps and unmaps them each time. Fixing it also
    // fixes the trim threshold, at 128 KiB by default: then every batch of writes, whose FTS5
    // index data grows and frees a few hundred KiB, made the writer thread's arena shrink and
    // grow again (madvise, page faults, TLB shootdowns on every core): over half the writer's
    // time in a create benchmark. A few MiB of free heap per arena may stay.
    // Other C libraries (macOS's libmalloc, the Windows heap, musl) have no such knobs: their
    // allocators are left as they are.
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
#endif
}

} // namespace Outpost::Server
