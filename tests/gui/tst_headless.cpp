// `outpost --headless` serves the API like `outpost-server serve`, with no display at all.
#include "factories.h"
#include "testserver.h"

#include <QTest>

using namespace Outpost::Test;

class TestHeadless final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesTheApiWithoutAWindow()
    {
        // TestServer starts OUTPOST_SERVER_BIN with "serve --listen ... --data-dir ...".
        qputenv("OUTPOST_SERVER_BIN", QByteArrayLiteral(OUTPOST_APP_BIN));
        qunsetenv("DISPLAY");
        qunsetenv("WAYLAND_DISPLAY");
        qunsetenv("QT_QPA_PLATFORM");
        TestServer server;
        server.setArguments({QStringLiteral("--headless")});
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        QCOMPARE(get(server, QStringLiteral("/healthz")).status, 200);
        const Account admin = createAdmin(server);
        QVERIFY(admin.ok());
        QVERIFY(createPost(server, admin, QStringLiteral("served headless")) > 0);
        QCOMPARE(server.stop(), 0); // SIGTERM drains and exits 0
    }

    void rejectsOtherCommands()
    {
        QProcess process;
        process.start(QStringLiteral(OUTPOST_APP_BIN),
            {QStringLiteral("--headless"), QStringLiteral("migrate")});
        QVERIFY(process.waitForFinished(30'000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("outpost-server"));
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
