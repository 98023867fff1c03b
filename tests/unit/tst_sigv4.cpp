// The SigV4 signer (server/storage/sigv4.cpp) against AWS's published test suite: every case
// in tests/fixtures/sigv4/ (canonical request, string to sign, Authorization header),
// and the four examples of the S3 API reference (s3-examples.md).
#include "storage/sigv4.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace Outpost::Server;

namespace {

QString fixtures()
{
    return qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/tests/fixtures/sigv4");
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A request in the suite's .req format: request line, headers (continuation lines start with
// whitespace), blank line, body. The request-target may hold spaces (get-space).
struct ParsedRequest
{
    QByteArray method;
    QByteArray path;
    QByteArray query;
    SigV4::Headers headers;
    QByteArray body;
    bool ok = false;
};

ParsedRequest parseRequest(const QByteArray &text, bool trimValues)
{
    ParsedRequest request;
    const qsizetype blank = text.indexOf("\n\n");
    const QByteArray head = blank < 0 ? text : text.left(blank);
    request.body = blank < 0 ? QByteArray() : text.mid(blank + 2);
    const QList<QByteArray> lines = head.split('\n');
    if (lines.isEmpty())
        return request;
    const QByteArray &line = lines.first();
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype version = line.lastIndexOf(" HTTP/");
    if (firstSpace < 0 || version <= firstSpace)
        return request;
    request.method = line.left(firstSpace);
    QByteArray target = line.mid(firstSpace + 1, version - firstSpace - 1);
    const qsizetype question = target.indexOf('?');
    request.path = question < 0 ? target : target.left(question);
    request.query = question < 0 ? QByteArray() : target.mid(question + 1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &header = lines.at(i);
        if (header.isEmpty() && i == lines.size() - 1)
            break; // a final line break
        if ((header.startsWith(' ') || header.startsWith('\t')) && !request.headers.isEmpty()) {
            request.headers.last().second.append('\n').append(header);
            continue;
        }
        const qsizetype colon = header.indexOf(':');
        if (colon <= 0)
            return request;
        QByteArray value = header.mid(colon + 1);
        request.headers.append({header.left(colon), trimValues ? value.trimmed() : value});
    }
    request.ok = true;
    return request;
}

QByteArray headerValue(const SigV4::Headers &headers, const QByteArray &name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}

} // namespace

class TestSigV4 final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void testSuite_data();
    void testSuite();
    void s3Examples_data();
    void s3Examples();
    void uriEncodesAllButUnreserved();

private:
    QJsonObject m_credentials;
};

void TestSigV4::initTestCase()
{
    const QByteArray json = readAll(fixtures() + QStringLiteral("/credentials.json"));
    QVERIFY2(!json.isEmpty(), "the sigv4 fixtures are missing");
    m_credentials = QJsonDocument::fromJson(json).object();
    QCOMPARE(m_credentials.value(QStringLiteral("access_key_id")).toString(),
        QStringLiteral("AKIDEXAMPLE"));
}

void TestSigV4::testSuite_data()
{
    QTest::addColumn<QString>("dir");
    // Every case of the botocore suite: a directory holding <name>.req. aws-c-auth-v4/ holds
    // the same suite in another format.
    QDirIterator it(
        fixtures(), {QStringLiteral("*.req")}, QDir::Files, QDirIterator::Subdirectories);
    QStringList cases;
    while (it.hasNext()) {
        const QString file = it.next();
        if (!file.contains(QStringLiteral("/aws-c-auth-v4/")))
            cases.append(QFileInfo(file).path());
    }
    cases.sort();
    QVERIFY(cases.size() >= 30);
    for (const QString &dir : std::as_const(cases))
        QTest::newRow(qPrintable(QDir(fixtures()).relativeFilePath(dir))) << dir;
}

