#include "databaseurl.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <optional>

namespace Outpost::Server {

namespace {

const QString kField = QStringLiteral("OUTPOST_DATABASE_URL");

const QString kForms = QStringLiteral(
    "use sqlite:///absolute/path/outpost.db or postgresql://user:password@host:5432/database");

const QString kEncodeHint = QStringLiteral(
    " (percent-encode characters such as @ : / ? # % in the user name and password)");

tl::unexpected<Error> invalid(const QString &message)
{
    return fail(Error::validation(kField, message));
}

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9') {
        return c - u'0';
    }
    if (c >= u'a' && c <= u'f') {
        return c - u'a' + 10;
    }
    if (c >= u'A' && c <= u'F') {
        return c - u'A' + 10;
    }
    return -1;
}

// Strict percent-decoding: a '%' must start a two-digit hex escape; the bytes must be UTF-8.
std::optional<QString> percentDecode(QStringView text)
{
    if (!text.contains(u'%')) {
        return text.toString();
    }
    const QByteArray in = text.toUtf8();
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) {
            return std::nullopt;
        }
        const int high = hexValue(char16_t(in[i + 1]));
        const int low = hexValue(char16_t(in[i + 2]));
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    const QString decoded = QString::fromUtf8(out);
    if (decoded.contains(QChar::ReplacementCharacter)) {
        return std::nullopt;
    }
    return decoded;
}

QString encodeComponent(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

Result<QMap<QString, QString>> parsePostgresOptions(QStringView query)
{
    static const QRegularExpression keyPattern(QStringLiteral("^[a-z_]+$"));
    static const QSet<QString> inUrl {QStringLiteral("host"), QStringLiteral("port"),
        QStringLiteral("user"), QStringLiteral("password"), QStringLiteral("dbname")};
    static const QSet<QString> sslModes {QStringLiteral("disable"), QStringLiteral("allow"),
        QStringLiteral("prefer"), QStringLiteral("require"), QStringLiteral("verify-ca"),
        QStringLiteral("verify-full")};

    QMap<QString, QString> options;
    if (query.isEmpty()) {
        return options;
    }
    for (const QStringView pair : query.split(u'&')) {
        if (pair.isEmpty()) {
            continue;
        }
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0) {
            return invalid(QStringLiteral("query options must look like name=value") + kEncodeHint);
        }
        const QString key = pair.left(eq).toString();
        if (!keyPattern.match(key).hasMatch()) {
            return invalid(QStringLiteral("an option name is not valid") + kEncodeHint);
        }
        if (inUrl.contains(key)) {
            return invalid(QStringLiteral("option %1 is not accepted; put the host, port, user, "
                                          "password and database in the URL itself")
                               .arg(key));
        }
        const std::optional<QString> value = percentDecode(pair.mid(eq + 1));
        if (!value) {
            return invalid(QStringLiteral("option %1 has an invalid percent-encoding").arg(key));
        }
        // QPSQL joins options with ';', so a value cannot contain one.
        if (value->contains(u';')) {
            return invalid(QStringLiteral("option %1 must not contain ';'").arg(key));
        }
        if (key == u"sslmode" && !sslModes.contains(*value)) {
            return invalid(QStringLiteral("sslmode must be one of disable, allow, prefer, require, "
                                          "verify-ca, verify-full"));
        }
        if (key == u"connect_timeout") {
            bool ok = false;
            const int seconds = value->toInt(&ok);
            if (!ok || seconds < 0) {
                return invalid(QStringLiteral("connect_timeout must be a whole number of seconds"));
            }
        }
        options.insert(key, *value);
    }
    return options;
}

Result<DatabaseUrl> parseSqlite(QStringView rest)
{
    DatabaseUrl url;
    url.driver = DatabaseUrl::Driver::Sqlite;
    // rest is what follows "sqlite:"
    if (rest == u":memory:" || rest == u"///:memory:") {
        url.path = DatabaseUrl::memoryPath();
        return url;
    }
    if (!rest.startsWith(u"//")) {
        return invalid(QStringLiteral("a SQLite URL needs an absolute path: "
                                      "sqlite:///absolute/path/outpost.db (three slashes)"));
    }
    rest = rest.mid(2);
    if (!rest.startsWith(u'/')) {
        return invalid(QStringLiteral("a SQLite URL takes no host and needs an absolute path: "
                                      "sqlite:///absolute/path/outpost.db (three slashes)"));
    }
    if (rest.contains(u'?') || rest.contains(u'#')) {
        return invalid(QStringLiteral("a SQLite URL takes no options; percent-encode ? and # in "
                                      "the file path"));
    }
    const std::optional<QString> path = percentDecode(rest);
    if (!path) {
        return invalid(QStringLiteral("the SQLite file path has an invalid percent-encoding"));
    }
    const QString cleaned = QDir::cleanPath(*path);
    if (cleaned == u"/" || path->endsWith(u'/')) {
        return invalid(QStringLiteral("a SQLite URL needs a file name: "
                                      "sqlite:///absolute/path/outpost.db"));
    }
    url.path = cleaned;
    return url;
}

