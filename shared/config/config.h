#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QPair>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Outpost {

enum class LogFormat { Json, Text };

// "1200/min": `quota` requests per `windowSeconds`; quota 0 is "off".
struct RateLimitSetting
{
    int quota = 0;
    int windowSeconds = 60;
    bool isOff() const { return quota == 0; }
};

// Who may sign in with a password (OUTPOST_PASSWORD_LOGIN). The command line's `user` commands
// work whatever this says, so an operator can always recover.
enum class PasswordLogin { On, Off, AdminsOnly };

// One OpenID Connect provider (issue 20). The unprefixed OUTPOST_OIDC_* settings describe the
// provider named "default"; OUTPOST_OIDC_PROVIDERS=a,b adds providers whose settings are
// OUTPOST_OIDC_A_ISSUER, OUTPOST_OIDC_A_CLIENT_ID, ... (names: lower-case letters and digits).
struct OidcProviderSettings
{
    QString name;        // "default", or a name listed in OUTPOST_OIDC_PROVIDERS
    QString displayName; // shown on sign-in buttons; empty: the name
    QString issuer;      // exactly as the provider writes `iss`; https unless loopback
    QString clientId;
    QByteArray clientSecret; // empty: a public client (PKCE only)
    QStringList scopes {
        QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("profile")};
    QStringList adminGroups; // groups-claim values that make a user admin; empty: role untouched
    QString groupsClaim = QStringLiteral("groups");
    bool allowSignup = true; // create a user on the first sign-in of an unknown `sub`
    QString audience;        // `aud` of machine access tokens; empty: machine tokens refused
};

// Every setting of outpost-server, resolved. Defaults here are the built-in layer.
struct Config
{
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = 8080;
    QString dataDir;      // empty until resolved: QStandardPaths::AppDataLocation
    QString databaseUrl;  // empty: sqlite:///<dataDir>/outpost.db
    QString fileStoreUrl; // empty: file:///<dataDir>/files
    QByteArray jwtSecret; // empty: generated once into <dataDir>/jwt.secret (0600)
    int accessTokenTtlSeconds = 15 * 60;
    int bcryptCost = 12;
    qint64 maxBodyBytes = 32LL * 1024 * 1024;
    QStringList corsOrigins;
    bool registrationOpen = true;
    LogFormat logFormat = LogFormat::Json;
    int threads = 0; // 0: one per core
    QByteArray githubWebhookSecret;
    QString adminEmail; // with adminPassword: created as admin at start if missing
    QByteArray adminPassword;
    bool migrate = true;
    bool localRunners = false; // POST /v1/pipelines/{id}/trigger runs commands on this server
    int runRetention = 200;    // runs kept per pipeline
    // Backups and retention (issue 18). 0 seconds: off / keep forever.
    int backupIntervalSeconds = 0; // scheduled backups into the file store's backups/
    int backupKeep = 7;            // scheduled backups kept
    int auditRetentionSeconds = 0; // audit entries older than this are deleted

    // PostgreSQL password when OUTPOST_DATABASE_URL has none (OUTPOST_DATABASE_PASSWORD_FILE).
    QByteArray databasePassword;
    // Files (see server/storage): S3 settings apply to an s3:// store URL.
    QString s3Endpoint; // e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000
    QString s3Region = QStringLiteral("us-east-1");
    QByteArray s3AccessKeyId;
    QByteArray s3SecretAccessKey;
    bool s3PathStyle = true;   // false: virtual-hosted (bucket.endpoint-host)
    qint64 userQuotaBytes = 0; // 0: no quota
    int uploadExpirySeconds = 24 * 3600;
    // /readyz answers 503 for this long after a disk write failed (database or local files).
    int readyDiskErrorWindowSeconds = 30;
    QString openAiBaseUrl = QStringLiteral("https://api.openai.com/v1");
    QByteArray openAiApiKey; // empty: generated files answer 503
    QString openAiTextModel = QStringLiteral("gpt-4o-mini");
    QString openAiImageModel = QStringLiteral("dall-e-3");
    QString openAiSpeechModel = QStringLiteral("tts-1");
    QString openAiVoice = QStringLiteral("alloy");
    // GET /v1/wiki/{title}: a MediaWiki REST API (its page/summary endpoint); "off": no lookup.
    QString wikiUrl = QStringLiteral("https://en.wikipedia.org/api/rest_v1"); // empty: off
    int wikiTimeoutSeconds = 5; // a slower wiki is a 504, never a hang

    // Connection guard limits (seconds / counts).
    int idleTimeoutSeconds = 60;
    int headerTimeoutSeconds = 10;
    int bodyTimeoutSeconds = 60;
    int maxConnections = 10000;

