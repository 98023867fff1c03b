#include "addresspolicy.h"

#include <QList>
#include <QPair>

#include <iterator>
#include <optional>

namespace Outpost::Server::AddressPolicy {

namespace {

struct Range
{
    const char *cidr;
    const char *why;
};

// IANA special-purpose registries (RFC 6890 and successors): nothing here is a place a
// webhook should reach from inside the server's network.
constexpr Range kIpv4[] = {
    {"0.0.0.0/8", "unspecified"},
    {"10.0.0.0/8", "private"},
    {"100.64.0.0/10", "shared (CGNAT)"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local (cloud metadata)"},
    {"172.16.0.0/12", "private"},
    {"192.0.0.0/24", "IETF protocol assignments"},
    {"192.0.2.0/24", "documentation"},
    {"192.88.99.0/24", "6to4 relay"},
    {"192.168.0.0/16", "private"},
    {"198.18.0.0/15", "benchmarking"},
    {"198.51.100.0/24", "documentation"},
    {"203.0.113.0/24", "documentation"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved"},
};

constexpr Range kIpv6[] = {
    {"::/128", "unspecified"},
    {"::1/128", "loopback"},
    {"100::/64", "discard"},
    {"2001:db8::/32", "documentation"},
    {"2001::/23", "IETF protocol assignments"},
    {"fc00::/7", "unique-local"},
    {"fe80::/10", "link-local"},
    {"fec0::/10", "site-local"},
    {"ff00::/8", "multicast"},
};

QList<QPair<QHostAddress, int>> parse(const Range *begin, const Range *end)
{
    QList<QPair<QHostAddress, int>> subnets;
    for (const Range *range = begin; range != end; ++range)
        subnets.append(QHostAddress::parseSubnet(QString::fromLatin1(range->cidr)));
    return subnets;
}

// An IPv6 address that carries an IPv4 one: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
// (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16, the next 32 bits).
std::optional<QHostAddress> embeddedIpv4(const QHostAddress &address)
{
    const Q_IPV6ADDR a = address.toIPv6Address();
    const auto v4 = [&a](int at) {
        return QHostAddress(quint32(a[at]) << 24 | quint32(a[at + 1]) << 16
            | quint32(a[at + 2]) << 8 | quint32(a[at + 3]));
    };
    bool zeros = true;
    for (int i = 0; i < 10; ++i)
        zeros = zeros && a[i] == 0;
    if (zeros && ((a[10] == 0xff && a[11] == 0xff) || (a[10] == 0 && a[11] == 0)))
        return v4(12);
    if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b) {
        bool rest = true;
        for (int i = 4; i < 12; ++i)
            rest = rest && a[i] == 0;
        if (rest)
            return v4(12);
    }
    if (a[0] == 0x20 && a[1] == 0x02)
        return v4(2);
    return std::nullopt;
}

} // namespace

QString refusal(const QHostAddress &address)
{
    static const auto v4 = parse(std::begin(kIpv4), std::end(kIpv4));
    static const auto v6 = parse(std::begin(kIpv6), std::end(kIpv6));
    if (address.isNull())
        return QStringLiteral("no address");
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        if (address == QHostAddress(QHostAddress::Broadcast))
            return QStringLiteral("broadcast");
        for (qsizetype i = 0; i < v4.size(); ++i) {
            if (address.isInSubnet(v4[i]))
                return QString::fromLatin1(kIpv4[i].why);
        }
        return {};
    }
    if (address.isEqual(QHostAddress(QHostAddress::LocalHostIPv6), QHostAddress::StrictConversion))
        return QStringLiteral("loopback");
    if (address.isEqual(QHostAddress(QHostAddress::AnyIPv6), QHostAddress::StrictConversion))
        return QStringLiteral("unspecified");
    if (const auto inner = embeddedIpv4(address)) {
        const QString why = refusal(*inner);
        return why.isEmpty() ? QString() : why + QStringLiteral(" (embedded in IPv6)");
    }
    QHostAddress plain = address;
    plain.setScopeId({});
    for (qsizetype i = 0; i < v6.size(); ++i) {
        if (plain.isInSubnet(v6[i]))
            return QString::fromLatin1(kIpv6[i].why);
    }
    return {};
}

bool isPublic(const QHostAddress &address)
{
    return refusal(address).isEmpty();
}

} // namespace Outpost::Server::AddressPolicy
