#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QHostAddress>
#include <QMap>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Outpost {

enum class LogFormat { Json, Text };

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

    // Connection guard limits (seconds / counts).
    int idleTimeoutSeconds = 60;
    int headerTimeoutSeconds = 10;
    int bodyTimeoutSeconds = 60;
    int maxConnections = 10000;

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

    // Resolves all layers. An invalid value is an Error whose detail names the setting,
    // e.g. "OUTPOST_BCRYPT_COST: must be an integer from 4 to 31 (got \"abc\")".
    static Result<Config> load(const ConfigSources &sources);

    // Parses "HOST:PORT", "[v6]:PORT", ":PORT" or "PORT".
    static Result<std::pair<QHostAddress, quint16>> parseListen(const QString &value);
};

} // namespace Outpost
