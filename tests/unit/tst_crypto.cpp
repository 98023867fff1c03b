#include "auth/crypto.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTest>

namespace Crypto = Outpost::Server::Crypto;

namespace {

bool isBase62(QByteArrayView text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}

} // namespace

class TestCrypto final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomBytesHaveTheRequestedLengthAndDiffer();
    void sha256MatchesKnownVectors();
    void sha256InPiecesMatchesOneShot();
    void hmacSha256MatchesRfc4231TestCase2();
    void hmacSha256MatchesGithubWebhookVector();
    void base64UrlOmitsPaddingAndUsesUrlAlphabet();
    void base64UrlRoundTrips_data();
    void base64UrlRoundTrips();
    void fromBase64UrlRejectsNonCanonicalText_data();
    void fromBase64UrlRejectsNonCanonicalText();
    void fromBase64UrlToleratesMissingOkPointer();
    void base62IsFixedLengthForThirtyTwoBytes();
    void base62MatchesKnownValues();
    void newApiKeyHasPrefixAndFixedLength();
    void newOpaqueTokenDecodesToThirtyTwoBytes();
    void constantTimeEqualsComparesContentAndLength();
};

void TestCrypto::randomBytesHaveTheRequestedLengthAndDiffer()
{
    QCOMPARE(Crypto::randomBytes(0).size(), 0);
    const QByteArray a = Crypto::randomBytes(32);
    const QByteArray b = Crypto::randomBytes(32);
    QCOMPARE(a.size(), 32);
    QCOMPARE(b.size(), 32);
    QVERIFY(a != b);
}

