// Outgoing webhooks' building blocks: the Standard Webhooks signer against the published
// vectors (tests/fixtures/standard-webhooks/), the address policy that refuses private
// destinations (server/services/addresspolicy.h), and event pattern matching.
#include "models/subscription.h"
#include "services/addresspolicy.h"
#include "services/standardwebhooks.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Server;

namespace {

QJsonObject vectors()
{
    QFile file(qEnvironmentVariable("OUTPOST_SOURCE_DIR")
        + QStringLiteral("/tests/fixtures/standard-webhooks/vectors.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read tests/fixtures/standard-webhooks/vectors.json");
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray signatureFor(const QJsonObject &vector)
{
    auto key = StandardWebhooks::secretKey(vector.value(QStringLiteral("secret")).toString());
    if (!key)
        return {};
    return StandardWebhooks::sign(*key,
        vector.value(QStringLiteral("msg_id")).toString().toLatin1(),
        vector.value(QStringLiteral("timestamp")).toInteger(),
        vector.value(QStringLiteral("payload")).toString().toUtf8());
}

} // namespace

class TestStandardWebhooks final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signsThePublishedVectors()
    {
        const QJsonArray cases = vectors().value(QStringLiteral("sign")).toArray();
        QVERIFY(cases.size() >= 2);
        for (const QJsonValue &value : cases) {
            const QJsonObject vector = value.toObject();
            QCOMPARE(signatureFor(vector),
                vector.value(QStringLiteral("signature")).toString().toLatin1());
        }
    }

    void neverProducesThePublishedInvalidSignatures()
    {
        const QJsonArray cases = vectors().value(QStringLiteral("invalid")).toArray();
        QVERIFY(!cases.isEmpty());
        for (const QJsonValue &value : cases) {
            const QJsonObject vector = value.toObject();
            const QByteArray ours = signatureFor(vector);
            QVERIFY(ours.startsWith("v1,"));
            QVERIFY(ours != vector.value(QStringLiteral("signature")).toString().toLatin1());
        }
    }

    void newSecretsAreWhsecAndDecodeTo32Bytes()
    {
        const QString secret = StandardWebhooks::newSecret();
        QVERIFY(secret.startsWith(QStringLiteral("whsec_")));
        auto key = StandardWebhooks::secretKey(secret);
        QVERIFY(key);
        QCOMPARE(key->size(), 32);
        QVERIFY(StandardWebhooks::newSecret() != secret);
    }

    void rejectsSecretsThatAreNotBase64()
    {
        QVERIFY(!StandardWebhooks::secretKey(QStringLiteral("whsec_not base64!")));
        QVERIFY(!StandardWebhooks::secretKey(QStringLiteral("whsec_")));
    }

    void bodyHasTypeTimestampAndData()
    {
        const QByteArray body = StandardWebhooks::body(QStringLiteral("post.created"),
            QDateTime(QDate(2026, 12, 7), QTime(15, 0, 1), Qt::UTC), {{QStringLiteral("id"), 7}});
        QCOMPARE(body,
            QByteArray(
                R"({"data":{"id":7},"timestamp":"2026-12-07T15:00:01Z","type":"post.created"})"));
    }

    void refusesPrivateAddresses_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("isPublic");
        QTest::newRow("loopback") << "127.0.0.1" << false;
        QTest::newRow("loopback /8") << "127.1.2.3" << false;
        QTest::newRow("10/8") << "10.1.2.3" << false;
        QTest::newRow("172.16/12") << "172.31.255.1" << false;
        QTest::newRow("192.168/16") << "192.168.1.1" << false;
        QTest::newRow("CGNAT") << "100.64.0.1" << false;
        QTest::newRow("metadata") << "169.254.169.254" << false;
        QTest::newRow("unspecified") << "0.0.0.0" << false;
        QTest::newRow("broadcast") << "255.255.255.255" << false;
        QTest::newRow("multicast") << "224.0.0.1" << false;
        QTest::newRow("documentation") << "203.0.113.9" << false;
        QTest::newRow("IPv6 loopback") << "::1" << false;
        QTest::newRow("IPv6 unspecified") << "::" << false;
        QTest::newRow("unique-local") << "fd00::1" << false;
        QTest::newRow("IPv6 link-local") << "fe80::1" << false;
        QTest::newRow("IPv4-mapped loopback") << "::ffff:127.0.0.1" << false;
        QTest::newRow("IPv4-mapped metadata") << "::ffff:169.254.169.254" << false;
        QTest::newRow("NAT64 private") << "64:ff9b::a00:1" << false;
        QTest::newRow("6to4 private") << "2002:c0a8:101::1" << false;
        QTest::newRow("public v4") << "93.184.216.34" << true;
        QTest::newRow("public v4 near 172.16/12") << "172.32.0.1" << true;
        QTest::newRow("public v6") << "2606:4700:4700::1111" << true;
        QTest::newRow("IPv4-mapped public") << "::ffff:8.8.8.8" << true;
    }

    void refusesPrivateAddresses()
    {
        QFETCH(QString, address);
        QFETCH(bool, isPublic);
        const QHostAddress host(address);
        QVERIFY2(!host.isNull(), qPrintable(address));
        QCOMPARE(AddressPolicy::isPublic(host), isPublic);
        QCOMPARE(AddressPolicy::refusal(host).isEmpty(), isPublic);
    }

    void matchesEventPatterns()
    {
        QVERIFY(eventMatches(QStringLiteral("post.created"), QStringLiteral("post.created")));
        QVERIFY(!eventMatches(QStringLiteral("post.created"), QStringLiteral("post.updated")));
        QVERIFY(eventMatches(QStringLiteral("file.*"), QStringLiteral("file.deleted")));
        QVERIFY(!eventMatches(QStringLiteral("file.*"), QStringLiteral("filex.deleted")));
        QVERIFY(!eventMatches(QStringLiteral("file.*"), QStringLiteral("file")));
        QVERIFY(eventMatches(QStringLiteral("*"), QStringLiteral("run.failed")));
        QVERIFY(SubscriptionRules::validPattern(QStringLiteral("run.failed")));
        QVERIFY(SubscriptionRules::validPattern(QStringLiteral("*")));
        QVERIFY(!SubscriptionRules::validPattern(QStringLiteral("post*")));
        QVERIFY(!SubscriptionRules::validPattern(QStringLiteral("Post.Created")));
        QVERIFY(!SubscriptionRules::validPattern(QStringLiteral("")));
    }
};

QTEST_GUILESS_MAIN(TestStandardWebhooks)
#include "tst_standardwebhooks.moc"
