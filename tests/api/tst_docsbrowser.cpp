// /docs in a real browser: Debian's headless Chromium, driven by tests/docs/docs-browser.mjs
// (playwright-core from tools/node_modules), loads Swagger UI under its Content-Security-Policy
// and runs "Try it out" + "Execute" on GET /healthz.
#include "testserver.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Outpost::Test;

class TestDocsBrowser final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void swaggerUiWorksUnderItsPolicy();
};

void TestDocsBrowser::swaggerUiWorksUnderItsPolicy()
{
    const QString source = qEnvironmentVariable("OUTPOST_SOURCE_DIR");
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString chromium =
        qEnvironmentVariable("OUTPOST_CHROMIUM", QStringLiteral("/usr/bin/chromium"));
    // Installed by `make deps` (Debian's chromium and nodejs, playwright-core in tools/).
    if (node.isEmpty() || !QFileInfo(chromium).isExecutable()
        || !QFileInfo::exists(source + QStringLiteral("/tools/node_modules/playwright-core")))
        QSKIP("needs node, chromium and tools/node_modules/playwright-core (make deps)");

    TestServer server;
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    QTemporaryDir profile; // a fresh --user-data-dir
    QVERIFY(profile.isValid());
    const QString screenshot = QDir::current().absoluteFilePath(QStringLiteral("docs-browser.png"));
    QFile::remove(screenshot);

    QProcess browser;
    browser.setProcessChannelMode(QProcess::MergedChannels);
    browser.start(node,
        {source + QStringLiteral("/tests/docs/docs-browser.mjs"),
            server.url().toString(QUrl::StripTrailingSlash), screenshot, profile.path()});
    QVERIFY(browser.waitForStarted());
    QVERIFY2(browser.waitForFinished(180'000), "the browser check did not finish in 3 minutes");
    const QByteArray output = browser.readAll();
    QVERIFY2(browser.exitStatus() == QProcess::NormalExit && browser.exitCode() == 0,
        output.constData());
    QVERIFY(QFileInfo(screenshot).size() > 10'000);
}

QTEST_GUILESS_MAIN(TestDocsBrowser)
#include "tst_docsbrowser.moc"