Result<DatabaseUrl> parsePostgres(QStringView rest)
{
    DatabaseUrl url;
    url.driver = DatabaseUrl::Driver::Postgres;
    // rest is what follows "postgresql:" (or "postgres:")
    if (!rest.startsWith(u"//")) {
        return invalid(QStringLiteral("a PostgreSQL URL looks like "
                                      "postgresql://user:password@host:5432/database"));
    }
    rest = rest.mid(2);
    if (rest.contains(u'#')) {
        return invalid(QStringLiteral("a PostgreSQL URL takes no fragment (#)") + kEncodeHint);
    }
    QStringView query;
    if (const qsizetype q = rest.indexOf(u'?'); q >= 0) {
        query = rest.mid(q + 1);
        rest = rest.left(q);
    }
    QStringView authority = rest;
    QStringView dbPart;
    if (const qsizetype slash = rest.indexOf(u'/'); slash >= 0) {
        authority = rest.left(slash);
        dbPart = rest.mid(slash + 1);
    }

    QStringView hostPort = authority;
    if (const qsizetype at = authority.lastIndexOf(u'@'); at >= 0) {
        const QStringView userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        QStringView userPart = userInfo;
        QStringView passwordPart;
        if (const qsizetype colon = userInfo.indexOf(u':'); colon >= 0) {
            userPart = userInfo.left(colon);
            passwordPart = userInfo.mid(colon + 1);
        }
        const std::optional<QString> user = percentDecode(userPart);
        const std::optional<QString> password = percentDecode(passwordPart);
        if (!user || !password) {
            return invalid(QStringLiteral("the user name or password has an invalid "
                                          "percent-encoding"));
        }
        url.user = *user;
        url.password = *password;
    }

    QStringView hostPart = hostPort;
    QStringView portPart;
    if (hostPort.startsWith(u'[')) { // [IPv6]:port
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0) {
            return invalid(QStringLiteral("an IPv6 host must be written as [address]"));
        }
        hostPart = hostPort.mid(1, close - 1);
        const QStringView after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':')) {
                return invalid(QStringLiteral("an IPv6 host must be written as [address]:port"));
            }
            portPart = after.mid(1);
        }
    } else if (const qsizetype colon = hostPort.lastIndexOf(u':'); colon >= 0) {
        hostPart = hostPort.left(colon);
        portPart = hostPort.mid(colon + 1);
    }
    const std::optional<QString> host = percentDecode(hostPart);
    if (!host || host->isEmpty()) {
        return invalid(QStringLiteral("a PostgreSQL URL needs a host: "
                                      "postgresql://user:password@host:5432/database")
            + kEncodeHint);
    }
    url.host = *host;
    if (!portPart.isEmpty()) {
        bool ok = false;
        const int port = portPart.toInt(&ok);
        if (!ok || port < 1 || port > 65535) {
            return invalid(
                QStringLiteral("the port must be a number from 1 to 65535") + kEncodeHint);
        }
        url.port = port;
    }

    const std::optional<QString> database = percentDecode(dbPart);
    if (!database || database->isEmpty() || database->contains(u'/')) {
        return invalid(QStringLiteral("a PostgreSQL URL needs a database name: "
                                      "postgresql://user:password@host:5432/database"));
    }
    url.database = *database;

    Result<QMap<QString, QString>> options = parsePostgresOptions(query);
    if (!options) {
        return fail(options.error());
    }
    url.options = std::move(*options);
    return url;
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString &text, const QByteArray &password)
{
    Result<DatabaseUrl> url = parse(text);
    if (url && url->driver == Driver::Postgres && url->password.isEmpty() && !password.isEmpty())
        url->password = QString::fromUtf8(password);
    return url;
}

Result<DatabaseUrl> DatabaseUrl::parse(const QString &text)
{
    const QString url = text.trimmed();
    if (url.isEmpty()) {
        return invalid(QStringLiteral("must not be empty; ") + kForms);
    }
    static const QRegularExpression schemePattern(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*):"));
    const QRegularExpressionMatch match = schemePattern.match(url);
    if (!match.hasMatch()) {
        return invalid(QStringLiteral("is not a URL; ") + kForms);
    }
    const QString scheme = match.captured(1).toLower();
    const QStringView rest = QStringView(url).mid(match.capturedLength(0));
    if (scheme == u"sqlite") {
        return parseSqlite(rest);
    }
    if (scheme == u"postgresql" || scheme == u"postgres") {
        return parsePostgres(rest);
    }
    return invalid(QStringLiteral("unsupported scheme \"%1\"; ").arg(scheme) + kForms);
}

DatabaseUrl DatabaseUrl::sqliteFile(const QString &absolutePath)
{
    DatabaseUrl url;
    url.driver = Driver::Sqlite;
    url.path = absolutePath == memoryPath() ? absolutePath : QDir::cleanPath(absolutePath);
    return url;
}

QString DatabaseUrl::redacted() const
{
    if (driver == Driver::Sqlite) {
        if (isInMemory()) {
            return QStringLiteral("sqlite::memory:");
        }
        return QStringLiteral("sqlite://")
            + QString::fromLatin1(QUrl::toPercentEncoding(path, QByteArrayLiteral("/")));
    }
    QString result = QStringLiteral("postgresql://");
    if (!user.isEmpty() || !password.isEmpty()) {
        result += encodeComponent(user);
        if (!password.isEmpty()) {
            result += QStringLiteral(":***");
        }
        result += u'@';
    }
    result += host.contains(u':') ? QString(u'[' + host + u']') : encodeComponent(host);
    result += u':' + QString::number(port) + u'/' + encodeComponent(database);
    QStringList pairs;
    for (auto it = options.cbegin(); it != options.cend(); ++it) {
        pairs.append(it.key() + u'=' + encodeComponent(it.value()));
    }
    if (!pairs.isEmpty()) {
        result += u'?' + pairs.join(u'&');
    }
    return result;
}

QString DatabaseUrl::qtDriverName() const
{
    return driver == Driver::Sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL");
}

QString DatabaseUrl::dialect() const
{
    return driver == Driver::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

} // namespace Outpost::Server