    // TLS on the listener (both set: TLS only). PEM files, the certificate with its chain.
    QString tlsCertFile;
    QString tlsKeyFile;
    // Who may read /metrics (see README "Configuration"): with a token, a bearer request on the
    // main listener; with an address, anyone reaching that separate plain-HTTP listener.
    QByteArray metricsToken;
    QHostAddress metricsListenAddress; // null: no separate listener
    quint16 metricsListenPort = 0;
    bool tlsEnabled() const { return !tlsCertFile.isEmpty(); }
    // The edge (server/http/edgepolicy.h): proxies, public URL, rate limits, tracing.
    // Peers whose X-Forwarded-For / Forwarded / X-Forwarded-Proto are believed.
    QList<QPair<QHostAddress, int>> trustedProxies;
    QString publicUrl; // "https://outpost.example.com", no trailing slash; empty: relative URLs
    RateLimitSetting rateLimit {1200, 60};
    RateLimitSetting expensiveRateLimit {60, 60}; // sign-in, registration, AI, upload starts
    bool rateLimitLoopback = false; // false: clients on loopback (after proxies) are exempt
    QString otlpEndpoint;           // OTLP/HTTP base URL; empty: no span export
    // Outgoing events (issue 19, services/deliverydispatcher.h).
    bool webhookAllowPrivate = false; // plain http and private addresses for webhook URLs
    int webhookTimeoutSeconds = 10;   // one delivery attempt, connect included
    // Delays before each retry, in seconds, each with +-20 % jitter: about a day in all
    // (the Standard Webhooks example schedule, cut at 24 h).
    QList<int> webhookRetrySchedule {5, 300, 1800, 7200, 18000, 36000, 24000};
    int webhookDisableAfterSeconds = 5 * 86400; // a subscription failing this long is disabled

    // Outgoing e-mail (issue 19): empty smtpUrl means no mail and no password recovery.
    // smtp://HOST[:PORT] requires STARTTLS unless "?starttls=off"; smtps://HOST[:PORT] is TLS.
    QString smtpUrl;
    QString smtpUsername;
    QByteArray smtpPassword;
    QString smtpFrom;   // "Outpost <outpost@example.org>" or a bare address
    QString smtpCaFile; // PEM CA bundle to verify the SMTP server with; empty: the system's
    int mailDigestWindowSeconds = 5 * 60; // events for one recipient within it: one message
    bool mailEnabled() const { return !smtpUrl.isEmpty(); }
    // Single sign-on (issue 20): the configured providers, "default" first when set.
    QList<OidcProviderSettings> oidcProviders;
    QStringList oidcProviderNames; // OUTPOST_OIDC_PROVIDERS as given, lower-cased
    PasswordLogin passwordLogin = PasswordLogin::On;

    // The one place that turns an empty setting into its derived default.
    QString effectiveDatabaseUrl() const;
    QString effectiveFileStoreUrl() const;
};

// Where each layer comes from. Precedence, lowest first:
// built-in defaults < config file (INI) < .env in the working directory
// < OUTPOST_* environment variables < command-line options.
struct ConfigSources
{
    QString configFile;                 // --config FILE (or OUTPOST_CONFIG); empty: none
    QString dotEnvFile;                 // usually "<cwd>/.env"; missing file is fine
    QProcessEnvironment environment;    // usually QProcessEnvironment::systemEnvironment()
    QMap<QString, QString> commandLine; // setting name (e.g. "LISTEN") -> value
};

class ConfigLoader
{
public:
    // Names of every setting without the OUTPOST_ prefix, e.g. "LISTEN", "JWT_SECRET".
    static QStringList settingNames();
    // Settings that may also come from OUTPOST_<NAME>_FILE.
    static bool isSecret(const QString &name);
    // "OIDC_<PROVIDER>_<FIELD>" (e.g. OIDC_CORP_ISSUER, OIDC_CORP_CLIENT_SECRET_FILE): a
    // setting of a provider named in OUTPOST_OIDC_PROVIDERS, outside the fixed table.
    static bool isOidcProviderKey(const QString &key);

    // Resolves all layers. An invalid value is an Error whose detail names the setting,
    // e.g. "OUTPOST_BCRYPT_COST: must be an integer from 4 to 31 (got \"abc\")".
    static Result<Config> load(const ConfigSources &sources);

    // Parses "HOST:PORT", "[v6]:PORT", ":PORT" or "PORT".
    static Result<std::pair<QHostAddress, quint16>> parseListen(const QString &value);
};

} // namespace Outpost
