// S3FileStore (server/storage/s3filestore.cpp) against a real S3-compatible server (s3rver,
// which checks SigV4 signatures): objects written through the store show up in the bucket's
// own listing (ListObjectsV2, signed here with the same signer), read back in ranges,
// multipart uploads assemble, and an unknown access key is refused by the server. (s3rver
// parses SigV4 Authorization headers but does not recompute the signature; the signer itself
// is checked against AWS's published vectors in tests/unit/tst_sigv4.cpp.)
#include "factories.h"
#include "s3server.h"
#include "storage/s3filestore.h"

#include <QEventLoop>
#include <QMap>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

using namespace Outpost;
using namespace Outpost::Server;
using namespace Outpost::Test;

class TestS3FileStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void putShowsUpInTheBucketListing();
    void listFindsTheObjectsUnderAPrefixOnly();
    void readsRanges();
    void multipartUploadAssemblesParts();
    void multipartDigestFollowsThePartsCompleted();
    void removeDeletesTheObject();
    void missingObjectIsNotFound();
    void unknownAccessKeyIsRefused();
    void checkReportsTheBucket();

private:
    S3Settings settings(const QByteArray &accessKey = "S3RVER") const;
    // The bucket's keys under `prefix`, from s3rver's ListObjectsV2 answer.
    QStringList listBucket(const QString &prefix);
    Result<QByteArray> read(S3FileStore &store, const QString &key, qint64 offset, qint64 length);

    S3Server m_s3;
};

S3Settings TestS3FileStore::settings(const QByteArray &accessKey) const
{
    S3Settings s;
    s.endpoint = QUrl(m_s3.endpoint());
    s.bucket = m_s3.bucket();
    s.prefix = QStringLiteral("unit");
    s.credentials = {accessKey, "S3RVER", {}};
    return s;
}

void TestS3FileStore::initTestCase()
{
    QVERIFY2(m_s3.start(), qPrintable(m_s3.lastError()));
}

QStringList TestS3FileStore::listBucket(const QString &prefix)
{
    const QByteArray query = "list-type=2&prefix=" + SigV4::uriEncode(prefix.toUtf8(), false);
    const QUrl url(m_s3.endpoint() + QStringLiteral("/") + m_s3.bucket() + QStringLiteral("?")
        + QString::fromLatin1(query));
    const QByteArray timestamp = SigV4::timestamp(QDateTime::currentDateTimeUtc());
    const QByteArray emptyHash = sha256Hex({});
    SigV4::CanonicalInput input;
    input.method = "GET";
    input.path = "/" + m_s3.bucket().toUtf8();
    input.query = query;
    input.headers = {{"Host", url.host().toUtf8() + ':' + QByteArray::number(url.port())},
        {"X-Amz-Date", timestamp}, {"X-Amz-Content-Sha256", emptyHash}};
    input.payloadHash = emptyHash;
    input.normalizePath = false;
    QNetworkRequest request(url);
    request.setRawHeader("X-Amz-Date", timestamp);
    request.setRawHeader("X-Amz-Content-Sha256", emptyHash);
    request.setRawHeader("Authorization",
        SigV4::sign(input, {"S3RVER", "S3RVER", {}}, timestamp, "us-east-1", "s3"));
    QNetworkAccessManager manager;
    QNetworkReply *reply = manager.get(request);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const QString xml = QString::fromUtf8(reply->readAll());
    reply->deleteLater();
    QStringList keys;
    static const QRegularExpression key(QStringLiteral("<Key>([^<]*)</Key>"));
    for (auto it = key.globalMatch(xml); it.hasNext();)
        keys.append(it.next().captured(1));
    return keys;
}

