#include "config.h"

#include "configlayer.h"
#include "configvalue.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

#include <array>
#include <functional>
#include <optional>
#include <vector>

// Rules shared by every layer:
// - An empty value counts as not set in that layer (so "OUTPOST_X=" in a compose file with
//   an unset host variable does not override a lower layer).
// - Values are trimmed, except secrets taken verbatim from the environment.
// - Relative paths (DATA_DIR, *_FILE) are relative to the working directory, whichever
//   layer they come from.
// - Every layer is validated, even where a higher one overrides it: a broken value
//   anywhere is a mistake worth reporting.
// - An error names the setting as the user wrote it and what is allowed; it repeats the
//   value given unless the setting is a secret.

namespace Outpost {

namespace {

using namespace ConfigValue;

constexpr qint64 maxSecretFileBytes = 64LL * 1024;

enum class Kind { Plain, Secret };

// A value as one layer gave it. For secrets from a file, bytes are the file's bytes.
struct Value
{
    QString text;
    QByteArray bytes;
};

// Writes a value into the Config; returns an empty string or what is allowed.
using Apply = std::function<QString(const Value &, Config &)>;

struct Setting
{
    const char *name; // without OUTPOST_
    Kind kind;
    Apply apply;
};

// --- Building blocks for the table ----------------------------------------------------------

template<typename Field> Apply integerInto(Field Config::*field, qint64 min, qint64 max)
{
    return [=](const Value &v, Config &c) {
        const Parsed<qint64> n = integer(v.text, min, max);
        if (n) {
            c.*field = Field(*n);
        }
        return n ? QString() : n.error();
    };
}

Apply secondsInto(int Config::*field, qint64 min, qint64 max)
{
    return [=](const Value &v, Config &c) {
        const Parsed<qint64> n = durationSeconds(v.text, min, max);
        if (n) {
            c.*field = int(*n);
        }
        return n ? QString() : n.error();
    };
}

Apply bytesInto(qint64 Config::*field, qint64 min, qint64 max)
{
    return [=](const Value &v, Config &c) {
        const Parsed<qint64> n = byteSize(v.text, min, max);
        if (n) {
            c.*field = *n;
        }
        return n ? QString() : n.error();
    };
}

Apply booleanInto(bool Config::*field)
{
    return [=](const Value &v, Config &c) {
        const Parsed<bool> b = boolean(v.text);
        if (b) {
            c.*field = *b;
        }
        return b ? QString() : b.error();
    };
}

// One of a few words, any case.
template<typename Field>
Apply choiceInto(Field Config::*field, std::vector<std::pair<QString, Field>> choices)
{
    return [=](const Value &v, Config &c) {
        QStringList words;
        for (const auto &[word, value] : choices) {
            if (v.text.compare(word, Qt::CaseInsensitive) == 0) {
                c.*field = value;
                return QString();
            }
            words.append(word);
        }
        return QStringLiteral("must be %1").arg(words.join(QStringLiteral(" or ")));
    };
}

Apply secretInto(QByteArray Config::*field)
{
    return [=](const Value &v, Config &c) {
        c.*field = v.bytes;
        return QString();
    };
}

// Syntax only; the full rules are UserRules::emailProblem, applied when the admin is made.
QString applyAdminEmail(const Value &v, Config &c)
{
    const QString email = v.text.trimmed();
    if (email.count(QLatin1Char('@')) != 1 || email.startsWith(QLatin1Char('@'))
        || email.endsWith(QLatin1Char('@')))
        return QStringLiteral("must be an email address (got \"%1\")").arg(email);
    c.adminEmail = email;
    return {};
}

QString applyListen(const Value &v, Config &c)
{
    const auto parsed = listen(v.text);
    if (!parsed) {
        return parsed.error();
    }
    c.listenAddress = parsed->first;
    c.listenPort = parsed->second;
    return {};
}

QString applyDataDir(const Value &v, Config &c)
{
    c.dataDir = QDir::cleanPath(QDir::current().absoluteFilePath(v.text));
    return {};
}

// Only the form is checked here; server/db/databaseurl.cpp parses the rest and explains.
QString applyDatabaseUrl(const Value &v, Config &c)
{
    const QString &url = v.text;
    const bool ok = url.startsWith(u"sqlite:///", Qt::CaseInsensitive)
        || url.compare(u"sqlite::memory:", Qt::CaseInsensitive) == 0
        || url.startsWith(u"postgresql://", Qt::CaseInsensitive)
        || url.startsWith(u"postgres://", Qt::CaseInsensitive);
    if (!ok) {
        return QStringLiteral(
            "must be sqlite:///PATH or postgresql://USER:PASSWORD@HOST[:PORT]/DATABASE");
    }
    c.databaseUrl = url;
    return {};
}

QString applyFileStoreUrl(const Value &v, Config &c)
{
    const QUrl url(v.text);
    const QString scheme = url.scheme();
    const bool ok = url.isValid()
        && ((scheme == u"file" && v.text.startsWith(u"file:///") && !url.path().endsWith(u'/'))
            || (scheme == u"s3" && !url.host().isEmpty()));
    if (!ok) {
        return QStringLiteral("must be file:///ABSOLUTE/PATH or s3://BUCKET[/PREFIX]");
    }
    c.fileStoreUrl = v.text;
    return {};
}

Apply textInto(QString Config::*field, int maxLength = 200)
{
    return [=](const Value &v, Config &c) {
        if (v.text.size() > maxLength) {
            return QStringLiteral("must be at most %1 characters").arg(maxLength);
        }
        c.*field = v.text;
        return QString();
    };
}

// An http(s) base URL without query or fragment (S3 endpoint, OpenAI-compatible API).
Apply httpUrlInto(QString Config::*field)
{
    return [=](const Value &v, Config &c) {
        const QUrl url(v.text, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
            || url.host().isEmpty() || url.hasQuery() || url.hasFragment()) {
            return QStringLiteral("must be an http:// or https:// URL");
        }
        QString text = v.text;
        while (text.endsWith(QLatin1Char('/'))) {
            text.chop(1);
        }
        c.*field = text;
        return QString();
    };
}

// The wiki lookup's MediaWiki REST base URL, or "off" (an empty value means "not set" in every
// layer, so it cannot turn the lookup off).
QString applyWikiUrl(const Value &v, Config &c)
{
    if (v.text.compare(u"off", Qt::CaseInsensitive) == 0) {
        c.wikiUrl.clear();
        return {};
    }
    const QString problem = httpUrlInto(&Config::wikiUrl)(v, c);
    return problem.isEmpty() ? problem
                             : QStringLiteral("must be an http:// or https:// URL or off");
}

Apply pathInto(QString Config::*field)
{
    return [=](const Value &v, Config &c) {
        c.*field = QDir::cleanPath(QDir::current().absoluteFilePath(v.text));
        return QString();
    };
}

QString applyMetricsListen(const Value &v, Config &c)
{
    const auto parsed = listen(v.text);
    if (!parsed) {
        return parsed.error();
    }
    c.metricsListenAddress = parsed->first;
    c.metricsListenPort = parsed->second;
    return {};
}

QString applyCorsOrigins(const Value &v, Config &c)
{
    const Parsed<QStringList> origins = corsOrigins(v.text);
    if (origins) {
        c.corsOrigins = *origins;
    }
    return origins ? QString() : origins.error();
}

QString applyTrustedProxies(const Value &v, Config &c)
{
    const auto parsed = subnets(v.text);
    if (parsed) {
        c.trustedProxies = *parsed;
    }
    return parsed ? QString() : parsed.error();
}

// The origin (and optional path prefix) the server is reached at from outside.
QString applyPublicUrl(const Value &v, Config &c)
{
    const QUrl url(v.text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
        || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery()
        || url.hasFragment()) {
        return QStringLiteral("must be an http:// or https:// URL without query or fragment");
    }
    QString text = url.toString(QUrl::FullyEncoded);
    while (text.endsWith(QLatin1Char('/'))) {
        text.chop(1);
    }
    c.publicUrl = text;
    return {};
}

Apply rateInto(RateLimitSetting Config::*field)
{
    return [=](const Value &v, Config &c) {
        const auto parsed = rate(v.text);
        if (parsed) {
            c.*field = RateLimitSetting {parsed->first, parsed->second};
        }
        return parsed ? QString() : parsed.error();
    };
}

// --- The table: adding a setting is one line here plus its field in Config ------------------

const std::vector<Setting> &settings()
{
    static const std::vector<Setting> table = {
        {"LISTEN", Kind::Plain, applyListen},
        {"DATA_DIR", Kind::Plain, applyDataDir},
        // Secret because a PostgreSQL URL usually carries a password.
        {"DATABASE_URL", Kind::Secret, applyDatabaseUrl},
        {"DATABASE_PASSWORD", Kind::Secret, secretInto(&Config::databasePassword)},
        {"FILE_STORE_URL", Kind::Plain, applyFileStoreUrl},
        {"JWT_SECRET", Kind::Secret, secretInto(&Config::jwtSecret)},
        {"ACCESS_TOKEN_TTL", Kind::Plain, secondsInto(&Config::accessTokenTtlSeconds, 60, 86400)},
        {"BCRYPT_COST", Kind::Plain, integerInto(&Config::bcryptCost, 4, 31)},
        {"MAX_BODY_BYTES", Kind::Plain, bytesInto(&Config::maxBodyBytes, 1024, 4LL << 30)},
        {"CORS_ORIGINS", Kind::Plain, applyCorsOrigins},
        {"REGISTRATION", Kind::Plain,
            choiceInto<bool>(&Config::registrationOpen,
                {{QStringLiteral("open"), true}, {QStringLiteral("closed"), false}})},
        {"LOG_FORMAT", Kind::Plain,
            choiceInto<LogFormat>(&Config::logFormat,
                {{QStringLiteral("json"), LogFormat::Json},
                    {QStringLiteral("text"), LogFormat::Text}})},
        {"THREADS", Kind::Plain, integerInto(&Config::threads, 0, 256)},
        {"GITHUB_WEBHOOK_SECRET", Kind::Secret, secretInto(&Config::githubWebhookSecret)},
        {"MIGRATE", Kind::Plain, booleanInto(&Config::migrate)},
        {"IDLE_TIMEOUT", Kind::Plain, secondsInto(&Config::idleTimeoutSeconds, 1, 3600)},
        {"HEADER_TIMEOUT", Kind::Plain, secondsInto(&Config::headerTimeoutSeconds, 1, 3600)},
        {"BODY_TIMEOUT", Kind::Plain, secondsInto(&Config::bodyTimeoutSeconds, 1, 3600)},
        {"MAX_CONNECTIONS", Kind::Plain, integerInto(&Config::maxConnections, 1, 1000000)},
        {"ADMIN_EMAIL", Kind::Plain, applyAdminEmail},
        {"ADMIN_PASSWORD", Kind::Secret, secretInto(&Config::adminPassword)},
        {"S3_ENDPOINT", Kind::Plain, httpUrlInto(&Config::s3Endpoint)},
        {"S3_REGION", Kind::Plain, textInto(&Config::s3Region, 64)},
        {"S3_ACCESS_KEY_ID", Kind::Secret, secretInto(&Config::s3AccessKeyId)},
        {"S3_SECRET_ACCESS_KEY", Kind::Secret, secretInto(&Config::s3SecretAccessKey)},
        {"S3_ADDRESSING", Kind::Plain,
            choiceInto<bool>(&Config::s3PathStyle,
                {{QStringLiteral("path"), true}, {QStringLiteral("virtual"), false}})},
        {"USER_QUOTA_BYTES", Kind::Plain, bytesInto(&Config::userQuotaBytes, 0, 1LL << 50)},
        {"UPLOAD_EXPIRY", Kind::Plain, secondsInto(&Config::uploadExpirySeconds, 1, 30 * 86400)},
        {"OPENAI_BASE_URL", Kind::Plain, httpUrlInto(&Config::openAiBaseUrl)},
        {"OPENAI_API_KEY", Kind::Secret, secretInto(&Config::openAiApiKey)},
        {"OPENAI_TEXT_MODEL", Kind::Plain, textInto(&Config::openAiTextModel, 100)},
        {"OPENAI_IMAGE_MODEL", Kind::Plain, textInto(&Config::openAiImageModel, 100)},
        {"OPENAI_SPEECH_MODEL", Kind::Plain, textInto(&Config::openAiSpeechModel, 100)},
        {"OPENAI_VOICE", Kind::Plain, textInto(&Config::openAiVoice, 100)},
        {"WIKI_URL", Kind::Plain, applyWikiUrl},
        {"WIKI_TIMEOUT", Kind::Plain, secondsInto(&Config::wikiTimeoutSeconds, 1, 120)},
        {"LOCAL_RUNNERS", Kind::Plain, booleanInto(&Config::localRunners)},
        {"RUN_RETENTION", Kind::Plain, integerInto(&Config::runRetention, 1, 1000000)},
        {"TLS_CERT_FILE", Kind::Plain, pathInto(&Config::tlsCertFile)},
        {"TLS_KEY_FILE", Kind::Plain, pathInto(&Config::tlsKeyFile)},
        {"METRICS_TOKEN", Kind::Secret, secretInto(&Config::metricsToken)},
        {"METRICS_LISTEN", Kind::Plain, applyMetricsListen},
        // The edge: proxies, public URL, rate limits, tracing.
        {"TRUSTED_PROXIES", Kind::Plain, applyTrustedProxies},
        {"PUBLIC_URL", Kind::Plain, applyPublicUrl},
        {"RATE_LIMIT", Kind::Plain, rateInto(&Config::rateLimit)},
        {"RATE_LIMIT_EXPENSIVE", Kind::Plain, rateInto(&Config::expensiveRateLimit)},
        {"RATE_LIMIT_LOOPBACK", Kind::Plain,
            choiceInto<bool>(&Config::rateLimitLoopback,
                {{QStringLiteral("exempt"), false}, {QStringLiteral("limited"), true}})},
        {"OTLP_ENDPOINT", Kind::Plain, httpUrlInto(&Config::otlpEndpoint)},
        {"BACKUP_INTERVAL", Kind::Plain,
            secondsInto(&Config::backupIntervalSeconds, 0, 366 * 86400)},
        {"BACKUP_KEEP", Kind::Plain, integerInto(&Config::backupKeep, 1, 10000)},
        {"AUDIT_RETENTION", Kind::Plain,
            secondsInto(&Config::auditRetentionSeconds, 0, 50 * 366 * 86400)},
    };
    return table;
}

const Setting *findSetting(const QString &name)
{
    for (const Setting &s : settings()) {
        if (name == QLatin1String(s.name)) {
            return &s;
        }
    }
    return nullptr;
}

constexpr QLatin1String fileSuffix("_FILE");

// The secret from OUTPOST_<NAME>_FILE: the file's bytes less trailing line breaks. Errors
// name the file, never its contents.
std::optional<Value> readSecretFile(
    const ConfigLayer &layer, const QString &name, const QString &path, QList<FieldError> &errors)
{
    const QString field = layer.fieldName(name + fileSuffix);
    const auto failed = [&](const QString &problem) {
        errors.append(
            {field, QStringLiteral("the %1 file %2 %3").arg(name, quoted(path), problem)});
        return std::nullopt;
    };
    QFile file(path);
    if (QFileInfo(path).isDir()) {
        return failed(QStringLiteral("is a directory"));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return failed(QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    }
    QByteArray bytes = file.read(maxSecretFileBytes + 1);
    if (bytes.size() > maxSecretFileBytes) {
        return failed(QStringLiteral("is larger than 64 KiB"));
    }
    while (bytes.endsWith('\n') || bytes.endsWith('\r')) {
        bytes.chop(1);
    }
    if (bytes.isEmpty()) {
        return failed(QStringLiteral("is empty"));
    }
    return Value {QString::fromUtf8(bytes), bytes};
}

void applyLayer(const ConfigLayer &layer, Config &config, QList<FieldError> &errors)
{
    for (const Setting &setting : settings()) {
        const QString name = QLatin1String(setting.name);
        const bool secret = setting.kind == Kind::Secret;
        const QString direct = layer.values.value(name);
        const QString fromFile =
            secret ? layer.values.value(name + fileSuffix).trimmed() : QString();
        const bool hasDirect = secret ? !direct.isEmpty() : !direct.trimmed().isEmpty();

        std::optional<Value> value;
        if (hasDirect && !fromFile.isEmpty()) {
            errors.append({layer.fieldName(name),
                QStringLiteral("set together with %1; set only one of them")
                    .arg(layer.spelling(name + fileSuffix))});
            continue;
        }
        if (!fromFile.isEmpty()) {
            value = readSecretFile(layer, name, fromFile, errors);
        } else if (hasDirect) {
            const QString text = secret ? direct : direct.trimmed();
            value = Value {text, text.toUtf8()};
        }
        if (!value) {
            continue;
        }

        const QString message = setting.apply(*value, config);
        if (!message.isEmpty()) {
            errors.append({layer.fieldName(name),
                secret ? message : message + QStringLiteral(" (got %1)").arg(quoted(value->text))});
        }
    }
}

QString defaultDataDir()
{
    if (!QCoreApplication::applicationName().isEmpty()) {
        QString location = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (!location.isEmpty()) {
            return location;
        }
    }
    const QString generic = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return generic.isEmpty() ? QString() : generic + QStringLiteral("/outpost");
}

// "file:///home/me/x" with '#', '%' and '?' escaped so that QUrl reads the path back.
QString localUrl(const QString &scheme, const QString &path)
{
    const QString fileUrl = QUrl::fromLocalFile(path).toString();
    return scheme + fileUrl.mid(4); // drop "file", keep ":///..."
}

} // namespace

QString Config::effectiveDatabaseUrl() const
{
    return databaseUrl.isEmpty()
        ? localUrl(QStringLiteral("sqlite"), dataDir + QStringLiteral("/outpost.db"))
        : databaseUrl;
}

QString Config::effectiveFileStoreUrl() const
{
    return fileStoreUrl.isEmpty()
        ? localUrl(QStringLiteral("file"), dataDir + QStringLiteral("/files"))
        : fileStoreUrl;
}

QStringList ConfigLoader::settingNames()
{
    QStringList names;
    for (const Setting &s : settings()) {
        names.append(QLatin1String(s.name));
    }
    return names;
}

bool ConfigLoader::isSecret(const QString &name)
{
    const Setting *s = findSetting(name);
    return s && s->kind == Kind::Secret;
}

Result<Config> ConfigLoader::load(const ConfigSources &sources)
{
    QList<FieldError> errors;
    const std::array layers = {
        ConfigLayer::fromConfigFile(sources.configFile, errors),
        ConfigLayer::fromDotEnv(sources.dotEnvFile, errors),
        ConfigLayer::fromEnvironment(sources.environment),
        ConfigLayer::fromCommandLine(sources.commandLine, errors),
    };
    Config config;
    for (const ConfigLayer &layer : layers) {
        applyLayer(layer, config, errors);
    }
    if (config.dataDir.isEmpty()) {
        config.dataDir = defaultDataDir();
        if (config.dataDir.isEmpty()) {
            errors.append({QStringLiteral("OUTPOST_DATA_DIR"),
                QStringLiteral("not set, and this system has no data location")});
        }
    }
    if (config.tlsCertFile.isEmpty() != config.tlsKeyFile.isEmpty()) {
        errors.append({QStringLiteral("OUTPOST_TLS_CERT_FILE"),
            QStringLiteral("and OUTPOST_TLS_KEY_FILE must be set together")});
    }
    if (!errors.isEmpty()) {
        // One line, every problem: the operator fixes them all in one go.
        QStringList parts;
        for (const FieldError &e : std::as_const(errors)) {
            parts.append(e.field + QStringLiteral(": ") + e.message);
        }
        return fail(Error::validation(errors, parts.join(QStringLiteral("; "))));
    }
    return config;
}

Result<std::pair<QHostAddress, quint16>> ConfigLoader::parseListen(const QString &value)
{
    const auto parsed = listen(value.trimmed());
    if (!parsed) {
        return fail(Error::validation(QStringLiteral("LISTEN"),
            parsed.error() + QStringLiteral(" (got %1)").arg(quoted(value))));
    }
    return *parsed;
}

} // namespace Outpost
