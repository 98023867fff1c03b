#include "auth/passwordhasher.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <thread>
#include <vector>

using Outpost::ErrorCode;
using Outpost::Server::PasswordHasher;

class TestPasswordHasher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void verifiesEveryPasslibVector();
    void rejectsWrongPasswordsForEveryPasslibVector();
    void acceptsTwoYPrefix();
    void hashesWithTwoBPrefixAtConfiguredCost();
    void hashesOfTheSamePasswordDiffer();
    void hashesNonAsciiPasswordAsUtf8();
    void usesOnlyTheFirst72Bytes();
    void malformedHashesDoNotVerify_data();
    void malformedHashesDoNotVerify();
    void rejectsPasswordWithEmbeddedNul();
    void dummyHashIsValidAtConfiguredCost();
    void dummyHashIsMadeOnce();
    void dummyHashIsMadeOnceAcrossThreads();

private:
    QJsonArray m_vectors;
};

void TestPasswordHasher::initTestCase()
{
    const QString sourceDir = qEnvironmentVariable("OUTPOST_SOURCE_DIR");
    QVERIFY2(!sourceDir.isEmpty(), "OUTPOST_SOURCE_DIR is not set; run this test through ctest");
    const QString path =
        QDir(sourceDir).filePath(QStringLiteral("tests/fixtures/bcrypt/passlib-vectors.json"));
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly),
        qPrintable(QStringLiteral("missing fixture %1").arg(QDir::cleanPath(path))));
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    QVERIFY2(document.isArray(), "passlib-vectors.json is not a JSON array");
    m_vectors = document.array();
    QVERIFY(m_vectors.size() >= 4);
}

void TestPasswordHasher::verifiesEveryPasslibVector()
{
    const PasswordHasher hasher(4);
    bool sawTwoA = false;
    bool sawNonAscii = false;
    for (const QJsonValue &value : std::as_const(m_vectors)) {
        const QString password = value[QLatin1StringView("password")].toString();
        const QByteArray hash = value[QLatin1StringView("hash")].toString().toLatin1();
        sawTwoA = sawTwoA || hash.startsWith("$2a$");
        sawNonAscii = sawNonAscii || password.toUtf8().size() != password.size();
        QVERIFY2(hasher.verify(password.toUtf8(), hash), hash.constData());
    }
    QVERIFY(sawTwoA);
    QVERIFY(sawNonAscii);
}

void TestPasswordHasher::rejectsWrongPasswordsForEveryPasslibVector()
{
    const PasswordHasher hasher(4);
    for (const QJsonValue &value : std::as_const(m_vectors)) {
        const QByteArray password = value[QLatin1StringView("password")].toString().toUtf8();
        const QByteArray hash = value[QLatin1StringView("hash")].toString().toLatin1();
        QVERIFY2(!hasher.verify(password + 'x', hash), hash.constData());
        QVERIFY2(!hasher.verify(password.chopped(1), hash), hash.constData());
        QVERIFY2(!hasher.verify(QByteArray(), hash), hash.constData());
    }
    // The non-ASCII password must be hashed as UTF-8, not Latin-1.
    QVERIFY(!hasher.verify(QStringLiteral("Pässwörd-ünïcode").toLatin1(),
        "$2b$10$yuNcSfceq68xHJQ00xUH6ObKXeKu6bQvc3ests4O.A7ShrExn7ajm"));
}

void TestPasswordHasher::acceptsTwoYPrefix()
{
    // $2y$ (PHP) is the same algorithm as $2b$.
    const PasswordHasher hasher(4);
    QVERIFY(
        hasher.verify("short8ch", "$2y$04$qSqv1j6elYC0Z7lfF9PrhOpwLPfyL/f7Ixe/v9925kNoFWsV7Sn2O"));
    QVERIFY(
        !hasher.verify("short8cx", "$2y$04$qSqv1j6elYC0Z7lfF9PrhOpwLPfyL/f7Ixe/v9925kNoFWsV7Sn2O"));
}

void TestPasswordHasher::hashesWithTwoBPrefixAtConfiguredCost()
{
    const PasswordHasher hasher(4);
    QCOMPARE(hasher.cost(), 4);
    const auto hash = hasher.hash("correct horse battery staple");
    QVERIFY(hash);
    QVERIFY2(hash->startsWith("$2b$04$"), hash->constData());
    QCOMPARE(hash->size(), 60);
    QVERIFY(hasher.verify("correct horse battery staple", *hash));
    QVERIFY(!hasher.verify("correct horse battery stapler", *hash));

    const auto costFive = PasswordHasher(5).hash("pw");
    QVERIFY(costFive);
    QVERIFY2(costFive->startsWith("$2b$05$"), costFive->constData());
}

void TestPasswordHasher::hashesOfTheSamePasswordDiffer()
{
    const PasswordHasher hasher(4);
    const auto first = hasher.hash("same password");
    const auto second = hasher.hash("same password");
    QVERIFY(first);
    QVERIFY(second);
    QVERIFY(*first != *second);
    QVERIFY(first->left(29) != second->left(29)); // different salts
    QVERIFY(hasher.verify("same password", *first));
    QVERIFY(hasher.verify("same password", *second));
}