Result<QByteArray> TestS3FileStore::read(
    S3FileStore &store, const QString &key, qint64 offset, qint64 length)
{
    std::optional<Result<std::shared_ptr<QIODevice>>> opened;
    QEventLoop loop;
    store.openRead(key, offset, length, [&](Result<std::shared_ptr<QIODevice>> device) {
        opened = std::move(device);
        loop.quit();
    });
    if (!opened)
        loop.exec();
    if (!*opened)
        return fail(opened->error());
    QIODevice &device = ***opened;
    QByteArray data = device.readAll();
    bool ended = false;
    connect(&device, &QIODevice::readChannelFinished, &device, [&ended] { ended = true; });
    while (data.size() < length && !ended) {
        QEventLoop wait;
        connect(&device, &QIODevice::readyRead, &wait, &QEventLoop::quit);
        connect(&device, &QIODevice::readChannelFinished, &wait, &QEventLoop::quit);
        QTimer::singleShot(5000, &wait, &QEventLoop::quit);
        wait.exec();
        const QByteArray more = device.readAll();
        if (more.isEmpty() && !ended)
            break; // nothing within 5 s
        data += more;
    }
    data += device.readAll();
    return data;
}

void TestS3FileStore::putShowsUpInTheBucketListing()
{
    S3FileStore store(settings());
    const QByteArray data = "hello from the store";
    auto stored = store.put(QStringLiteral("ab/abcdef"), data, QStringLiteral("text/plain"));
    QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().detail));
    QCOMPARE(stored->size, data.size());
    QCOMPARE(stored->sha256Hex, sha256Hex(data));
    QVERIFY(listBucket(QStringLiteral("unit/")).contains(QStringLiteral("unit/ab/abcdef")));
    QVERIFY(m_s3.listObjects().contains(QStringLiteral("unit/ab/abcdef")));
}

// What scheduled backups use to find and prune theirs: the objects under "backups/", with
// their sizes and keys as the store names them (without the store's own prefix), and nothing
// from beside that prefix.
void TestS3FileStore::listFindsTheObjectsUnderAPrefixOnly()
{
    S3FileStore store(settings());
    QVERIFY(
        store.put(QStringLiteral("backups/one.tar.gz"), "1", QStringLiteral("application/gzip")));
    QVERIFY(
        store.put(QStringLiteral("backups/two.tar.gz"), "22", QStringLiteral("application/gzip")));
    QVERIFY(store.put(QStringLiteral("backupsx/other"), "333", QStringLiteral("text/plain")));
    QVERIFY(store.put(QStringLiteral("cd/cdef01"), "4444", QStringLiteral("text/plain")));

    const auto listed = store.list(QStringLiteral("backups"));
    QVERIFY2(listed, qPrintable(listed ? QString() : listed.error().detail));
    QMap<QString, qint64> found;
    for (const ListedObject &object : *listed)
        found.insert(object.key, object.size);
    const QMap<QString, qint64> expected {
        {QStringLiteral("backups/one.tar.gz"), 1}, {QStringLiteral("backups/two.tar.gz"), 2}};
    QCOMPARE(found, expected);

    const auto none = store.list(QStringLiteral("nothing-here"));
    QVERIFY(none);
    QVERIFY(none->isEmpty());
}

void TestS3FileStore::readsRanges()
{
    S3FileStore store(settings());
    QVERIFY(store.put(QStringLiteral("ra/range"), "0123456789", QStringLiteral("text/plain")));
    auto whole = read(store, QStringLiteral("ra/range"), 0, 10);
    QVERIFY(whole);
    QCOMPARE(*whole, QByteArray("0123456789"));
    auto middle = read(store, QStringLiteral("ra/range"), 3, 4);
    QVERIFY(middle);
    QCOMPARE(*middle, QByteArray("3456"));
}

void TestS3FileStore::multipartUploadAssemblesParts()
{
    S3FileStore store(settings());
    const QString key = QStringLiteral("mp/multipart");
    auto handle = store.beginMultipart(key, QStringLiteral("application/octet-stream"));
    QVERIFY(handle);
    const QByteArray first(qsizetype(1024) * 1024, 'a');
    const QByteArray second = "the rest";
    // Out of order, and part 1 twice: the last one counts.
    auto part2 = store.putPart(key, *handle, 2, second);
    auto part1 = store.putPart(key, *handle, 1, QByteArray(qsizetype(1024) * 1024, 'x'));
    part1 = store.putPart(key, *handle, 1, first);
    QVERIFY(part1 && part2);
    auto object = store.completeMultipart(key, *handle, {*part1, *part2});
    QVERIFY2(object, qPrintable(object ? QString() : object.error().detail));
    QCOMPARE(object->size, first.size() + second.size());
    QCOMPARE(object->sha256Hex, sha256Hex(first + second));
    QVERIFY(listBucket(QStringLiteral("unit/mp/")).contains(QStringLiteral("unit/mp/multipart")));
}

