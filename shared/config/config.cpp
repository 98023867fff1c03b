#include "config.h"

#include "configlayer.h"
#include "configvalue.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
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

// smtp://HOST[:PORT][?starttls=off] or smtps://HOST[:PORT]; credentials go in their own settings.
QString applySmtpUrl(const Value &v, Config &c)
{
    const QUrl url(v.text, QUrl::StrictMode);
    const QString query = url.query();
    const bool ok = url.isValid() && (url.scheme() == u"smtp" || url.scheme() == u"smtps")
        && !url.host().isEmpty() && url.userInfo().isEmpty()
        && (url.path().isEmpty() || url.path() == u"/") && !url.hasFragment()
        && (!url.hasQuery() || (url.scheme() == u"smtp" && query == u"starttls=off"));
    if (!ok) {
        return QStringLiteral(
            "must be smtp://HOST[:PORT] (STARTTLS required), "
            "smtp://HOST[:PORT]?starttls=off or smtps://HOST[:PORT], without "
            "user or password (use OUTPOST_SMTP_USERNAME and OUTPOST_SMTP_PASSWORD)");
    }
    c.smtpUrl = v.text;
    return {};
}

// One mailbox: "Name <local@domain>" or "local@domain", no line breaks.
QString applySmtpFrom(const Value &v, Config &c)
{
    const QString &text = v.text;
    const qsizetype open = text.lastIndexOf(QLatin1Char('<'));
    const QString address = open >= 0 && text.endsWith(QLatin1Char('>'))
        ? text.mid(open + 1, text.size() - open - 2)
        : text;
    bool ok = address.count(QLatin1Char('@')) == 1 && !address.startsWith(QLatin1Char('@'))
        && !address.endsWith(QLatin1Char('@')) && text.size() <= 200;
    for (const QChar ch : text) {
        if (ch.unicode() < 0x20 || ch.unicode() == 0x7f)
            ok = false;
    }
    for (const QChar ch : address) {
        if (ch.isSpace() || ch == QLatin1Char('<') || ch == QLatin1Char('>') || ch.unicode() > 0x7e)
            ok = false;
    }
    if (!ok)
        return QStringLiteral("must be an e-mail address or \"Name <address>\"");
    c.smtpFrom = text;
    return {};
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

// Comma-separated durations ("5s,5m,30m,2h"): the delay before each webhook retry.
QString applyWebhookRetrySchedule(const Value &v, Config &c)
{
    QList<int> schedule;
    const QStringList parts = v.text.split(u',', Qt::SkipEmptyParts);
    if (parts.isEmpty() || parts.size() > 30)
        return QStringLiteral("must be 1 to 30 comma-separated durations, e.g. \"5s,5m,30m,2h\"");
    for (const QString &part : parts) {
        const Parsed<qint64> delay = durationSeconds(part.trimmed(), 1, 7 * 86400);
        if (!delay)
            return delay.error();
        schedule.append(int(*delay));
    }
    c.webhookRetrySchedule = schedule;
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

// --- Single sign-on: OpenID Connect providers ------------------------------------------------

using OidcApply = QString (*)(const Value &, OidcProviderSettings &);

const QString kDefaultProvider = QStringLiteral("default");

bool isLoopbackHost(const QString &host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0) {
        return true;
    }
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// The issuer is compared byte for byte with every token's `iss`, so it is kept as written.
QString oidcIssuer(const Value &v, OidcProviderSettings &p)
{
    const QUrl url(v.text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery()
        || url.hasFragment() || (url.scheme() != u"https" && url.scheme() != u"http")) {
        return QStringLiteral("must be an https:// URL without query or fragment");
    }
    if (url.scheme() == u"http" && !isLoopbackHost(url.host())) {
        return QStringLiteral("must be https:// (http:// only on a loopback host such as "
                              "127.0.0.1, for local providers and tests)");
    }
    p.issuer = v.text;
    return {};
}

// A printable token without spaces, quotes or backslashes (client id, audience, claim name).
QString oidcToken(const Value &v, QString &into, int maxLength)
{
    static const QRegularExpression allowed(QStringLiteral("^[\\x21\\x23-\\x5b\\x5d-\\x7e]+$"));
    if (v.text.size() > maxLength || !allowed.match(v.text).hasMatch()) {
        return QStringLiteral("must be 1 to %1 printable characters without spaces or quotes")
            .arg(maxLength);
    }
    into = v.text;
    return {};
}

QString oidcClientId(const Value &v, OidcProviderSettings &p)
{
    return oidcToken(v, p.clientId, 255);
}

QString oidcAudience(const Value &v, OidcProviderSettings &p)
{
    return oidcToken(v, p.audience, 255);
}

QString oidcGroupsClaim(const Value &v, OidcProviderSettings &p)
{
    return oidcToken(v, p.groupsClaim, 100);
}

QString oidcClientSecret(const Value &v, OidcProviderSettings &p)
{
    p.clientSecret = v.bytes;
    return {};
}

QString oidcDisplayName(const Value &v, OidcProviderSettings &p)
{
    if (v.text.size() > 100) {
        return QStringLiteral("must be at most 100 characters");
    }
    p.displayName = v.text;
    return {};
}

// Space- or comma-separated; "openid" is what makes it OpenID Connect, so it must be there.
QString oidcScopes(const Value &v, OidcProviderSettings &p)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    static const QRegularExpression scope(QStringLiteral("^[\\x21\\x23-\\x5b\\x5d-\\x7e]+$"));
    QStringList scopes;
    for (const QString &word : v.text.split(separators, Qt::SkipEmptyParts)) {
        if (!scope.match(word).hasMatch()) {
            return QStringLiteral("must be scope names separated by spaces or commas");
        }
        if (!scopes.contains(word)) {
            scopes.append(word);
        }
    }
    if (!scopes.contains(QStringLiteral("openid"))) {
        return QStringLiteral("must include openid");
    }
    p.scopes = scopes;
    return {};
}

QString oidcAdminGroups(const Value &v, OidcProviderSettings &p)
{
    QStringList groups;
    for (const QString &group : v.text.split(QLatin1Char(','))) {
        const QString trimmed = group.trimmed();
        if (!trimmed.isEmpty() && !groups.contains(trimmed)) {
            groups.append(trimmed);
        }
    }
    if (groups.isEmpty()) {
        return QStringLiteral("must be comma-separated group names");
    }
    p.adminGroups = groups;
    return {};
}

QString oidcAllowSignup(const Value &v, OidcProviderSettings &p)
{
    const Parsed<bool> b = boolean(v.text);
    if (b) {
        p.allowSignup = *b;
    }
    return b ? QString() : b.error();
}

struct OidcField
{
    const char *name; // after OIDC_ or OIDC_<PROVIDER>_
    Kind kind;
    OidcApply apply;
};

constexpr std::array<OidcField, 9> kOidcFields {{
    {"ISSUER", Kind::Plain, oidcIssuer},
    {"CLIENT_ID", Kind::Plain, oidcClientId},
    {"CLIENT_SECRET", Kind::Secret, oidcClientSecret},
    {"SCOPES", Kind::Plain, oidcScopes},
    {"ADMIN_GROUPS", Kind::Plain, oidcAdminGroups},
    {"GROUPS_CLAIM", Kind::Plain, oidcGroupsClaim},
    {"ALLOW_SIGNUP", Kind::Plain, oidcAllowSignup},
    {"AUDIENCE", Kind::Plain, oidcAudience},
    {"DISPLAY_NAME", Kind::Plain, oidcDisplayName},
}};

const OidcField *findOidcField(const QString &name)
{
    for (const OidcField &field : kOidcFields) {
        if (name == QLatin1String(field.name)) {
            return &field;
        }
    }
    return nullptr;
}

// The provider's settings, added on first use (in the order the settings are met).
OidcProviderSettings &providerNamed(Config &c, const QString &name)
{
    for (OidcProviderSettings &p : c.oidcProviders) {
        if (p.name == name) {
            return p;
        }
    }
    OidcProviderSettings p;
    p.name = name;
    c.oidcProviders.append(p);
    return c.oidcProviders.last();
}

// A table entry for the unprefixed OUTPOST_OIDC_<FIELD>: the provider named "default".
template<OidcApply apply> QString defaultProvider(const Value &v, Config &c)
{
    return apply(v, providerNamed(c, kDefaultProvider));
}

QString applyOidcProviders(const Value &v, Config &c)
{
    static const QRegularExpression name(QStringLiteral("^[a-z0-9]{1,32}$"));
    QStringList names;
    for (const QString &word : v.text.split(QLatin1Char(','))) {
        const QString trimmed = word.trimmed().toLower();
        if (trimmed.isEmpty()) {
            continue;
        }
        if (!name.match(trimmed).hasMatch()) {
            return QStringLiteral("must be comma-separated names of letters and digits");
        }
        if (trimmed == kDefaultProvider) {
            return QStringLiteral("must not list default (the unprefixed OUTPOST_OIDC_* "
                                  "settings are the provider named default)");
        }
        if (names.contains(trimmed)) {
            return QStringLiteral("names %1 twice").arg(trimmed);
        }
        names.append(trimmed);
    }
    c.oidcProviderNames = names;
    return {};
}

// "OIDC_CORP_CLIENT_SECRET_FILE" -> {"corp", CLIENT_SECRET, from a file}.
struct OidcKey
{
    QString provider;
    const OidcField *field = nullptr;
    bool fromFile = false;
};

std::optional<OidcKey> splitOidcKey(const QString &key)
{
    static const QRegularExpression shape(QStringLiteral("^OIDC_([A-Z0-9]{1,32})_([A-Z_]+)$"));
    const auto match = shape.match(key);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    QString fieldName = match.captured(2);
    const bool fromFile = fieldName.endsWith(QLatin1String("_FILE"));
    if (fromFile) {
        fieldName.chop(5);
    }
    const OidcField *field = findOidcField(fieldName);
    if (!field || (fromFile && field->kind != Kind::Secret)) {
        return std::nullopt;
    }
    return OidcKey {match.captured(1).toLower(), field, fromFile};
}

QString providerVariable(const QString &provider, const char *field)
{
    const QString prefix = provider == kDefaultProvider
        ? QStringLiteral("OUTPOST_OIDC_")
        : QStringLiteral("OUTPOST_OIDC_") + provider.toUpper() + u'_';
    return prefix + QLatin1String(field);
}

// After every layer: each provider is complete and listed, "default" first.
void finishOidcProviders(Config &c, QList<FieldError> &errors)
{
    for (const QString &name : std::as_const(c.oidcProviderNames)) {
        providerNamed(c, name);
    }
    for (const OidcProviderSettings &p : std::as_const(c.oidcProviders)) {
        if (p.name != kDefaultProvider && !c.oidcProviderNames.contains(p.name)) {
            errors.append({providerVariable(p.name, "ISSUER"),
                QStringLiteral("provider %1 is not listed in OUTPOST_OIDC_PROVIDERS").arg(p.name)});
            continue;
        }
        if (p.issuer.isEmpty()) {
            errors.append({providerVariable(p.name, "ISSUER"),
                QStringLiteral("is required for the OpenID provider %1").arg(p.name)});
        }
        if (p.clientId.isEmpty()) {
            errors.append({providerVariable(p.name, "CLIENT_ID"),
                QStringLiteral("is required for the OpenID provider %1").arg(p.name)});
        }
    }
    std::stable_sort(c.oidcProviders.begin(), c.oidcProviders.end(),
        [&c](const OidcProviderSettings &a, const OidcProviderSettings &b) {
            const auto rank = [&c](const QString &name) {
                return name == kDefaultProvider ? -1 : int(c.oidcProviderNames.indexOf(name));
            };
            return rank(a.name) < rank(b.name);
        });
    if (c.passwordLogin == PasswordLogin::Off && c.oidcProviders.isEmpty()) {
        errors.append({QStringLiteral("OUTPOST_PASSWORD_LOGIN"),
            QStringLiteral("off needs an OpenID provider (OUTPOST_OIDC_ISSUER), or no one could "
                           "sign in")});
    }
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
        {"READY_DISK_ERROR_WINDOW", Kind::Plain,
            secondsInto(&Config::readyDiskErrorWindowSeconds, 1, 3600)},
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
        // Outgoing e-mail (issue 19): the mailer, digests and password recovery.
        {"SMTP_URL", Kind::Plain, applySmtpUrl},
        {"SMTP_USERNAME", Kind::Plain, textInto(&Config::smtpUsername, 200)},
        {"SMTP_PASSWORD", Kind::Secret, secretInto(&Config::smtpPassword)},
        {"SMTP_FROM", Kind::Plain, applySmtpFrom},
        {"SMTP_CA_FILE", Kind::Plain, pathInto(&Config::smtpCaFile)},
        {"MAIL_DIGEST_WINDOW", Kind::Plain,
            secondsInto(&Config::mailDigestWindowSeconds, 1, 24LL * 3600)},
        {"WEBHOOK_ALLOW_PRIVATE", Kind::Plain, booleanInto(&Config::webhookAllowPrivate)},
        {"WEBHOOK_TIMEOUT", Kind::Plain, secondsInto(&Config::webhookTimeoutSeconds, 1, 60)},
        {"WEBHOOK_RETRY_SCHEDULE", Kind::Plain, applyWebhookRetrySchedule},
        {"WEBHOOK_DISABLE_AFTER", Kind::Plain,
            secondsInto(&Config::webhookDisableAfterSeconds, 1, 366 * 86400)},
        // Single sign-on (issue 20). Named providers' settings are outside this table
        // (splitOidcKey), since their names are the operator's.
        {"PASSWORD_LOGIN", Kind::Plain,
            choiceInto<PasswordLogin>(&Config::passwordLogin,
                {{QStringLiteral("on"), PasswordLogin::On},
                    {QStringLiteral("off"), PasswordLogin::Off},
                    {QStringLiteral("admins-only"), PasswordLogin::AdminsOnly}})},
        {"OIDC_PROVIDERS", Kind::Plain, applyOidcProviders},
        {"OIDC_ISSUER", Kind::Plain, defaultProvider<oidcIssuer>},
        {"OIDC_CLIENT_ID", Kind::Plain, defaultProvider<oidcClientId>},
        {"OIDC_CLIENT_SECRET", Kind::Secret, defaultProvider<oidcClientSecret>},
        {"OIDC_SCOPES", Kind::Plain, defaultProvider<oidcScopes>},
        {"OIDC_ADMIN_GROUPS", Kind::Plain, defaultProvider<oidcAdminGroups>},
        {"OIDC_GROUPS_CLAIM", Kind::Plain, defaultProvider<oidcGroupsClaim>},
        {"OIDC_ALLOW_SIGNUP", Kind::Plain, defaultProvider<oidcAllowSignup>},
        {"OIDC_AUDIENCE", Kind::Plain, defaultProvider<oidcAudience>},
        {"OIDC_DISPLAY_NAME", Kind::Plain, defaultProvider<oidcDisplayName>},
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

// The value a layer gives NAME (or NAME_FILE for a secret), if any.
std::optional<Value> layerValue(
    const ConfigLayer &layer, const QString &name, bool secret, QList<FieldError> &errors)
{
    const QString direct = layer.values.value(name);
    const QString fromFile = secret ? layer.values.value(name + fileSuffix).trimmed() : QString();
    const bool hasDirect = secret ? !direct.isEmpty() : !direct.trimmed().isEmpty();
    if (hasDirect && !fromFile.isEmpty()) {
        errors.append({layer.fieldName(name),
            QStringLiteral("set together with %1; set only one of them")
                .arg(layer.spelling(name + fileSuffix))});
        return std::nullopt;
    }
    if (!fromFile.isEmpty()) {
        return readSecretFile(layer, name, fromFile, errors);
    }
    if (hasDirect) {
        const QString text = secret ? direct : direct.trimmed();
        return Value {text, text.toUtf8()};
    }
    return std::nullopt;
}

void reportInvalid(const ConfigLayer &layer, const QString &name, bool secret,
    const QString &message, const Value &value, QList<FieldError> &errors)
{
    if (!message.isEmpty()) {
        errors.append({layer.fieldName(name),
            secret ? message : message + QStringLiteral(" (got %1)").arg(quoted(value.text))});
    }
}

void applyLayer(const ConfigLayer &layer, Config &config, QList<FieldError> &errors)
{
    for (const Setting &setting : settings()) {
        const QString name = QLatin1String(setting.name);
        const bool secret = setting.kind == Kind::Secret;
        if (const std::optional<Value> value = layerValue(layer, name, secret, errors)) {
            reportInvalid(layer, name, secret, setting.apply(*value, config), *value, errors);
        }
    }
    // Named OpenID providers: OIDC_<PROVIDER>_<FIELD>, once per field (a _FILE key stands for
    // its setting).
    QStringList seen;
    for (auto it = layer.values.cbegin(); it != layer.values.cend(); ++it) {
        const std::optional<OidcKey> key = splitOidcKey(it.key());
        if (!key) {
            continue;
        }
        const QString name = it.key().chopped(key->fromFile ? fileSuffix.size() : 0);
        if (seen.contains(name)) {
            continue;
        }
        seen.append(name);
        const bool secret = key->field->kind == Kind::Secret;
        if (const std::optional<Value> value = layerValue(layer, name, secret, errors)) {
            const QString message = key->field->apply(*value, providerNamed(config, key->provider));
            reportInvalid(layer, name, secret, message, *value, errors);
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

bool ConfigLoader::isOidcProviderKey(const QString &key)
{
    return splitOidcKey(key).has_value();
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
    finishOidcProviders(config, errors);
    if (config.tlsCertFile.isEmpty() != config.tlsKeyFile.isEmpty()) {
        errors.append({QStringLiteral("OUTPOST_TLS_CERT_FILE"),
            QStringLiteral("and OUTPOST_TLS_KEY_FILE must be set together")});
    }
    if (config.mailEnabled() && config.smtpFrom.isEmpty()) {
        errors.append({QStringLiteral("OUTPOST_SMTP_FROM"),
            QStringLiteral("is required with OUTPOST_SMTP_URL")});
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
