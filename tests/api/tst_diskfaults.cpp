// Disk faults (issue 18): a real outpost-server runs under libfiu's fiu-run, and fiu-ctrl makes
// its fsync, pwrite, open and rename calls fail with EIO or ENOSPC for a while, as a failing or
// full disk would, while clients create posts, vote and write files. Every request that fails
// must get a 503 (EIO) or 507 (ENOSPC) problem document, never a 500 and never a hang; nothing
// half-written may become visible; /readyz must say so while it lasts; and once the faults stop
// the same process must serve normally again.
#include "factories.h"
#include "testserver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cerrno>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace Outpost::Test;

namespace {

constexpr int kWorkers = 4;
constexpr int kRequestTimeoutMs = 10'000; // a request that takes longer counts as a hang
constexpr int kPhaseTimeoutMs = 15'000;
const char *const kPreload = "/usr/lib/fiu/fiu_posix_preload.so";

bool inCi()
{
    return qgetenv("CI") == "true";
}

// Whether `result` is a problem document with `status` and the title that goes with it, with no
// file system path in it; empty if so, else what is wrong.
QByteArray badProblem(const HttpResult &result, const QString &dataDir)
{
    const QJsonObject body = result.json().object();
    const QString title = result.status == 507 ? QStringLiteral("Insufficient Storage")
                                               : QStringLiteral("Service Unavailable");
    if (!result.header("Content-Type").startsWith("application/problem+json")
        || body.value(QStringLiteral("status")).toInt() != result.status
        || body.value(QStringLiteral("title")).toString() != title
        || body.value(QStringLiteral("detail")).toString().isEmpty()
        || result.body.contains(dataDir.toUtf8()))
        return "not a clean problem document: " + result.body;
    return {};
}

// The files the file store left in its tmp/ directory.
QStringList tempFiles(const QString &dataDir)
{
    return QDir(dataDir + QStringLiteral("/files/tmp"))
        .entryList(QDir::Files | QDir::Hidden | QDir::System);
}

// Counters the workers share with the test's main thread.
struct Tally
{
    std::atomic<int> successes {0};
    std::atomic<int> failures503 {0};
    std::atomic<int> failures507 {0};
    std::atomic<int> unexpected {0}; // answers that are neither
};

// One client that keeps writing until told to stop: a post, a vote, a new version of a file of
// its own. It records what the server acknowledged, and every answer that is not a success, a
// clean 503 or a clean 507.
class Worker
{
public:
    Worker(quint16 port, QString dataDir, QByteArray token, QString prefix, qint64 votedPost)
        : m_port(port)
        , m_dataDir(std::move(dataDir))
        , m_auth({{"Authorization", "Bearer " + token}})
        , m_prefix(std::move(prefix))
        , m_votedPost(votedPost)
    { }

    void start(Tally *tally)
    {
        m_thread = std::thread([this, tally] { run(*tally); });
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }

    QString filePath() const { return QStringLiteral("diskfault/%1.bin").arg(m_prefix); }
    int postsWritten() const { return m_postsWritten.load(); }
    int filesWritten() const { return m_filesWritten.load(); }

    // After stop():
    QSet<QString> acknowledgedTitles;
    QSet<QString> failedTitles;
    QByteArray lastFileVersion; // the bytes of the last acknowledged write of filePath()
    QList<QByteArray> unexpected;
    bool voted = false; // whether the acknowledged votes leave a vote on votedPost()
    qint64 votedPost() const { return m_votedPost; }

private:
    // Sorts one answer; true if it was a success.
    bool judge(const char *what, const HttpResult &result, Tally &tally)
    {
        if (result.status >= 200 && result.status < 300)
            return true;
        if (result.status == 503 || result.status == 507) {
            if (const QByteArray bad = badProblem(result, m_dataDir); !bad.isEmpty()) {
                unexpected.append(what + QByteArray(": ") + bad);
                ++tally.unexpected;
            }
            (result.status == 503 ? tally.failures503 : tally.failures507)++;
            return false;
        }
        unexpected.append(what + QByteArray(": status ") + QByteArray::number(result.status)
            + (result.status == 0 ? " (no answer: a hang?)" : "") + ' ' + result.body.left(300));
        ++tally.unexpected;
        return false;
    }