void TestCrypto::sha256MatchesKnownVectors()
{
    QCOMPARE(Crypto::sha256Hex(""),
        QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(Crypto::sha256Hex("abc"),
        QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(Crypto::sha256("abc").toHex(), Crypto::sha256Hex("abc"));
    QCOMPARE(Crypto::sha256("abc").size(), 32);
}

void TestCrypto::sha256InPiecesMatchesOneShot()
{
    {
        Crypto::Sha256 nothing;
        QCOMPARE(nothing.result().toHex(),
            QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }
    {
        Crypto::Sha256 abc;
        abc.addData("a");
        abc.addData({});
        abc.addData("bc");
        QCOMPARE(abc.result().toHex(),
            QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
    // Pieces of odd sizes across SHA-256's 64-byte blocks, against Qt's own implementation.
    QByteArray data(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 131 + i / 7) & 0xff);
    Crypto::Sha256 hash;
    qsizetype at = 0;
    for (qsizetype piece = 1; at < data.size(); piece = piece * 3 + 1) {
        const qsizetype n = qMin(piece, data.size() - at);
        hash.addData(QByteArrayView(data).sliced(at, n));
        at += n;
    }
    const QByteArray expected = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    QCOMPARE(hash.result(), expected);
    QCOMPARE(Crypto::sha256(data), expected);
}

void TestCrypto::hmacSha256MatchesRfc4231TestCase2()
{
    const QByteArray mac = Crypto::hmacSha256("Jefe", "what do ya want for nothing?");
    QCOMPARE(mac.size(), 32);
    QCOMPARE(mac.toHex(),
        QByteArray("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

void TestCrypto::hmacSha256MatchesGithubWebhookVector()
{
    // GitHub Docs, "Validating webhook deliveries" (tests/fixtures/github/signature-vector.txt).
    QCOMPARE(Crypto::hmacSha256("It's a Secret to Everybody", "Hello, World!").toHex(),
        QByteArray("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
}

void TestCrypto::base64UrlOmitsPaddingAndUsesUrlAlphabet()
{
    QCOMPARE(Crypto::base64Url("a"), QByteArray("YQ"));
    QCOMPARE(Crypto::base64Url("ab"), QByteArray("YWI"));
    QCOMPARE(Crypto::base64Url("abc"), QByteArray("YWJj"));
    QCOMPARE(Crypto::base64Url(QByteArray::fromHex("fbff")), QByteArray("-_8"));
    QCOMPARE(Crypto::base64Url(""), QByteArray());
}

void TestCrypto::base64UrlRoundTrips_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one byte") << QByteArray("a");
    QTest::newRow("two bytes") << QByteArray("ab");
    QTest::newRow("three bytes") << QByteArray("abc");
    QTest::newRow("url alphabet") << QByteArray::fromHex("fbfffe");
    QTest::newRow("nul and high bytes") << QByteArray::fromHex("00ff00fe80");
    QTest::newRow("32 random bytes") << Crypto::randomBytes(32);
    QTest::newRow("33 random bytes") << Crypto::randomBytes(33);
    QTest::newRow("34 random bytes") << Crypto::randomBytes(34);
}

void TestCrypto::base64UrlRoundTrips()
{
    QFETCH(QByteArray, bytes);
    const QByteArray text = Crypto::base64Url(bytes);
    QVERIFY(!text.contains('='));
    QVERIFY(!text.contains('+'));
    QVERIFY(!text.contains('/'));
    bool ok = false;
    QCOMPARE(Crypto::fromBase64Url(text, &ok), bytes);
    QVERIFY(ok);
}

void TestCrypto::fromBase64UrlRejectsNonCanonicalText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("trailing padding") << QByteArray("YQ==");
    QTest::newRow("single padding") << QByteArray("YWI=");
    QTest::newRow("padding in the middle") << QByteArray("YQ==YWJj");
    QTest::newRow("plus") << QByteArray("+_8");
    QTest::newRow("slash") << QByteArray("-/8");
    QTest::newRow("space") << QByteArray("YW Jj");
    QTest::newRow("newline") << QByteArray("YWJj\n");
    QTest::newRow("tab") << QByteArray("\tYWJj");
    QTest::newRow("non-ascii") << QByteArray("YW\xc3\xa9");
    QTest::newRow("nul byte") << QByteArray("YW\0Jj", 5);
    QTest::newRow("impossible length") << QByteArray("YWJjZ");
    QTest::newRow("non-zero trailing bits") << QByteArray("YR");
    QTest::newRow("dot") << QByteArray("YW.Jj");
}

void TestCrypto::fromBase64UrlRejectsNonCanonicalText()
{
    QFETCH(QByteArray, text);
    bool ok = true;
    QCOMPARE(Crypto::fromBase64Url(text, &ok), QByteArray());
    QVERIFY(!ok);
}

void TestCrypto::fromBase64UrlToleratesMissingOkPointer()
{
    QCOMPARE(Crypto::fromBase64Url("YQ=="), QByteArray());
    QCOMPARE(Crypto::fromBase64Url("YQ"), QByteArray("a"));
}

void TestCrypto::base62IsFixedLengthForThirtyTwoBytes()
{
    QCOMPARE(Crypto::base62(QByteArray(32, '\0')), QByteArray(43, '0'));
    QByteArray one(32, '\0');
    one[31] = 1;
    QCOMPARE(Crypto::base62(one), QByteArray(42, '0') + '1');
    for (int i = 0; i < 200; ++i) {
        const QByteArray text = Crypto::base62(Crypto::randomBytes(32));
        QCOMPARE(text.size(), 43);
        QVERIFY2(isBase62(text), text.constData());
    }
}

void TestCrypto::base62MatchesKnownValues()
{
    // Expected values from Python: int.from_bytes(bytes, "big") in base 62, left-padded.
    QCOMPARE(Crypto::base62(QByteArray(32, '\xff')),
        QByteArray("yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp1"));
    QByteArray counting(32, Qt::Uninitialized);
    for (int i = 0; i < 32; ++i)
        counting[i] = static_cast<char>(i);
    QCOMPARE(Crypto::base62(counting), QByteArray("003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf"));
    QCOMPARE(Crypto::base62(QByteArray("\xff")), QByteArray("47"));
    QCOMPARE(Crypto::base62(QByteArray()), QByteArray());
}

void TestCrypto::newApiKeyHasPrefixAndFixedLength()
{
    const QByteArray a = Crypto::newApiKey();
    const QByteArray b = Crypto::newApiKey();
    QVERIFY(a.startsWith("opk_"));
    QCOMPARE(a.size(), 47);
    QVERIFY(isBase62(a.mid(4)));
    QCOMPARE(b.size(), 47);
    QVERIFY(a != b);
}

void TestCrypto::newOpaqueTokenDecodesToThirtyTwoBytes()
{
    const QByteArray a = Crypto::newOpaqueToken();
    const QByteArray b = Crypto::newOpaqueToken();
    QCOMPARE(a.size(), 43);
    bool ok = false;
    QCOMPARE(Crypto::fromBase64Url(a, &ok).size(), 32);
    QVERIFY(ok);
    QVERIFY(a != b);
}

void TestCrypto::constantTimeEqualsComparesContentAndLength()
{
    QVERIFY(Crypto::constantTimeEquals("secret", "secret"));
    QVERIFY(Crypto::constantTimeEquals("", ""));
    QVERIFY(!Crypto::constantTimeEquals("secret", "secreT"));
    QVERIFY(!Crypto::constantTimeEquals("secret", "secret2"));
    QVERIFY(!Crypto::constantTimeEquals("secret", "secre"));
    QVERIFY(!Crypto::constantTimeEquals("", "a"));
    QVERIFY(Crypto::constantTimeEquals(QByteArray("a\0b", 3), QByteArray("a\0b", 3)));
    QVERIFY(!Crypto::constantTimeEquals(QByteArray("a\0b", 3), QByteArray("a\0c", 3)));
}

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