void TestPasswordHasher::hashesNonAsciiPasswordAsUtf8()
{
    const PasswordHasher hasher(4);
    const QByteArray password = QStringLiteral("Pässwörd-ünïcode").toUtf8();
    const auto hash = hasher.hash(password);
    QVERIFY(hash);
    QVERIFY(hasher.verify(password, *hash));
    QVERIFY(!hasher.verify(QStringLiteral("Pässwörd-ünïcode").toLatin1(), *hash));
}

void TestPasswordHasher::usesOnlyTheFirst72Bytes()
{
    // bcrypt's own limit, documented in passwordhasher.cpp: bytes past the 72nd do not count.
    const PasswordHasher hasher(4);
    const QByteArray seventyTwo(72, 'a');
    const auto hash = hasher.hash(seventyTwo);
    QVERIFY(hash);
    QVERIFY(hasher.verify(seventyTwo + "anything", *hash));
    QVERIFY(!hasher.verify(QByteArray(71, 'a'), *hash));
}

void TestPasswordHasher::malformedHashesDoNotVerify_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("hash");
    const QByteArray good = "$2b$04$qSqv1j6elYC0Z7lfF9PrhOpwLPfyL/f7Ixe/v9925kNoFWsV7Sn2O";
    QTest::newRow("empty") << QByteArray("short8ch") << QByteArray();
    QTest::newRow("prefix only") << QByteArray("short8ch") << QByteArray("$2b$");
    QTest::newRow("star zero") << QByteArray("short8ch") << QByteArray("*0");
    QTest::newRow("star one") << QByteArray("short8ch") << QByteArray("*1");
    QTest::newRow("truncated") << QByteArray("short8ch") << good.left(45);
    QTest::newRow("setting only") << QByteArray("short8ch") << good.left(29);
    QTest::newRow("one character short") << QByteArray("short8ch") << good.chopped(1);
    QTest::newRow("one character long") << QByteArray("short8ch") << good + 'a';
    QTest::newRow("md5-crypt of the same password")
        << QByteArray("short8ch") << QByteArray("$1$saltsalt$mrCmtOAYkUL7BSBL4M.El.");
    QTest::newRow("sha256-crypt of the same password") << QByteArray(
        "short8ch") << QByteArray("$5$saltsalt$Qn7PnoNgxxrqBsPrBMb3la9fFHG6Vmc0o/Nbb/a0ie5");
    QTest::newRow("unknown bcrypt variant")
        << QByteArray("short8ch") << QByteArray(good).replace(0, 4, "$2x$");
    QTest::newRow("cost out of range")
        << QByteArray("short8ch") << QByteArray(good).replace(4, 2, "99");
    QTest::newRow("cost not a number")
        << QByteArray("short8ch") << QByteArray(good).replace(4, 2, "ab");
    QTest::newRow("bad salt character")
        << QByteArray("short8ch") << QByteArray(good).replace(10, 1, "!");
    QTest::newRow("embedded nul") << QByteArray("short8ch")
                                  << QByteArray(good).replace(40, 1, QByteArray(1, '\0'));
    QTest::newRow("garbage of bcrypt length") << QByteArray("short8ch") << QByteArray(60, 'x');
}

void TestPasswordHasher::malformedHashesDoNotVerify()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, hash);
    const PasswordHasher hasher(4);
    QVERIFY(!hasher.verify(password, hash));
}

void TestPasswordHasher::rejectsPasswordWithEmbeddedNul()
{
    const PasswordHasher hasher(4);
    const auto hash = hasher.hash(QByteArray("short\0password", 14));
    QVERIFY(!hash);
    QCOMPARE(hash.error().code, ErrorCode::Validation);

    // Truncating at the NUL would make "short8ch\0..." match the hash of "short8ch".
    QVERIFY(!hasher.verify(QByteArray("short8ch\0extra", 14),
        "$2b$04$qSqv1j6elYC0Z7lfF9PrhOpwLPfyL/f7Ixe/v9925kNoFWsV7Sn2O"));
}

void TestPasswordHasher::dummyHashIsValidAtConfiguredCost()
{
    const PasswordHasher hasher(5);
    const QByteArray dummy = hasher.dummyHash();
    QVERIFY2(dummy.startsWith("$2b$05$"), dummy.constData());
    QCOMPARE(dummy.size(), 60);
    // A real hash: verification runs the full computation and simply fails.
    QVERIFY(!hasher.verify("", dummy));
    QVERIFY(!hasher.verify("password", dummy));
}

void TestPasswordHasher::dummyHashIsMadeOnce()
{
    const PasswordHasher hasher(4);
    const QByteArray &first = hasher.dummyHash();
    const QByteArray &second = hasher.dummyHash();
    QCOMPARE(second, first);
    QCOMPARE(&second, &first);

    const PasswordHasher other(4);
    QVERIFY(other.dummyHash() != first); // each hasher has its own random dummy
}

void TestPasswordHasher::dummyHashIsMadeOnceAcrossThreads()
{
    const PasswordHasher hasher(4);
    std::vector<QByteArray> seen(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < seen.size(); ++i)
        threads.emplace_back([&hasher, &seen, i] { seen[i] = hasher.dummyHash(); });
    for (std::thread &thread : threads)
        thread.join();
    for (const QByteArray &value : seen)
        QCOMPARE(value, hasher.dummyHash());
}

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