    void run(Tally &tally)
    {
        for (int n = 0; !m_stop; ++n) {
            const QString title = QStringLiteral("%1-post-%2").arg(m_prefix).arg(n);
            const QJsonObject post {{QStringLiteral("title"), title},
                {QStringLiteral("content"), QStringLiteral("written while the disk fails")}};
            const HttpResult created = httpRequestFrom(QHostAddress(), m_port, "POST", "/v1/posts",
                jsonBytes(post), m_auth, kRequestTimeoutMs);
            if (judge("create a post", created, tally)) {
                acknowledgedTitles.insert(title);
                ++m_postsWritten;
                ++tally.successes;
            } else {
                failedTitles.insert(title);
            }

            // Vote, or take the vote back: a failed change must not have happened, or the
            // next one would be a 409.
            const QJsonObject vote {
                {QStringLiteral("post_id"), m_votedPost}, {QStringLiteral("dir"), voted ? 0 : 1}};
            const HttpResult answer = httpRequestFrom(QHostAddress(), m_port, "POST", "/v1/vote",
                jsonBytes(vote), m_auth, kRequestTimeoutMs);
            if (judge("vote", answer, tally)) {
                voted = !voted;
                ++tally.successes;
            }

            // 16 KiB that differ in every version.
            QByteArray version = (m_prefix + QStringLiteral(" version %1 ").arg(n)).toUtf8();
            version = version.repeated(16 * 1024 / version.size() + 1).left(16 * 1024);
            const QByteArray target = "/v1/files/" + filePath().toUtf8();
            Headers headers = m_auth;
            headers.insert("Content-Type", "application/octet-stream");
            const HttpResult written = httpRequestFrom(
                QHostAddress(), m_port, "PUT", target, version, headers, kRequestTimeoutMs);
            if (judge("write a file", written, tally)) {
                lastFileVersion = version;
                ++m_filesWritten;
                ++tally.successes;
            }
        }
    }

    const quint16 m_port;
    const QString m_dataDir;
    const Headers m_auth;
    const QString m_prefix;
    const qint64 m_votedPost;
    std::atomic<bool> m_stop {false};
    std::atomic<int> m_postsWritten {0};
    std::atomic<int> m_filesWritten {0};
    std::thread m_thread;
};

// Waits, polling, until `condition` holds or `timeoutMs` passes.
template<typename Condition> bool waitUntil(Condition condition, int timeoutMs = kPhaseTimeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(20);
    }
    return true;
}

} // namespace

class TestDiskFaults final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void writesFailCleanlyAndServingRecovers_data();
    void writesFailCleanlyAndServingRecovers();
    void fullDiskDuringUploadAnswers507AndLeavesNoTempFile();

private:
    // fiu-ctrl -c COMMAND on the server; false (with the reason in m_fiuError) if it failed.
    bool fiu(const QString &command);
    bool enable(const QStringList &failpoints, int errnoValue, double probability = 1.0);
    void disableAll();
    int readyzStatus(QJsonObject *checks = nullptr);
    // All posts' titles that start with `prefix` (read page by page).
    QSet<QString> listedTitles(const QString &prefix);

    QString m_fiuCtrl;
    QTemporaryDir m_fifoDir;
    QString m_fiuError;
    std::unique_ptr<TestServer> m_server;
    Account m_user;
    QStringList m_enabled;
};

