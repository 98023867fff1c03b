#include "configvalue.h"

#include <QRegularExpression>
#include <QUrl>

namespace Outpost::ConfigValue {

namespace {

constexpr qint64 kib = 1024;
constexpr qint64 mib = 1024 * kib;
constexpr qint64 gib = 1024 * mib;

// Whole numbers longer than this cannot be in any range we accept and would overflow.
constexpr qsizetype maxDigits = 15;

QString byteSizeText(qint64 bytes)
{
    if (bytes % gib == 0) {
        return QStringLiteral("%1 GiB").arg(bytes / gib);
    }
    if (bytes % mib == 0) {
        return QStringLiteral("%1 MiB").arg(bytes / mib);
    }
    if (bytes % kib == 0) {
        return QStringLiteral("%1 KiB").arg(bytes / kib);
    }
    return QStringLiteral("%1 bytes").arg(bytes);
}

// Splits "123unit" into the number and the unit (spaces between allowed). Fails on anything
// that is not digits followed by an optional unit.
bool splitNumber(QStringView text, qint64 *number, QStringView *unit)
{
    qsizetype digits = 0;
    while (digits < text.size() && text.at(digits).isDigit() && text.at(digits).unicode() < 128) {
        ++digits;
    }
    if (digits == 0 || digits > maxDigits) {
        return false;
    }
    bool ok = false;
    *number = text.left(digits).toLongLong(&ok);
    *unit = text.mid(digits).trimmed();
    return ok;
}

} // namespace

Parsed<qint64> integer(QStringView text, qint64 min, qint64 max)
{
    qint64 number = 0;
    QStringView unit;
    if (!splitNumber(text, &number, &unit) || !unit.isEmpty() || number < min || number > max) {
        return tl::unexpected(QStringLiteral("must be an integer from %1 to %2").arg(min).arg(max));
    }
    return number;
}

Parsed<qint64> durationSeconds(QStringView text, qint64 min, qint64 max)
{
    const QString allowed = QStringLiteral(
        "must be a number of seconds from %1 to %2, optionally with suffix s, m, h or d")
                                .arg(min)
                                .arg(max);
    qint64 number = 0;
    QStringView unit;
    if (!splitNumber(text, &number, &unit)) {
        return tl::unexpected(allowed);
    }
    qint64 factor = 0;
    if (unit.isEmpty() || unit == u"s") {
        factor = 1;
    } else if (unit == u"m") {
        factor = 60;
    } else if (unit == u"h") {
        factor = 3600;
    } else if (unit == u"d") {
        factor = 86400;
    } else {
        return tl::unexpected(allowed);
    }
    const qint64 seconds = number * factor;
    if (seconds < min || seconds > max) {
        return tl::unexpected(allowed);
    }
    return seconds;
}

Parsed<qint64> byteSize(QStringView text, qint64 min, qint64 max)
{
    const QString allowed = QStringLiteral(
        "must be a size from %1 to %2: a number of bytes or a number with suffix KiB, MiB or GiB")
                                .arg(byteSizeText(min), byteSizeText(max));
    qint64 number = 0;
    QStringView unit;
    if (!splitNumber(text, &number, &unit)) {
        return tl::unexpected(allowed);
    }
    qint64 factor = 0;
    if (unit.isEmpty()) {
        factor = 1;
    } else if (unit.compare(u"KiB", Qt::CaseInsensitive) == 0) {
        factor = kib;
    } else if (unit.compare(u"MiB", Qt::CaseInsensitive) == 0) {
        factor = mib;
    } else if (unit.compare(u"GiB", Qt::CaseInsensitive) == 0) {
        factor = gib;
    } else {
        // "32M", "32MB": decimal or binary? Refuse rather than guess.
        return tl::unexpected(allowed);
    }
    const qint64 bytes = number * factor; // number < 10^15, factor <= 2^30: no overflow
    if (bytes < min || bytes > max) {
        return tl::unexpected(allowed);
    }
    return bytes;
}

Parsed<bool> boolean(QStringView text)
{
    static const QStringList yes = {
        QStringLiteral("true"), QStringLiteral("1"), QStringLiteral("yes"), QStringLiteral("on")};
    static const QStringList no = {
        QStringLiteral("false"), QStringLiteral("0"), QStringLiteral("no"), QStringLiteral("off")};
    const QString lower = text.toString().toLower();
    if (yes.contains(lower)) {
        return true;
    }
    if (no.contains(lower)) {
        return false;
    }
    return tl::unexpected(QStringLiteral("must be true, false, 1, 0, yes, no, on or off"));
}

Parsed<QStringList> corsOrigins(QStringView text)
{
    static const QRegularExpression schemePattern(QStringLiteral("^[a-z][a-z0-9+.-]*$"));
    const QString allowed = QStringLiteral(
        "must be a comma-separated list of origins, each scheme://host[:port] with no path, "
        "or * alone");
    QStringList origins;
    const QList<QStringView> parts = text.split(u',');
    for (const QStringView part : parts) {
        const QString origin = part.trimmed().toString();
        if (origin.isEmpty()) {
            continue;
        }
        if (origin == u"*") {
            origins.append(origin);
            continue;
        }
        const QUrl url(origin, QUrl::StrictMode);
        const bool wellFormed = url.isValid() && schemePattern.match(url.scheme()).hasMatch()
            && !url.host().isEmpty() && url.userInfo().isEmpty() && url.path().isEmpty()
            && !url.hasQuery() && !url.hasFragment()
            && origin.startsWith(url.scheme() + QStringLiteral("://"), Qt::CaseInsensitive);
        if (!wellFormed) {
            return tl::unexpected(allowed);
        }
        // Browsers send scheme and host in lower case and leave out a default port.
        QUrl normal = url;
        const QString scheme = url.scheme().toLower();
        if ((scheme == u"http" && url.port() == 80) || (scheme == u"https" && url.port() == 443)) {
            normal.setPort(-1);
        }
        origins.append(normal.toString(QUrl::FullyEncoded).toLower());
    }
    if (origins.contains(QStringLiteral("*")) && origins.size() > 1) {
        return tl::unexpected(allowed);
    }
    return origins;
}

Parsed<QList<QPair<QHostAddress, int>>> subnets(QStringView text)
{
    const QString allowed = QStringLiteral(
        "must be a comma-separated list of IP addresses or CIDR subnets (10.0.0.0/8)");
    QList<QPair<QHostAddress, int>> result;
    for (const QStringView part : text.split(u',')) {
        const QString item = part.trimmed().toString();
        if (item.isEmpty()) {
            continue;
        }
        QPair<QHostAddress, int> subnet;
        if (item.contains(u'/')) {
            subnet = QHostAddress::parseSubnet(item);
        } else {
            const QHostAddress address(item);
            subnet = {address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
        }
        if (subnet.first.isNull() || subnet.second < 0) {
            return tl::unexpected(allowed);
        }
        result.append(subnet);
    }
    return result;
}

Parsed<std::pair<int, int>> rate(QStringView text)
{
    const QString allowed =
        QStringLiteral("must be N/s, N/min or N/h with N from 1 to 1000000, or off");
    if (text.compare(u"off", Qt::CaseInsensitive) == 0) {
        return std::pair {0, 60};
    }
    const qsizetype slash = text.indexOf(u'/');
    if (slash <= 0) {
        return tl::unexpected(allowed);
    }
    const Parsed<qint64> count = integer(text.left(slash), 1, 1000000);
    const QStringView unit = text.mid(slash + 1);
    int seconds = 0;
    if (unit == u"s") {
        seconds = 1;
    } else if (unit == u"min") {
        seconds = 60;
    } else if (unit == u"h") {
        seconds = 3600;
    }
    if (!count || seconds == 0) {
        return tl::unexpected(allowed);
    }
    return std::pair {int(*count), seconds};
}

Parsed<std::pair<QHostAddress, quint16>> listen(QStringView text)
{
    static const QRegularExpression ipv4Pattern(
        QStringLiteral("^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$"));
    const auto invalid = [] {
        return tl::unexpected(QStringLiteral(
            "must be HOST:PORT, [IPV6]:PORT, :PORT or PORT, with HOST an IP address or "
            "localhost and PORT from 0 to 65535"));
    };

    QStringView host;
    QStringView port;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u"]:");
        if (close < 0) {
            return invalid();
        }
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
        if (!host.contains(u':')) {
            return invalid(); // brackets are for IPv6 only
        }
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon >= 0) {
            host = text.left(colon);
            port = text.mid(colon + 1);
            if (host.contains(u':')) {
                return invalid(); // a bare IPv6 address: ambiguous without brackets
            }
        } else {
            port = text;
        }
    }

    const Parsed<qint64> portNumber = integer(port, 0, 65535);
    if (!portNumber) {
        return invalid();
    }

    QHostAddress address(QHostAddress::LocalHost);
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0) {
        address = QHostAddress(QHostAddress::LocalHost);
    } else if (!host.isEmpty()) {
        const bool isV6 = host.contains(u':');
        // QHostAddress also takes "127.1" and other inet_aton forms; insist on dotted quads.
        if ((!isV6 && !ipv4Pattern.match(host).hasMatch())
            || !address.setAddress(host.toString())) {
            return invalid();
        }
    }
    return std::pair {address, quint16(*portNumber)};
}

QString quoted(QStringView text)
{
    constexpr qsizetype maxShown = 100;
    QString out = QStringLiteral("\"");
    for (qsizetype i = 0; i < text.size() && i < maxShown; ++i) {
        const QChar c = text.at(i);
        if (c == u'"' || c == u'\\') {
            out += u'\\';
            out += c;
        } else if (c == u'\n') {
            out += QStringLiteral("\\n");
        } else if (c == u'\r') {
            out += QStringLiteral("\\r");
        } else if (c == u'\t') {
            out += QStringLiteral("\\t");
        } else if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph) {
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        } else {
            out += c;
        }
    }
    if (text.size() > maxShown) {
        out += QStringLiteral("...");
    }
    out += u'"';
    return out;
}

} // namespace Outpost::ConfigValue