// Parts that come in order are hashed on the way (no read-back at completion); a part sent
// again with other bytes must not leave that digest in use.
void TestS3FileStore::multipartDigestFollowsThePartsCompleted()
{
    S3FileStore store(settings());
    const QByteArray a(qsizetype(5) * 1024 * 1024, 'a');
    const QByteArray b(qsizetype(5) * 1024 * 1024, 'b');
    const QByteArray c = "and the tail";
    const auto upload = [&](const QString &key, const QList<QPair<int, QByteArray>> &sends,
                            const QByteArray &expected) {
        auto handle = store.beginMultipart(key, QStringLiteral("application/octet-stream"));
        QVERIFY(handle);
        QMap<int, StoredPart> parts;
        for (const auto &[number, data] : sends) {
            auto part = store.putPart(key, *handle, number, data);
            QVERIFY(part);
            parts.insert(number, *part);
        }
        auto object = store.completeMultipart(key, *handle, parts.values());
        QVERIFY2(object, qPrintable(object ? QString() : object.error().detail));
        QCOMPARE(object->size, expected.size());
        QCOMPARE(object->sha256Hex, sha256Hex(expected));
    };
    // In order: the digest taken on the way.
    upload(QStringLiteral("mp/in-order"), {{1, a}, {2, b}, {3, c}}, a + b + c);
    if (QTest::currentTestFailed())
        return;
    // Part 1 again with other bytes after part 2 was hashed: the content is b b c.
    upload(QStringLiteral("mp/resent-other"), {{1, a}, {2, b}, {3, c}, {1, b}}, b + b + c);
    if (QTest::currentTestFailed())
        return;
    // Part 2 again with the same bytes: still a b c.
    upload(QStringLiteral("mp/resent-same"), {{1, a}, {2, b}, {2, b}, {3, c}}, a + b + c);
    if (QTest::currentTestFailed())
        return;
    // A gap, then the missing part: read back.
    upload(QStringLiteral("mp/gap"), {{1, a}, {3, c}, {2, b}}, a + b + c);
}

void TestS3FileStore::removeDeletesTheObject()
{
    S3FileStore store(settings());
    QVERIFY(store.put(QStringLiteral("rm/gone"), "bye", QStringLiteral("text/plain")));
    QVERIFY(listBucket(QStringLiteral("unit/rm/")).contains(QStringLiteral("unit/rm/gone")));
    QVERIFY(store.remove(QStringLiteral("rm/gone")));
    QVERIFY(!listBucket(QStringLiteral("unit/rm/")).contains(QStringLiteral("unit/rm/gone")));
}

void TestS3FileStore::missingObjectIsNotFound()
{
    S3FileStore store(settings());
    auto missing = read(store, QStringLiteral("no/such"), 0, 5);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
}

void TestS3FileStore::unknownAccessKeyIsRefused()
{
    S3FileStore store(settings("NOT-A-KEY"));
    auto stored = store.put(QStringLiteral("wr/ong"), "x", QStringLiteral("text/plain"));
    QVERIFY(!stored);
    QCOMPARE(stored.error().code, ErrorCode::Unavailable);
    QVERIFY(!stored.error().detail.contains(QStringLiteral("NOT-A-KEY")));
    QVERIFY(!listBucket(QStringLiteral("unit/wr/")).contains(QStringLiteral("unit/wr/ong")));
    QVERIFY(!store.check());
}

void TestS3FileStore::checkReportsTheBucket()
{
    QVERIFY(S3FileStore(settings()).check());
    S3Settings missing = settings();
    missing.bucket = QStringLiteral("no-such-bucket");
    QVERIFY(!S3FileStore(missing).check());
}

QTEST_GUILESS_MAIN(TestS3FileStore)
#include "tst_s3filestore.moc"