void TestDiskFaults::initTestCase()
{
    const QString fiuRun = QStandardPaths::findExecutable(QStringLiteral("fiu-run"));
    m_fiuCtrl = QStandardPaths::findExecutable(QStringLiteral("fiu-ctrl"));
    if (fiuRun.isEmpty() || m_fiuCtrl.isEmpty() || !QFile::exists(QLatin1String(kPreload))) {
        const char *why = "libfiu is missing: fiu-run, fiu-ctrl (Debian fiu-utils) and "
                          "/usr/lib/fiu/fiu_posix_preload.so (libfiu0); make deps installs them";
        if (inCi())
            QFAIL(why);
        QSKIP(why);
    }
    QVERIFY(m_fifoDir.isValid());
    m_server = std::make_unique<TestServer>();
    // -x: the POSIX preload library (fsync, pwrite, open, rename ...); -f: control FIFOs here.
    m_server->setLauncher({fiuRun, QStringLiteral("-x"), QStringLiteral("-f"),
        m_fifoDir.filePath(QStringLiteral("fiu"))});
    // The shortest window /readyz allows, so the suite need not wait long for recovery.
    m_server->setEnv(QStringLiteral("OUTPOST_READY_DISK_ERROR_WINDOW"), QStringLiteral("1"));
    QVERIFY2(m_server->start(), qPrintable(m_server->lastError()));
    // The control FIFO shows the preload library is in the server process.
    QVERIFY2(QFile::exists(m_fifoDir.filePath(QStringLiteral("fiu-%1.in").arg(m_server->pid()))),
        "fiu-run started the server without its control FIFO");
    m_user = createAccount(*m_server);
    QVERIFY(m_user.ok());
    QCOMPARE(readyzStatus(), 200);
}

void TestDiskFaults::cleanup()
{
    disableAll(); // a failed test must not leave the disk failing for the next one
}

