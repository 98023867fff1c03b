#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <tl/expected.hpp>

#include <utility>

// Parsers for single setting values. Each returns the parsed value or a message saying
// what is allowed ("must be an integer from 4 to 31"); the caller adds which setting it
// was and, unless it is a secret, the value that was given. Inputs are already trimmed.
namespace Outpost::ConfigValue {

template<typename T> using Parsed = tl::expected<T, QString>;

// Decimal digits only: no sign, no spaces, no hex.
Parsed<qint64> integer(QStringView text, qint64 min, qint64 max);
// Seconds, or a whole number with suffix s, m or h ("90", "90s", "15m", "1h").
Parsed<qint64> durationSeconds(QStringView text, qint64 min, qint64 max);
// Bytes, or a whole number with suffix KiB, MiB or GiB ("1048576", "32MiB").
Parsed<qint64> byteSize(QStringView text, qint64 min, qint64 max);
// true/false, 1/0, yes/no, on/off; any case.
Parsed<bool> boolean(QStringView text);
// Comma-separated origins, each scheme://host[:port] as a browser sends it, or "*" alone.
Parsed<QStringList> corsOrigins(QStringView text);
// Comma-separated CIDR subnets ("10.0.0.0/8, ::1"); a bare address is a subnet of one.
Parsed<QList<QPair<QHostAddress, int>>> subnets(QStringView text);
// "N/s", "N/min" or "N/h" (N from 1 to 1000000) as {N, seconds}; "off" as {0, 60}.
Parsed<std::pair<int, int>> rate(QStringView text);
// "HOST:PORT", "[IPV6]:PORT", ":PORT" or "PORT"; the latter two mean 127.0.0.1, never all
// interfaces: that has to be asked for with 0.0.0.0:PORT or [::]:PORT. Port 0 picks a free one.
Parsed<std::pair<QHostAddress, quint16>> listen(QStringView text);

// Quotes a value for an error message: one line, control characters escaped, long values cut.
QString quoted(QStringView text);

} // namespace Outpost::ConfigValue