void TestSigV4::testSuite()
{
    QFETCH(QString, dir);
    const QString name = dir + QLatin1Char('/') + QFileInfo(dir).fileName();
    const ParsedRequest request =
        parseRequest(readAll(name + QStringLiteral(".req")), /*trimValues=*/false);
    QVERIFY(request.ok);

    SigV4::CanonicalInput input;
    input.method = request.method;
    input.path = request.path;
    input.query = request.query;
    input.headers = request.headers;
    if (name.endsWith(QStringLiteral("get-vanilla-with-session-token"))) {
        // The token is added (and signed) by the signer's caller, as the S3 store does.
        input.headers.append({"X-Amz-Security-Token",
            m_credentials.value(QStringLiteral("session_token_get_vanilla_with_session_token"))
                .toString()
                .toLatin1()});
    }
    input.payloadHash = QCryptographicHash::hash(request.body, QCryptographicHash::Sha256).toHex();
    input.normalizePath = true;

    const QByteArray canonical = SigV4::canonicalRequest(input);
    QCOMPARE(canonical, readAll(name + QStringLiteral(".creq")));

    const QByteArray timestamp =
        m_credentials.value(QStringLiteral("timestamp")).toString().toLatin1();
    const SigV4::Scope scope {timestamp.left(8),
        m_credentials.value(QStringLiteral("region")).toString().toLatin1(),
        m_credentials.value(QStringLiteral("service")).toString().toLatin1()};
    const QByteArray toSign = SigV4::stringToSign(timestamp, scope, canonical);
    QCOMPARE(toSign, readAll(name + QStringLiteral(".sts")));

    const QByteArray secret =
        m_credentials.value(QStringLiteral("secret_access_key")).toString().toLatin1();
    const QByteArray access =
        m_credentials.value(QStringLiteral("access_key_id")).toString().toLatin1();
    QCOMPARE(SigV4::signingKey(secret, scope).toHex(),
        m_credentials.value(QStringLiteral("signing_key_hex_derived_locally"))
            .toString()
            .toLatin1());
    const QByteArray authorization = SigV4::authorization(access, scope,
        SigV4::signedHeaders(input.headers), SigV4::signature(secret, scope, toSign));
    QCOMPARE(authorization, readAll(name + QStringLiteral(".authz")));
    QCOMPARE(SigV4::sign(input, {access, secret, {}}, timestamp, scope.region, scope.service),
        authorization);
}

void TestSigV4::s3Examples_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("canonical");
    QTest::addColumn<QByteArray>("stringToSign");
    QTest::addColumn<QByteArray>("signature");
    QTest::addColumn<QByteArray>("authorization");
    const QString text = QString::fromUtf8(readAll(fixtures() + QStringLiteral("/s3-examples.md")));
    QVERIFY(!text.isEmpty());
    static const QRegularExpression block(
        QStringLiteral("```\\n(.*?)\\n```"), QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression signature(QStringLiteral("Signature: `([0-9a-f]{64})`"));
    int examples = 0;
    const QStringList sections = text.split(QStringLiteral("\n## Example: "));
    for (qsizetype i = 1; i < sections.size(); ++i) {
        const QString &section = sections.at(i);
        QStringList blocks;
        for (auto it = block.globalMatch(section); it.hasNext();)
            blocks.append(it.next().captured(1));
        QCOMPARE(blocks.size(), 4); // request, canonical request, string to sign, Authorization
        const QRegularExpressionMatch sig = signature.match(section);
        QVERIFY(sig.hasMatch());
        QTest::newRow(qPrintable(section.section(QLatin1Char('\n'), 0, 0)))
            << blocks.at(0).toUtf8() << blocks.at(1).toUtf8() << blocks.at(2).toUtf8()
            << sig.captured(1).toLatin1() << blocks.at(3).toUtf8();
        ++examples;
    }
    QCOMPARE(examples, 4);
}

void TestSigV4::s3Examples()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, canonical);
    QFETCH(QByteArray, stringToSign);
    QFETCH(QByteArray, signature);
    QFETCH(QByteArray, authorization);

    ParsedRequest parsed = parseRequest(request, /*trimValues=*/true);
    QVERIFY(parsed.ok);
    // The docs write "PUT test$file.text" and "GET ?lifecycle": the path of the bucket's host.
    if (!parsed.path.startsWith('/'))
        parsed.path.prepend('/');
    SigV4::CanonicalInput input;
    input.method = parsed.method;
    input.path = parsed.path;
    input.query = parsed.query;
    for (const auto &header : std::as_const(parsed.headers)) {
        if (header.first.compare("Authorization", Qt::CaseInsensitive) != 0)
            input.headers.append(header);
    }
    input.payloadHash = headerValue(parsed.headers, "x-amz-content-sha256");
    input.normalizePath = false; // S3
    QCOMPARE(SigV4::canonicalRequest(input), canonical);

    const SigV4::Scope scope {"20130524", "us-east-1", "s3"};
    const QByteArray toSign = SigV4::stringToSign("20130524T000000Z", scope, canonical);
    QCOMPARE(toSign, stringToSign);
    const QByteArray secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    QCOMPARE(SigV4::signature(secret, scope, toSign), signature);
    // The docs separate the Authorization parameters by "," where the suite uses ", ".
    QByteArray ours = SigV4::sign(
        input, {"AKIAIOSFODNN7EXAMPLE", secret, {}}, "20130524T000000Z", "us-east-1", "s3");
    QCOMPARE(ours.replace(", ", ","), authorization);
}

void TestSigV4::uriEncodesAllButUnreserved()
{
    QCOMPARE(SigV4::uriEncode("a b/c~d$e", true), QByteArray("a%20b/c~d%24e"));
    QCOMPARE(SigV4::uriEncode("a b/c", false), QByteArray("a%20b%2Fc"));
    QCOMPARE(SigV4::uriEncode("\xe1\x88\xb4", false), QByteArray("%E1%88%B4"));
}

QTEST_GUILESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"