bool TestDiskFaults::fiu(const QString &command)
{
    QProcess ctrl;
    ctrl.setProcessChannelMode(QProcess::MergedChannels);
    ctrl.start(m_fiuCtrl,
        {QStringLiteral("-f"), m_fifoDir.filePath(QStringLiteral("fiu")), QStringLiteral("-c"),
            command, QString::number(m_server->pid())});
    if (!ctrl.waitForFinished(10'000)) {
        ctrl.kill();
        ctrl.waitForFinished();
        m_fiuError = QStringLiteral("fiu-ctrl did not finish: ") + command;
        return false;
    }
    const QByteArray output = ctrl.readAll();
    // fiu-ctrl exits 0 even when the command fails; it says so on its output.
    if (ctrl.exitCode() != 0 || !output.trimmed().isEmpty()) {
        m_fiuError = QStringLiteral("fiu-ctrl %1: %2").arg(command, QString::fromUtf8(output));
        return false;
    }
    return true;
}

bool TestDiskFaults::enable(const QStringList &failpoints, int errnoValue, double probability)
{
    for (const QString &name : failpoints) {
        // failinfo is the errno the failing call sets; without it libfiu picks one at random.
        const QString command = probability >= 1.0
            ? QStringLiteral("enable name=%1,failinfo=%2").arg(name).arg(errnoValue)
            : QStringLiteral("enable_random name=%1,probability=%2,failinfo=%3")
                  .arg(name)
                  .arg(probability)
                  .arg(errnoValue);
        if (!fiu(command))
            return false;
        m_enabled.append(name);
    }
    return true;
}

void TestDiskFaults::disableAll()
{
    if (!m_server)
        return;
    for (const QString &name : std::as_const(m_enabled))
        fiu(QStringLiteral("disable name=%1").arg(name));
    m_enabled.clear();
}

int TestDiskFaults::readyzStatus(QJsonObject *checks)
{
    const HttpResult result = httpRequest("GET", m_server->url(QStringLiteral("/readyz")));
    if (checks)
        *checks = result.json().object().value(QStringLiteral("checks")).toObject();
    return result.status;
}

QSet<QString> TestDiskFaults::listedTitles(const QString &prefix)
{
    QSet<QString> titles;
    for (int skip = 0;; skip += 100) {
        const HttpResult page =
            get(*m_server, QStringLiteral("/v1/posts?limit=100&skip=%1").arg(skip), m_user.auth());
        if (page.status != 200)
            return {QStringLiteral("<listing failed: %1>").arg(page.status)};
        const QJsonArray items = itemsOf(page);
        for (const QJsonValue &item : items) {
            const QString title = item.toObject().value(QStringLiteral("title")).toString();
            if (title.startsWith(prefix))
                titles.insert(title);
        }
        if (items.size() < 100)
            return titles;
    }
}

void TestDiskFaults::writesFailCleanlyAndServingRecovers_data()
{
    QTest::addColumn<QStringList>("failpoints");
    QTest::addColumn<int>("errnoValue");
    QTest::addColumn<double>("probability");
    QTest::addColumn<int>("expected");

    // SQLite writes its WAL with pwrite; the file store creates temporary files with open,
    // makes them durable with fsync and puts them in place with rename. Some faults hit only
    // some calls (probability), so that failures and successes mix in the same batches.
    const QString pwrite = QStringLiteral("posix/io/rw/pwrite");
    const QStringList sync {
        QStringLiteral("posix/io/sync/fsync"), QStringLiteral("posix/io/sync/fdatasync")};
    const QString open = QStringLiteral("posix/io/oc/open");
    const QString rename = QStringLiteral("posix/io/dir/rename");
    QTest::newRow("pwrite EIO") << QStringList {pwrite} << EIO << 0.5 << 503;
    QTest::newRow("pwrite ENOSPC") << QStringList {pwrite} << ENOSPC << 0.5 << 507;
    QTest::newRow("fsync EIO") << sync << EIO << 1.0 << 503;
    QTest::newRow("fsync ENOSPC") << sync << ENOSPC << 0.5 << 507;
    QTest::newRow("open EIO") << QStringList {open} << EIO << 0.5 << 503;
    QTest::newRow("open ENOSPC") << QStringList {open} << ENOSPC << 1.0 << 507;
    QTest::newRow("rename EIO") << QStringList {rename} << EIO << 1.0 << 503;
    QTest::newRow("rename ENOSPC") << QStringList {rename} << ENOSPC << 0.5 << 507;
}

void TestDiskFaults::writesFailCleanlyAndServingRecovers()
{
    QFETCH(QStringList, failpoints);
    QFETCH(int, errnoValue);
    QFETCH(double, probability);
    QFETCH(int, expected);

    const QString row = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < kWorkers; ++i) {
        const qint64 votedPost = createPost(*m_server, m_user, QStringLiteral("voted on"));
        QVERIFY(votedPost > 0);
        workers.push_back(std::make_unique<Worker>(m_server->port(), m_server->dataDir(),
            m_user.accessToken, QStringLiteral("%1-w%2").arg(row).arg(i), votedPost));
    }
    Tally tally;
    auto stopWorkers = qScopeGuard([&] {
        disableAll();
        for (auto &worker : workers)
            worker->stop();
    });
    for (auto &worker : workers)
        worker->start(&tally);

    // Under load, then the disk fails.
    QVERIFY2(waitUntil([&] { return tally.successes >= 3 * kWorkers; }), "no load");
    QVERIFY2(enable(failpoints, errnoValue, probability), qPrintable(m_fiuError));
    std::atomic<int> &failures = expected == 507 ? tally.failures507 : tally.failures503;
    const bool failed = waitUntil([&] { return failures >= 3 || tally.unexpected > 0; });
    if (tally.unexpected > 0) { // a 500 or a hang: show it now rather than after the timeout
        stopWorkers.dismiss();
        disableAll();
        QByteArrayList answers;
        for (auto &worker : workers) {
            worker->stop();
            answers += worker->unexpected;
        }
        QVERIFY2(answers.isEmpty(), answers.join('\n').constData());
    }
    QVERIFY2(failed,
        qPrintable(QStringLiteral("no request failed with %1 (503: %2, 507: %3)")
                       .arg(expected)
                       .arg(tally.failures503.load())
                       .arg(tally.failures507.load())));
    // While it lasts, /readyz says the replica is in trouble, and why.
    QJsonObject checks;
    QTRY_VERIFY_WITH_TIMEOUT(readyzStatus(&checks) == 503, kPhaseTimeoutMs);
    const QString disk = checks.value(QStringLiteral("disk")).toString();
    const QString store = checks.value(QStringLiteral("file_store")).toString();
    QVERIFY2(disk.startsWith(u"disk errors in the last")
            || store.startsWith(u"the data directory is not writable"),
        QJsonDocument(checks).toJson(QJsonDocument::Compact).constData());

    // The disk is back: the same process serves again, /readyz first.
    disableAll();
    QTRY_COMPARE_WITH_TIMEOUT(readyzStatus(&checks), 200, kPhaseTimeoutMs);
    std::vector<std::pair<int, int>> before;
    for (const auto &worker : workers)
        before.emplace_back(worker->postsWritten(), worker->filesWritten());
    QVERIFY2(waitUntil([&] {
        for (size_t i = 0; i < workers.size(); ++i) {
            if (workers[i]->postsWritten() < before[i].first + 2
                || workers[i]->filesWritten() < before[i].second + 2)
                return false;
        }
        return true;
    }),
        "some client did not write successfully after the faults stopped");
    stopWorkers.dismiss();
    for (auto &worker : workers)
        worker->stop();

    qInfo("%d writes acknowledged, %d answered 503, %d answered 507", tally.successes.load(),
        tally.failures503.load(), tally.failures507.load());
    // Every answer was a success or a clean 503/507: no 500, no hang.
    for (const auto &worker : workers)
        QVERIFY2(worker->unexpected.isEmpty(), worker->unexpected.join("\n").constData());
    // EIO is transient: 503, never "full".
    if (expected == 503)
        QCOMPARE(tally.failures507.load(), 0);

    // Nothing half-written is visible: exactly the acknowledged posts are listed ...
    QSet<QString> acknowledged;
    for (const auto &worker : workers)
        acknowledged += worker->acknowledgedTitles;
    const QSet<QString> listed = listedTitles(row + QStringLiteral("-w"));
    const QSet<QString> missing = acknowledged - listed;
    const QSet<QString> extra = listed - acknowledged;
    QVERIFY2(missing.isEmpty(),
        qPrintable(QStringLiteral("acknowledged but not listed: ") + missing.values().join(u' ')));
    QVERIFY2(extra.isEmpty(),
        qPrintable(QStringLiteral("failed but listed: ") + extra.values().join(u' ')));
    // ... each file holds the last version whose write was acknowledged, whole ...
    for (const auto &worker : workers) {
        QVERIFY(!worker->lastFileVersion.isEmpty());
        const QString path = QStringLiteral("/v1/files/") + worker->filePath();
        const HttpResult file = get(*m_server, path, m_user.auth());
        QCOMPARE(file.status, 200);
        QCOMPARE(sha256Hex(file.body), sha256Hex(worker->lastFileVersion));
        QCOMPARE(file.body, worker->lastFileVersion);
    }
    // ... each vote count is that of the acknowledged votes ...
    for (const auto &worker : workers) {
        const HttpResult post = get(*m_server, postPath(worker->votedPost()), m_user.auth());
        QCOMPARE(post.status, 200);
        QCOMPARE(objectOf(post).value(QStringLiteral("votes")).toInt(), worker->voted ? 1 : 0);
    }
    // ... and no temporary file is left in the file store.
    QVERIFY2(tempFiles(m_server->dataDir()).isEmpty(),
        qPrintable(tempFiles(m_server->dataDir()).join(u' ')));
    QVERIFY(m_server->isRunning());
}

