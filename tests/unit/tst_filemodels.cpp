// File models (shared/models/file.cpp): path rules, listing parameters and page tokens,
// chunked upload requests and generation requests.
#include "models/file.h"

#include <QJsonObject>
#include <QTest>

using namespace Outpost;

class TestFileModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptsOrdinaryPaths_data();
    void acceptsOrdinaryPaths();
    void rejectsUnsafePaths_data();
    void rejectsUnsafePaths();
    void guessesContentTypeFromExtension();
    void listQueryRoundTripsPageToken();
    void listQueryRejectsBadValues();
    void uploadCreateCollectsEveryError();
    void uploadKnowsItsParts();
    void generateRequestChecksTypeAndExtension();
};

void TestFileModels::acceptsOrdinaryPaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("plain") << QStringLiteral("a.txt");
    QTest::newRow("nested") << QStringLiteral("docs/2026/report.pdf");
    QTest::newRow("dots in names") << QStringLiteral("a..b/.hidden/...x");
    QTest::newRow("spaces and unicode") << QStringLiteral("Ünïcode files/ça va.txt");
    QTest::newRow("percent not encoding anything unsafe") << QStringLiteral("100%/a%20b.txt");
    QTest::newRow("1024 bytes") << QString(1024, QLatin1Char('a'));
}

void TestFileModels::acceptsOrdinaryPaths()
{
    QFETCH(QString, path);
    QCOMPARE(FilePaths::problem(path), QString());
}

void TestFileModels::rejectsUnsafePaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("empty") << QString();
    QTest::newRow("dot-dot") << QStringLiteral("../a");
    QTest::newRow("inner dot-dot") << QStringLiteral("a/../../b");
    QTest::newRow("dot") << QStringLiteral("./a");
    QTest::newRow("leading slash") << QStringLiteral("/etc/passwd");
    QTest::newRow("empty segment") << QStringLiteral("a//b");
    QTest::newRow("trailing slash") << QStringLiteral("a/");
    QTest::newRow("backslash") << QStringLiteral("a\\b");
    QTest::newRow("nul") << QString::fromUtf16(u"a\u0000b", 3);
    QTest::newRow("newline") << QStringLiteral("a\nb");
    QTest::newRow("del") << QStringLiteral("a\x7f");
    QTest::newRow("C1 control") << QString::fromUtf16(u"a\u0085b");
    QTest::newRow("encoded dot-dot") << QStringLiteral("%2e%2E/a");
    QTest::newRow("encoded slash making an empty segment") << QStringLiteral("a%2F%2fb");
    QTest::newRow("encoded backslash") << QStringLiteral("a%5Cb");
    QTest::newRow("encoded nul") << QStringLiteral("a%00b");
    QTest::newRow("encoded leading slash") << QStringLiteral("%2Fetc");
    QTest::newRow("1025 bytes") << QString(1025, QLatin1Char('a'));
    QTest::newRow("over 1024 bytes of UTF-8") << QString(513, QChar(0xe9));
}

void TestFileModels::rejectsUnsafePaths()
{
    QFETCH(QString, path);
    QVERIFY(!FilePaths::problem(path).isEmpty());
}

void TestFileModels::guessesContentTypeFromExtension()
{
    QCOMPARE(FilePaths::guessContentType(QStringLiteral("a/b.png")), QStringLiteral("image/png"));
    QCOMPARE(
        FilePaths::guessContentType(QStringLiteral("notes.txt")), QStringLiteral("text/plain"));
    QCOMPARE(FilePaths::guessContentType(QStringLiteral("blob")),
        QStringLiteral("application/octet-stream"));
}

void TestFileModels::listQueryRoundTripsPageToken()
{
    const QString token = FileListQuery::tokenFor(QStringLiteral("dir/ça.txt"));
    auto query = FileListQuery::fromQuery(QStringLiteral("dir/"), QStringLiteral("5"), token);
    QVERIFY(query);
    QCOMPARE(query->directory, QStringLiteral("dir"));
    QCOMPARE(query->pageSize, 5);
    QCOMPARE(query->after, QStringLiteral("dir/ça.txt"));
    auto defaults = FileListQuery::fromQuery({}, {}, {});
    QVERIFY(defaults);
    QCOMPARE(defaults->pageSize, 10);
    QVERIFY(defaults->directory.isEmpty());
}

void TestFileModels::listQueryRejectsBadValues()
{
    auto query = FileListQuery::fromQuery(
        QStringLiteral("../x"), QStringLiteral("1001"), QStringLiteral("!!"));
    QVERIFY(!query);
    QCOMPARE(query.error().code, ErrorCode::Validation);
    QCOMPARE(query.error().fields.size(), 3);
    QVERIFY(!FileListQuery::fromQuery({}, QStringLiteral("0"), {}));
    // A token that decodes to an unsafe path is no token.
    QVERIFY(!FileListQuery::fromQuery({}, {}, FileListQuery::tokenFor(QStringLiteral("../x"))));
}

void TestFileModels::uploadCreateCollectsEveryError()
{
    auto create = UploadCreate::fromJson({{QStringLiteral("file_path"), QStringLiteral("a//b")},
        {QStringLiteral("size"), 1.5}, {QStringLiteral("content_type"), QStringLiteral("nope")},
        {QStringLiteral("extra"), 1}});
    QVERIFY(!create);
    QCOMPARE(create.error().fields.size(), 4);
    auto ok = UploadCreate::fromJson(
        {{QStringLiteral("file_path"), QStringLiteral("a/b.bin")}, {QStringLiteral("size"), 0}});
    QVERIFY(ok);
    QCOMPARE(ok->size, 0);
}

void TestFileModels::uploadKnowsItsParts()
{
    Upload upload;
    upload.size = 25;
    upload.partSize = 10;
    QCOMPARE(upload.partCount(), 3);
    QCOMPARE(upload.expectedPartSize(1), 10);
    QCOMPARE(upload.expectedPartSize(3), 5);
    upload.size = 20;
    QCOMPARE(upload.partCount(), 2);
    QCOMPARE(upload.expectedPartSize(2), 10);
    upload.size = 0;
    QCOMPARE(upload.partCount(), 1);
    QCOMPARE(upload.expectedPartSize(1), 0);
}

void TestFileModels::generateRequestChecksTypeAndExtension()
{
    const auto make = [](const QString &path, const QString &key, const QString &type) {
        return GenerateRequest::fromJson({{QStringLiteral("file_path"), path},
            {QStringLiteral("prompt"), QStringLiteral("p")}, {key, type}});
    };
    QCOMPARE(
        make(QStringLiteral("a.txt"), QStringLiteral("generation_type"), QStringLiteral("text"))
            ->type,
        GenerateRequest::Type::Text);
    QCOMPARE(
        make(QStringLiteral("a.PNG"), QStringLiteral("file_type"), QStringLiteral("Image"))->type,
        GenerateRequest::Type::Image);
    QCOMPARE(make(QStringLiteral("a.mp3"), QStringLiteral("generation_type"),
                 QStringLiteral("text-to-speech"))
                 ->type,
        GenerateRequest::Type::Speech);
    QVERIFY(
        !make(QStringLiteral("a.mp3"), QStringLiteral("generation_type"), QStringLiteral("image")));
    QVERIFY(
        !make(QStringLiteral("a.txt"), QStringLiteral("generation_type"), QStringLiteral("video")));
}

QTEST_GUILESS_MAIN(TestFileModels)
#include "tst_filemodels.moc"
