// The local runner (server/services/localrunner.cpp behind POST /v1/pipelines/{id}/trigger):
// real commands run by a real server, stage by stage, with logs readable while they run,
// cancel and timeouts that end the whole process group, one run at a time, no shell and no
// server secrets unless asked, and runs cut short by a crash marked as failed at the next
// start.
#include "eventclient.h"
#include "factories.h"
#include "testserver.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace Outpost::Test;

namespace {

const QString kJwtSecret = QStringLiteral("a-test-jwt-secret-that-is-long-enough-0123456789");

QStringList conclusions(const QJsonObject &run)
{
    QStringList list;
    for (const auto &stage : run.value(QStringLiteral("stages")).toArray())
        list.append(stage.toObject().value(QStringLiteral("conclusion")).toString());
    return list;
}

bool processExists(qint64 pid)
{
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno != ESRCH);
}

} // namespace

class TestLocalRunner final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    Account m_user;

    qint64 createLocal(TestServer &server, const Account &admin, const QString &definition)
    {
        static int serial = 0;
        const HttpResult created = post(server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("local %1").arg(++serial)},
                {QStringLiteral("source"), QStringLiteral("local")},
                {QStringLiteral("definition"), definition}},
            admin.auth());
        if (created.status != 201)
            qWarning() << "create:" << created.status << created.body;
        return idOf(created);
    }

    qint64 trigger(TestServer &server, const Account &admin, qint64 pipeline)
    {
        const HttpResult started = post(
            server, QStringLiteral("/v1/pipelines/%1/trigger").arg(pipeline), {}, admin.auth());
        if (started.status != 202)
            qWarning() << "trigger:" << started.status << started.body;
        return idOf(started);
    }

    QJsonObject run(qint64 id, TestServer *server = nullptr)
    {
        return objectOf(get(
            server ? *server : m_server, QStringLiteral("/v1/runs/%1").arg(id), m_admin.auth()));
    }

    QByteArray log(qint64 id)
    {
        return get(m_server, QStringLiteral("/v1/runs/%1/log").arg(id), m_user.auth()).body;
    }

    bool waitForCompletion(qint64 id, int timeoutMs = 20'000)
    {
        return QTest::qWaitFor(
            [&] { return textOf(run(id), "status") == u"completed"; }, timeoutMs);
    }

    QString workspace(qint64 pipeline) const
    {
        return m_server.dataDir() + QStringLiteral("/workspaces/") + QString::number(pipeline);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.setEnv(QStringLiteral("OUTPOST_LOCAL_RUNNERS"), QStringLiteral("on"));
        m_server.setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), kJwtSecret);
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        m_user = createAccount(m_server);
        QVERIFY(m_user.ok());
    }

    void runsThreeStagesAndStopsAtTheFailingOne()
    {
        const qint64 pipeline = createLocal(m_server, m_admin,
            QStringLiteral(
                "stages:\n"
                "  - name: setup\n    commands: [\"true\"]\n"
                "  - name: print\n    commands:\n      - printf 'line one\\nline two\\n'\n"
                "  - name: check\n    commands: [\"false\", \"echo never\"]\n"));
        QVERIFY(pipeline > 0);
        const HttpResult started = post(
            m_server, QStringLiteral("/v1/pipelines/%1/trigger").arg(pipeline), {}, m_admin.auth());
        QCOMPARE(started.status, 202);
        const qint64 id = idOf(started);
        QCOMPARE(started.header("Location"), QByteArray("/v1/runs/") + QByteArray::number(id));
        QCOMPARE(objectOf(started).value(QStringLiteral("stages")).toArray().size(), 3);
        QVERIFY2(waitForCompletion(id), qPrintable(textOf(run(id), "status")));

        const QJsonObject finished = run(id);
        QCOMPARE(textOf(finished, "conclusion"), QStringLiteral("failure"));
        QCOMPARE(conclusions(finished),
            QStringList(
                {QStringLiteral("success"), QStringLiteral("success"), QStringLiteral("failure")}));
        QVERIFY(finished.value(QStringLiteral("duration_s")).isDouble());
        const QByteArray text = log(id);
        QVERIFY2(text.contains("==> setup\n$ true\n"), text.constData());
        QVERIFY2(
            text.contains("==> print\n$ printf 'line one\\nline two\\n'\nline one\nline two\n"),
            text.constData());
        QVERIFY2(text.contains("==> check\n$ false\n[exit code 1]\n"), text.constData());
        QVERIFY2(!text.contains("never"), text.constData());
        QCOMPARE(textOf(objectOf(get(m_server, QStringLiteral("/v1/pipelines/%1").arg(pipeline),
                                     m_user.auth()))
                            .value(QStringLiteral("last_run"))
                            .toObject(),
                     "conclusion"),
            QStringLiteral("failure"));
    }

    void logFromAnOffsetIsTheRest()
    {
        const qint64 pipeline = createLocal(m_server, m_admin,
            QStringLiteral("stages:\n"
                           "  - name: greet\n    commands: [\"echo grüße aus dem log\"]\n"));
        QVERIFY(pipeline > 0);
        const qint64 id = trigger(m_server, m_admin, pipeline);
        QVERIFY(id > 0);
        QVERIFY(waitForCompletion(id));
        const QByteArray whole = log(id);
        QVERIFY2(whole.contains("grüße aus dem log"), whole.constData());
        const QString path = QStringLiteral("/v1/runs/%1/log?offset=").arg(id);
        const auto from = [&](const QByteArray &offset) {
            return get(m_server, path + QString::fromLatin1(offset), m_user.auth());
        };
        HttpResult rest = from("10");
        QCOMPARE(rest.status, 200);
        QCOMPARE(rest.body, whole.mid(10));
        rest = from(QByteArray::number(whole.size()));
        QCOMPARE(rest.status, 200);
        QCOMPARE(rest.body, QByteArray());
        QCOMPARE(from("0").body, whole);
        OUTPOST_VERIFY_PROBLEM(
            from(QByteArray::number(whole.size() + 1)), 416, "Range Not Satisfiable");
        OUTPOST_VERIFY_PROBLEM(from("-1"), 422, "Unprocessable Content");
        OUTPOST_VERIFY_PROBLEM(from("ten"), 422, "Unprocessable Content");
    }

    void announcesEachStepOnTheEventStream()
    {
        EventClient events;
        QVERIFY(events.subscribe(m_server.port(), m_user.accessToken));

        const qint64 pipeline = createLocal(m_server, m_admin,
            QStringLiteral("stages:\n  - {name: a, commands: [\"true\"]}\n  - {name: b, commands: "
                           "[\"true\"]}\n"));
        const qint64 id = trigger(m_server, m_admin, pipeline);
        QVERIFY(waitForCompletion(id));
        // Runs only: a pipeline's events carry the pipeline's id.
        const auto typesFor = [&events, id] { return events.typesFor(id, QStringLiteral("run.")); };
        // Created; then the run started, each stage started and ended, and the run ended.
        QVERIFY2(QTest::qWaitFor([&] { return typesFor().size() >= 7; }, 5'000),
            qPrintable(events.describe()));
        QCOMPARE(typesFor().first(), QStringLiteral("run.created"));
        QCOMPARE(typesFor().count(QStringLiteral("run.updated")), typesFor().size() - 1);
    }

    void showsTheLogWhileRunningAndCancelsTheWholeGroup()
    {
        const qint64 pipeline = createLocal(m_server, m_admin,
            QStringLiteral("shell: sh\n"
                           "stages:\n"
                           "  - name: long\n    commands:\n"
                           "      - sleep 60 & echo $! > sleep.pid; echo started; wait\n"
                           "  - name: after\n    commands: [\"true\"]\n"));
        const qint64 id = trigger(m_server, m_admin, pipeline);
        QVERIFY(id > 0);
        QVERIFY2(QTest::qWaitFor([&] { return log(id).contains("started\n"); }, 20'000),
            log(id).constData());
        QCOMPARE(textOf(run(id), "status"), QStringLiteral("in_progress"));

        // One run at a time per pipeline.
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/pipelines/%1/trigger").arg(pipeline), {},
                m_admin.auth()),
            409, "Conflict");
        // Only admins cancel.
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/runs/%1/cancel").arg(id), {}, m_user.auth()), 403,
            "Forbidden");

        QFile pidFile(workspace(pipeline) + QStringLiteral("/sleep.pid"));
        QVERIFY(QTest::qWaitFor([&] { return pidFile.exists() && pidFile.size() > 0; }, 5'000));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const qint64 sleepPid = pidFile.readAll().trimmed().toLongLong();
        QVERIFY(processExists(sleepPid));

        QCOMPARE(
            post(m_server, QStringLiteral("/v1/runs/%1/cancel").arg(id), {}, m_admin.auth()).status,
            202);
        QVERIFY(waitForCompletion(id));
        const QJsonObject cancelled = run(id);
        QCOMPARE(textOf(cancelled, "conclusion"), QStringLiteral("cancelled"));
        QCOMPARE(conclusions(cancelled),
            QStringList({QStringLiteral("cancelled"), QStringLiteral("skipped")}));
        QVERIFY2(log(id).contains("[cancelled]"), log(id).constData());
        // The background sleep was in the stage's process group: it is gone too.
        QVERIFY(QTest::qWaitFor([&] { return !processExists(sleepPid); }, 10'000));
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/runs/%1/cancel").arg(id), {}, m_admin.auth()), 409,
            "Conflict");

        // Free again.
        const qint64 next = trigger(m_server, m_admin, pipeline);
        QVERIFY(next > id);
        QCOMPARE(post(m_server, QStringLiteral("/v1/runs/%1/cancel").arg(next), {}, m_admin.auth())
                     .status,
            202);
        QVERIFY(waitForCompletion(next));
    }

    void timesOutAStage()
    {
        const qint64 pipeline = createLocal(m_server, m_admin,
            QStringLiteral("stages:\n"
                           "  - name: slow\n    timeout: 1\n    commands: [\"sleep 60\"]\n"
                           "  - name: never\n    commands: [\"true\"]\n"));
        const qint64 id = trigger(m_server, m_admin, pipeline);
        QVERIFY(waitForCompletion(id));
        const QJsonObject finished = run(id);
        QCOMPARE(textOf(finished, "conclusion"), QStringLiteral("timed_out"));
        QCOMPARE(conclusions(finished),
            QStringList({QStringLiteral("timed_out"), QStringLiteral("skipped")}));
        QVERIFY2(log(id).contains("[timed out after 1 s]"), log(id).constData());
    }

    void runsWithoutAShellOrServerSecrets()
    {
        const qint64 pipeline =
            createLocal(m_server, m_admin, QStringLiteral(R"({"env": {"GREETING": "hello there"},
                "stages": [{"name": "literal", "commands": ["echo $HOME; rm -rf /nonexistent"]},
                           {"name": "env", "commands": ["env"]}]})"));
        const qint64 id = trigger(m_server, m_admin, pipeline);
        QVERIFY(waitForCompletion(id));
        QCOMPARE(textOf(run(id), "conclusion"), QStringLiteral("success"));
        const QByteArray text = log(id);
        // No shell: echo got "$HOME;", "rm", "-rf", "/nonexistent" as arguments.
        QVERIFY2(text.contains("\n$HOME; rm -rf /nonexistent\n"), text.constData());
        QVERIFY2(text.contains("GREETING=hello there\n"), text.constData());
        QVERIFY2(text.contains("OUTPOST_RUN_ID="), text.constData());
        QVERIFY2(!text.contains("OUTPOST_JWT_SECRET"), text.constData());
        QVERIFY2(!text.contains(kJwtSecret.toUtf8()), text.constData());
        QVERIFY2(!text.contains("OUTPOST_LOCAL_RUNNERS"), text.constData());
    }

    void failsAStageThatCannotStart()
    {
        const qint64 pipeline = createLocal(m_server, m_admin,
            QStringLiteral("stages:\n"
                           "  - name: missing\n    commands: [\"no-such-program-outpost\"]\n"
                           "  - name: nodir\n    commands: [\"true\"]\n"));
        const qint64 id = trigger(m_server, m_admin, pipeline);
        QVERIFY(waitForCompletion(id));
        QCOMPARE(conclusions(run(id)),
            QStringList({QStringLiteral("failure"), QStringLiteral("skipped")}));
        QVERIFY2(log(id).contains("[cannot start no-such-program-outpost"), log(id).constData());

        const qint64 other = createLocal(m_server, m_admin,
            QStringLiteral("stages:\n  - name: a\n    working_directory: does/not/exist\n    "
                           "commands: [\"true\"]\n"));
        const qint64 second = trigger(m_server, m_admin, other);
        QVERIFY(waitForCompletion(second));
        QCOMPARE(textOf(run(second), "conclusion"), QStringLiteral("failure"));
        QVERIFY2(log(second).contains("does not exist]"), log(second).constData());
    }

    void refusesWhatCannotRun()
    {
        const qint64 pipeline = createLocal(
            m_server, m_admin, QStringLiteral("stages:\n  - {name: a, commands: [\"true\"]}\n"));
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/pipelines/%1/trigger").arg(pipeline), {},
                m_user.auth()),
            403, "Forbidden");
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/pipelines/999999/trigger"), {}, m_admin.auth()), 404,
            "Not Found");
        const HttpResult api = post(m_server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("api")}}, m_admin.auth());
        const qint64 apiId = idOf(api);
        OUTPOST_VERIFY_PROBLEM(post(m_server, QStringLiteral("/v1/pipelines/%1/trigger").arg(apiId),
                                   {}, m_admin.auth()),
            422, "Unprocessable Content");
        QCOMPARE(objectOf(get(m_server, QStringLiteral("/v1/pipelines/%1/runs").arg(apiId),
                              m_admin.auth()))
                     .value(QStringLiteral("total"))
                     .toInteger(),
            0);
    }

    void aStoppingServerCancelsItsRuns()
    {
        TestServer server;
        server.setEnv(QStringLiteral("OUTPOST_LOCAL_RUNNERS"), QStringLiteral("on"));
        server.setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), kJwtSecret);
        QVERIFY2(server.start(), qPrintable(server.lastError()));
        const Account admin = createAdmin(server);
        QVERIFY(admin.ok());
        const qint64 pipeline = createLocal(server, admin,
            QStringLiteral(
                "shell: sh\nstages:\n  - name: long\n    commands: [\"echo started; sleep 60\"]\n"
                "  - name: next\n    commands: [\"true\"]\n"));
        const qint64 id = trigger(server, admin, pipeline);
        QVERIFY(id > 0);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return get(server, QStringLiteral("/v1/runs/%1/log").arg(id), admin.auth())
                    .body.contains("started");
            },
            20'000));
        QCOMPARE(server.stop(), 0); // SIGTERM: drains, and the runner ends its runs

        TestServer again;
        again.setEnv(QStringLiteral("OUTPOST_LOCAL_RUNNERS"), QStringLiteral("on"));
        again.setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), kJwtSecret);
        again.setArguments({QStringLiteral("--data-dir"), server.dataDir()});
        QVERIFY2(again.start(), qPrintable(again.lastError()));
        const QJsonObject finished =
            objectOf(get(again, QStringLiteral("/v1/runs/%1").arg(id), admin.auth()));
        QCOMPARE(textOf(finished, "status"), QStringLiteral("completed"));
        QCOMPARE(textOf(finished, "conclusion"), QStringLiteral("cancelled"));
        QCOMPARE(textOf(finished, "note"), QStringLiteral("the server stopped"));
        QCOMPARE(conclusions(finished),
            QStringList({QStringLiteral("cancelled"), QStringLiteral("skipped")}));
        QVERIFY(get(again, QStringLiteral("/v1/runs/%1/log").arg(id), admin.auth())
                    .body.contains("[the server stopped]"));
    }

    void marksRunsCutShortByACrashAsFailed()
    {
        TestServer first;
        first.setEnv(QStringLiteral("OUTPOST_LOCAL_RUNNERS"), QStringLiteral("on"));
        first.setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), kJwtSecret);
        QVERIFY2(first.start(), qPrintable(first.lastError()));
        const Account admin = createAdmin(first);
        QVERIFY(admin.ok());
        const qint64 pipeline = createLocal(first, admin,
            QStringLiteral(
                "shell: sh\nstages:\n  - name: long\n    commands: [\"echo started; sleep 5\"]\n"));
        const qint64 id = trigger(first, admin, pipeline);
        QVERIFY(id > 0);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return get(first, QStringLiteral("/v1/runs/%1/log").arg(id), admin.auth())
                    .body.contains("started");
            },
            20'000));
        ::kill(pid_t(first.pid()), SIGKILL); // no chance to clean up
        QVERIFY(QTest::qWaitFor([&] { return !first.isRunning(); }, 10'000));

        TestServer second;
        second.setEnv(QStringLiteral("OUTPOST_LOCAL_RUNNERS"), QStringLiteral("on"));
        second.setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), kJwtSecret);
        second.setArguments({QStringLiteral("--data-dir"), first.dataDir()});
        QVERIFY2(second.start(), qPrintable(second.lastError()));
        const HttpResult after = get(second, QStringLiteral("/v1/runs/%1").arg(id), admin.auth());
        QCOMPARE(after.status, 200);
        const QJsonObject finished = objectOf(after);
        QCOMPARE(textOf(finished, "status"), QStringLiteral("completed"));
        QCOMPARE(textOf(finished, "conclusion"), QStringLiteral("failure"));
        QVERIFY2(textOf(finished, "note").contains(QStringLiteral("interrupted")),
            qPrintable(textOf(finished, "note")));
        QCOMPARE(conclusions(finished), QStringList {QStringLiteral("failure")});
    }
};

QTEST_GUILESS_MAIN(TestLocalRunner)
#include "tst_localrunner.moc"