void TestDiskFaults::fullDiskDuringUploadAnswers507AndLeavesNoTempFile()
{
    const QString path = QStringLiteral("diskfault/upload.bin");
    const QString filePath = QStringLiteral("/v1/files/") + path;
    const auto putFile = [&](const QByteArray &bytes) {
        return httpRequest("PUT", m_server->url(filePath), bytes,
            m_user.auth({{"Content-Type", "application/octet-stream"}}));
    };
    const QByteArray oldVersion = QByteArray("old version ").repeated(5000);
    QCOMPARE(putFile(oldVersion).status, 201);
    const auto oldVersionIntact = [&] {
        const HttpResult file = get(*m_server, filePath, m_user.auth());
        return file.status == 200 && sha256Hex(file.body) == sha256Hex(oldVersion);
    };

    // A chunked upload that replaces it.
    const QByteArray newVersion = QByteArray("new version ").repeated(6000);
    const HttpResult created = post(*m_server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), path}, {QStringLiteral("size"), newVersion.size()}},
        m_user.auth());
    QCOMPARE(created.status, 201);
    const QString id = textOf(objectOf(created), "id");
    QVERIFY(!id.isEmpty());
    const QString partPath = QStringLiteral("/v1/uploads/%1/parts/1").arg(id);
    const QString completePath = QStringLiteral("/v1/uploads/%1/complete").arg(id);
    const auto putPart = [&] {
        return httpRequest("PUT", m_server->url(partPath), newVersion,
            m_user.auth({{"Content-Type", "application/octet-stream"}}));
    };
    const auto expect507 = [&](const HttpResult &result) {
        OUTPOST_VERIFY_PROBLEM(result, 507, "Insufficient Storage");
        QVERIFY2(!result.body.contains(m_server->dataDir().toUtf8()), result.body.constData());
        QVERIFY2(tempFiles(m_server->dataDir()).isEmpty(),
            qPrintable(tempFiles(m_server->dataDir()).join(u' ')));
        QVERIFY(oldVersionIntact());
    };

    // The disk fills while a part is written: its temporary file was made, its fsync fails.
    QVERIFY2(enable({QStringLiteral("posix/io/sync/fsync")}, ENOSPC), qPrintable(m_fiuError));
    expect507(putPart());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(readyzStatus(), 503);
    disableAll();
    // The part was not taken: completing now is a conflict, not a half-written file.
    OUTPOST_VERIFY_PROBLEM(post(*m_server, completePath, {}, m_user.auth()), 409, "Conflict");
    QCOMPARE(putPart().status, 204);

    // The disk fills while the parts are assembled: once at the fsync, once at the rename.
    for (const QString &failpoint :
        {QStringLiteral("posix/io/sync/fsync"), QStringLiteral("posix/io/dir/rename")}) {
        QVERIFY2(enable({failpoint}, ENOSPC), qPrintable(m_fiuError));
        expect507(post(*m_server, completePath, {}, m_user.auth()));
        if (QTest::currentTestFailed())
            return;
        disableAll();
    }

    // The disk is back: the upload completes from the parts it kept, without a restart.
    QTRY_COMPARE_WITH_TIMEOUT(readyzStatus(), 200, kPhaseTimeoutMs);
    const HttpResult completed = post(*m_server, completePath, {}, m_user.auth());
    QCOMPARE(completed.status, 200);
    const HttpResult file = get(*m_server, filePath, m_user.auth());
    QCOMPARE(file.status, 200);
    QCOMPARE(sha256Hex(file.body), sha256Hex(newVersion));
    QVERIFY(tempFiles(m_server->dataDir()).isEmpty());
    // Counted for the alert (packaging/prometheus/alerts.yml): the part and the two completes.
    const HttpResult metrics = get(*m_server, QStringLiteral("/metrics"));
    QCOMPARE(metrics.status, 200);
    QVERIFY(metricValue(metrics.body, "outpost_disk_errors_total") >= 3);
}

QTEST_GUILESS_MAIN(TestDiskFaults)
#include "tst_diskfaults.moc"
