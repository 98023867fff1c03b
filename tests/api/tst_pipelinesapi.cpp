// Pipelines and the reporting API (server/api/pipelinesapi.cpp): creating pipelines,
// reporting and updating runs as any CI would (admin or a pipelines:write API key), reading
// them back, bad input that changes nothing, retention of the newest runs, and run.* events
// on /v1/events.
#include "eventclient.h"
#include "factories.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Outpost::Test;

namespace {

// The value under a "/"-separated path of object keys ("components/schemas").
QJsonValue valueAt(const QJsonObject &root, const QString &path)
{
    QJsonValue value = root;
    for (const QString &key : path.split(u'/'))
        value = value.toObject().value(key);
    return value;
}

QJsonObject stageNamed(const QJsonObject &run, const QString &name)
{
    for (const auto &stage : run.value(QStringLiteral("stages")).toArray()) {
        if (stage.toObject().value(QStringLiteral("name")).toString() == name)
            return stage.toObject();
    }
    return {};
}

} // namespace

class TestPipelinesApi final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    Account m_user;
    QByteArray m_key; // pipelines:write

    qint64 createPipeline(const QString &name)
    {
        const HttpResult created = post(m_server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), name},
                {QStringLiteral("repository"), QStringLiteral("acme/shop")}},
            m_admin.auth());
        if (created.status != 201)
            qWarning() << "create pipeline:" << created.status << created.body;
        return idOf(created);
    }

    QString runsPath(qint64 pipelineId) const
    {
        return QStringLiteral("/v1/pipelines/%1/runs").arg(pipelineId);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.setEnv(QStringLiteral("OUTPOST_RUN_RETENTION"), QStringLiteral("3"));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        m_user = createAccount(m_server);
        QVERIFY(m_user.ok());
        const HttpResult key = post(m_server, QStringLiteral("/v1/api-keys"),
            {{QStringLiteral("name"), QStringLiteral("ci")},
                {QStringLiteral("scopes"), QJsonArray {QStringLiteral("pipelines:write")}}},
            m_admin.auth());
        QCOMPARE(key.status, 201);
        m_key = textOf(objectOf(key), "key").toLatin1();
    }

    void createsAndListsPipelines()
    {
        const HttpResult created = post(m_server, QStringLiteral("/v1/pipelines"),
            {{QStringLiteral("name"), QStringLiteral("deploy")},
                {QStringLiteral("repository"), QStringLiteral("acme/api")}},
            m_admin.auth());
        QCOMPARE(created.status, 201);
        const qint64 id = idOf(created);
        QCOMPARE(created.header("Location"), QByteArray("/v1/pipelines/") + QByteArray::number(id));
        QCOMPARE(textOf(objectOf(created), "source"), QStringLiteral("api"));
        QVERIFY(objectOf(created).value(QStringLiteral("last_run")).isNull());

        const HttpResult list = get(m_server, QStringLiteral("/v1/pipelines"), m_user.auth());
        QCOMPARE(list.status, 200);
        const QJsonObject page = objectOf(list);
        QCOMPARE(page.value(QStringLiteral("total")).toInteger(), 1);
        QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 10);
        const QJsonObject first = page.value(QStringLiteral("items")).toArray().first().toObject();
        QCOMPARE(textOf(first, "name"), QStringLiteral("deploy"));
        QCOMPARE(textOf(first, "repository"), QStringLiteral("acme/api"));
        QCOMPARE(
            get(m_server, QStringLiteral("/v1/pipelines/%1").arg(id), m_user.auth()).status, 200);
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/pipelines/999999"), m_user.auth()), 404, "Not Found");
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/pipelines?limit=101"), m_user.auth()), 422,
            "Unprocessable Content");
        OUTPOST_VERIFY_PROBLEM(get(m_server, QStringLiteral("/v1/pipelines")), 401, "Unauthorized");
    }

    void onlyAdminsCreatePipelines()
    {
        const QJsonObject body {{QStringLiteral("name"), QStringLiteral("mine")}};
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/pipelines"), body, m_user.auth()), 403, "Forbidden");
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, QStringLiteral("/v1/pipelines"), body, bearer(m_key)), 403, "Forbidden");
    }

    void rejectsBadPipelines_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no name") << QJsonObject {} << QStringLiteral("name");
        QTest::newRow("blank name") << QJsonObject {{QStringLiteral("name"), QStringLiteral("  ")}}
                                    << QStringLiteral("name");
        QTest::newRow("github source")
            << QJsonObject {{QStringLiteral("name"), QStringLiteral("x")},
                   {QStringLiteral("source"), QStringLiteral("github")}}
            << QStringLiteral("source");
        QTest::newRow("unknown field")
            << QJsonObject {{QStringLiteral("name"), QStringLiteral("x")},
                   {QStringLiteral("owner"), 1}}
            << QStringLiteral("owner");
        QTest::newRow("local without definition")
            << QJsonObject {{QStringLiteral("name"), QStringLiteral("x")},
                   {QStringLiteral("source"), QStringLiteral("local")}}
            << QStringLiteral("definition");
        QTest::newRow("bad definition")
            << QJsonObject {{QStringLiteral("name"), QStringLiteral("x")},
                   {QStringLiteral("source"), QStringLiteral("local")},
                   {QStringLiteral("definition"), QStringLiteral("stages: [\n")}}
            << QStringLiteral("definition");
    }
    void rejectsBadPipelines()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, field);
        const qint64 before =
            objectOf(get(m_server, QStringLiteral("/v1/pipelines"), m_admin.auth()))
                .value(QStringLiteral("total"))
                .toInteger();
        const HttpResult result =
            post(m_server, QStringLiteral("/v1/pipelines"), body, m_admin.auth());
        OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
        QVERIFY2(errorFields(result).contains(field), result.body.constData());
        QCOMPARE(objectOf(get(m_server, QStringLiteral("/v1/pipelines"), m_admin.auth()))
                     .value(QStringLiteral("total"))
                     .toInteger(),
            before);
    }

    void reportsARunWithAnApiKeyAndUpdatesIt()
    {
        const qint64 pipeline = createPipeline(QStringLiteral("reported"));
        QVERIFY(pipeline > 0);
        const QJsonObject report {{QStringLiteral("run_number"), 41},
            {QStringLiteral("status"), QStringLiteral("in_progress")},
            {QStringLiteral("head_sha"),
                QStringLiteral("0123456789abcdef0123456789abcdef01234567")},
            {QStringLiteral("head_branch"), QStringLiteral("main")},
            {QStringLiteral("html_url"), QStringLiteral("https://ci.example.com/builds/41")},
            {QStringLiteral("started_at"), QStringLiteral("2026-11-22T10:00:00Z")},
            {QStringLiteral("stages"),
                QJsonArray {
                    QJsonObject {{QStringLiteral("name"), QStringLiteral("install")},
                        {QStringLiteral("status"), QStringLiteral("completed")},
                        {QStringLiteral("conclusion"), QStringLiteral("success")},
                        {QStringLiteral("started_at"), QStringLiteral("2026-11-22T10:00:00Z")},
                        {QStringLiteral("finished_at"), QStringLiteral("2026-11-22T10:00:30Z")},
                        {QStringLiteral("log"), QStringLiteral("npm ci\nadded 12 packages\n")}},
                    QJsonObject {{QStringLiteral("name"), QStringLiteral("test")},
                        {QStringLiteral("status"), QStringLiteral("in_progress")}}}}};
        const HttpResult created = post(m_server, runsPath(pipeline), report, bearer(m_key));
        QCOMPARE(created.status, 201);
        const qint64 runId = idOf(created);
        QCOMPARE(created.header("Location"), QByteArray("/v1/runs/") + QByteArray::number(runId));
        QJsonObject run = objectOf(created);
        QCOMPARE(run.value(QStringLiteral("run_number")).toInteger(), 41);
        QCOMPARE(textOf(run, "status"), QStringLiteral("in_progress"));
        QCOMPARE(textOf(run, "head_branch"), QStringLiteral("main"));
        QCOMPARE(textOf(stageNamed(run, QStringLiteral("install")), "conclusion"),
            QStringLiteral("success"));
        QCOMPARE(stageNamed(run, QStringLiteral("install"))
                     .value(QStringLiteral("duration_s"))
                     .toInteger(),
            30);
        QCOMPARE(
            stageNamed(run, QStringLiteral("install")).value(QStringLiteral("has_log")).toBool(),
            true);

        // The end of the job: a PATCH with the conclusion and the last stages.
        const HttpResult patched = patch(m_server, QStringLiteral("/v1/runs/%1").arg(runId),
            {{QStringLiteral("status"), QStringLiteral("completed")},
                {QStringLiteral("conclusion"), QStringLiteral("failure")},
                {QStringLiteral("finished_at"), QStringLiteral("2026-11-22T10:05:00Z")},
                {QStringLiteral("stages"),
                    QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("test")},
                        {QStringLiteral("status"), QStringLiteral("completed")},
                        {QStringLiteral("conclusion"), QStringLiteral("failure")},
                        {QStringLiteral("log"), QStringLiteral("1 failed")}}}}},
            bearer(m_key));
        QCOMPARE(patched.status, 200);
        run = objectOf(get(m_server, QStringLiteral("/v1/runs/%1").arg(runId), m_user.auth()));
        QCOMPARE(textOf(run, "status"), QStringLiteral("completed"));
        QCOMPARE(textOf(run, "conclusion"), QStringLiteral("failure"));
        QCOMPARE(run.value(QStringLiteral("duration_s")).toInteger(), 300);
        QCOMPARE(textOf(stageNamed(run, QStringLiteral("test")), "conclusion"),
            QStringLiteral("failure"));
        QCOMPARE(run.value(QStringLiteral("stages")).toArray().size(), 2);

        const HttpResult log =
            get(m_server, QStringLiteral("/v1/runs/%1/log").arg(runId), m_user.auth());
        QCOMPARE(log.status, 200);
        QVERIFY(log.header("Content-Type").startsWith("text/plain"));
        QCOMPARE(
            log.body, QByteArray("==> install\nnpm ci\nadded 12 packages\n==> test\n1 failed\n"));

        const HttpResult runs = get(m_server, runsPath(pipeline), m_user.auth());
        QCOMPARE(totalOf(runs), 1);
        QCOMPARE(get(m_server, QStringLiteral("/v1/pipelines/%1").arg(pipeline), m_user.auth())
                     .json()
                     .object()
                     .value(QStringLiteral("last_run"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toInteger(),
            runId);
    }

    void numbersRunsAndRefusesATakenNumber()
    {
        const qint64 pipeline = createPipeline(QStringLiteral("numbered"));
        const HttpResult first = post(m_server, runsPath(pipeline), {}, m_admin.auth());
        QCOMPARE(first.status, 201);
        QCOMPARE(objectOf(first).value(QStringLiteral("run_number")).toInteger(), 1);
        QCOMPARE(textOf(objectOf(first), "status"), QStringLiteral("queued"));
        const HttpResult second = post(m_server, runsPath(pipeline), {}, m_admin.auth());
        QCOMPARE(objectOf(second).value(QStringLiteral("run_number")).toInteger(), 2);
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, runsPath(pipeline), {{QStringLiteral("run_number"), 2}}, m_admin.auth()),
            409, "Conflict");
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, runsPath(999999), {}, m_admin.auth()), 404, "Not Found");
    }

    void listShowsEachPipelinesNewestRun()
    {
        const qint64 idle = createPipeline(QStringLiteral("listed idle"));
        const qint64 busy = createPipeline(QStringLiteral("listed busy"));
        const qint64 other = createPipeline(QStringLiteral("listed other"));
        qint64 newestOfBusy = 0;
        for (int i = 0; i < 3; ++i)
            newestOfBusy = idOf(post(m_server, runsPath(busy), {}, m_admin.auth()));
        const qint64 onlyOfOther = idOf(post(m_server, runsPath(other), {}, m_admin.auth()));
        // A run of another pipeline, newer than all of busy's, must not become busy's.
        QVERIFY(onlyOfOther > newestOfBusy);

        const QJsonObject page =
            objectOf(get(m_server, QStringLiteral("/v1/pipelines?limit=100"), m_user.auth()));
        QHash<qint64, QJsonValue> lastRuns;
        for (const QJsonValue item : page.value(QStringLiteral("items")).toArray()) {
            lastRuns.insert(item.toObject().value(QStringLiteral("id")).toInteger(),
                item.toObject().value(QStringLiteral("last_run")));
        }
        QVERIFY(lastRuns.contains(idle));
        QVERIFY(lastRuns.value(idle).isNull());
        const QJsonObject busyRun = lastRuns.value(busy).toObject();
        QCOMPARE(busyRun.value(QStringLiteral("id")).toInteger(), newestOfBusy);
        QCOMPARE(busyRun.value(QStringLiteral("run_number")).toInteger(), 3);
        QCOMPARE(busyRun.value(QStringLiteral("pipeline_id")).toInteger(), busy);
        QCOMPARE(
            lastRuns.value(other).toObject().value(QStringLiteral("id")).toInteger(), onlyOfOther);
    }

    void rejectsBadReportsAndChangesNothing_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("field");
        const auto stage = [](const QJsonObject &fields) { return QJsonArray {fields}; };
        QTest::newRow("status") << QJsonObject {{QStringLiteral("status"), QStringLiteral("done")}}
                                << QStringLiteral("status");
        QTest::newRow("conclusion")
            << QJsonObject {{QStringLiteral("status"), QStringLiteral("completed")},
                   {QStringLiteral("conclusion"), QStringLiteral("ok")}}
            << QStringLiteral("conclusion");
        QTest::newRow("conclusion while running")
            << QJsonObject {{QStringLiteral("status"), QStringLiteral("in_progress")},
                   {QStringLiteral("conclusion"), QStringLiteral("success")}}
            << QStringLiteral("conclusion");
        QTest::newRow("completed without conclusion")
            << QJsonObject {{QStringLiteral("status"), QStringLiteral("completed")}}
            << QStringLiteral("conclusion");
        QTest::newRow("run_number")
            << QJsonObject {{QStringLiteral("run_number"), 0}} << QStringLiteral("run_number");
        QTest::newRow("run_number text")
            << QJsonObject {{QStringLiteral("run_number"), QStringLiteral("7")}}
            << QStringLiteral("run_number");
        QTest::newRow("time") << QJsonObject {{QStringLiteral("started_at"),
            QStringLiteral("yesterday")}}
                              << QStringLiteral("started_at");
        QTest::newRow("html_url") << QJsonObject {{QStringLiteral("html_url"),
            QStringLiteral("javascript:alert(1)")}}
                                  << QStringLiteral("html_url");
        QTest::newRow("unknown") << QJsonObject {{QStringLiteral("colour"), QStringLiteral("red")}}
                                 << QStringLiteral("colour");
        QTest::newRow("stages type")
            << QJsonObject {{QStringLiteral("stages"), QStringLiteral("all")}}
            << QStringLiteral("stages");
        QTest::newRow("stage name") << QJsonObject {{QStringLiteral("stages"),
            stage({{QStringLiteral("status"), QStringLiteral("queued")}})}}
                                    << QStringLiteral("stages[0].name");
        QTest::newRow("stage status") << QJsonObject {{QStringLiteral("stages"),
            stage({{QStringLiteral("name"), QStringLiteral("a")},
                {QStringLiteral("status"), QStringLiteral("x")}})}}
                                      << QStringLiteral("stages[0].status");
        QTest::newRow("duplicate stage") << QJsonObject {{QStringLiteral("stages"),
            QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("a")}},
                QJsonObject {{QStringLiteral("name"), QStringLiteral("a")}}}}}
                                         << QStringLiteral("stages[1].name");
    }
    void rejectsBadReportsAndChangesNothing()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, field);
        static qint64 pipeline = createPipeline(QStringLiteral("strict"));
        const HttpResult result = post(m_server, runsPath(pipeline), body, bearer(m_key));
        OUTPOST_VERIFY_PROBLEM(result, 422, "Unprocessable Content");
        QVERIFY2(errorFields(result).contains(field), result.body.constData());
        QCOMPARE(objectOf(get(m_server, runsPath(pipeline), m_admin.auth()))
                     .value(QStringLiteral("total"))
                     .toInteger(),
            0);
    }

    void rejectsBadPatchesAndChangesNothing()
    {
        const qint64 pipeline = createPipeline(QStringLiteral("patched"));
        const qint64 runId = idOf(post(m_server, runsPath(pipeline),
            {{QStringLiteral("status"), QStringLiteral("in_progress")}}, bearer(m_key)));
        QVERIFY(runId > 0);
        const QString path = QStringLiteral("/v1/runs/%1").arg(runId);
        const QJsonObject before = objectOf(get(m_server, path, m_admin.auth()));
        OUTPOST_VERIFY_PROBLEM(
            patch(m_server, path, {{QStringLiteral("conclusion"), QStringLiteral("maybe")}},
                bearer(m_key)),
            422, "Unprocessable Content");
        OUTPOST_VERIFY_PROBLEM(httpRequest("PATCH", m_server.url(path), "{\"status\":",
                                   bearer(m_key, {{"Content-Type", "application/json"}})),
            400, "Bad Request");
        OUTPOST_VERIFY_PROBLEM(
            patch(m_server, QStringLiteral("/v1/runs/999999"),
                {{QStringLiteral("status"), QStringLiteral("queued")}}, bearer(m_key)),
            404, "Not Found");
        QCOMPARE(objectOf(get(m_server, path, m_admin.auth())), before);
    }

    void reportingNeedsAdminOrTheScope()
    {
        const qint64 pipeline = createPipeline(QStringLiteral("guarded"));
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, runsPath(pipeline), {}, m_user.auth()), 403, "Forbidden");
        OUTPOST_VERIFY_PROBLEM(post(m_server, runsPath(pipeline), {}), 401, "Unauthorized");
        const HttpResult key = post(m_server, QStringLiteral("/v1/api-keys"),
            {{QStringLiteral("name"), QStringLiteral("files")},
                {QStringLiteral("scopes"), QJsonArray {QStringLiteral("files:write")}}},
            m_admin.auth());
        const QByteArray filesKey = textOf(objectOf(key), "key").toLatin1();
        OUTPOST_VERIFY_PROBLEM(
            post(m_server, runsPath(pipeline), {}, bearer(filesKey)), 403, "Forbidden");
        OUTPOST_VERIFY_PROBLEM(
            patch(m_server, QStringLiteral("/v1/runs/1"), {}, m_user.auth()), 403, "Forbidden");
        // The pipelines:write key only writes: reading is for signed-in users.
        OUTPOST_VERIFY_PROBLEM(get(m_server, runsPath(pipeline), bearer(m_key)), 403, "Forbidden");
        QCOMPARE(objectOf(get(m_server, runsPath(pipeline), m_admin.auth()))
                     .value(QStringLiteral("total"))
                     .toInteger(),
            0);
    }

    void keepsOnlyTheNewestRuns()
    {
        // OUTPOST_RUN_RETENTION=3 for this server.
        const qint64 pipeline = createPipeline(QStringLiteral("busy"));
        QList<qint64> ids;
        for (int i = 0; i < 5; ++i) {
            const HttpResult created = post(m_server, runsPath(pipeline),
                {{QStringLiteral("stages"),
                    QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("build")},
                        {QStringLiteral("log"), QStringLiteral("run %1").arg(i)}}}}},
                bearer(m_key));
            QCOMPARE(created.status, 201);
            ids.append(idOf(created));
        }
        const QJsonObject page = objectOf(get(m_server, runsPath(pipeline), m_admin.auth()));
        QCOMPARE(page.value(QStringLiteral("total")).toInteger(), 3);
        QList<qint64> kept;
        for (const auto &run : page.value(QStringLiteral("items")).toArray())
            kept.append(run.toObject().value(QStringLiteral("id")).toInteger());
        QCOMPARE(kept, QList<qint64>({ids.at(4), ids.at(3), ids.at(2)})); // newest first
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/runs/%1").arg(ids.at(0)), m_admin.auth()), 404,
            "Not Found");
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/runs/%1/log").arg(ids.at(1)), m_admin.auth()), 404,
            "Not Found");
        QCOMPARE(
            get(m_server, QStringLiteral("/v1/runs/%1/log").arg(ids.at(2)), m_admin.auth()).body,
            QByteArray("==> build\nrun 2\n"));
    }

    void deletesAPipelineWithItsRuns()
    {
        const qint64 pipeline = createPipeline(QStringLiteral("doomed"));
        const qint64 runId = idOf(post(m_server, runsPath(pipeline), {}, m_admin.auth()));
        OUTPOST_VERIFY_PROBLEM(
            del(m_server, QStringLiteral("/v1/pipelines/%1").arg(pipeline), m_user.auth()), 403,
            "Forbidden");
        QCOMPARE(
            del(m_server, QStringLiteral("/v1/pipelines/%1").arg(pipeline), m_admin.auth()).status,
            204);
        OUTPOST_VERIFY_PROBLEM(
            get(m_server, QStringLiteral("/v1/runs/%1").arg(runId), m_admin.auth()), 404,
            "Not Found");
        OUTPOST_VERIFY_PROBLEM(
            del(m_server, QStringLiteral("/v1/pipelines/%1").arg(pipeline), m_admin.auth()), 404,
            "Not Found");
    }

    void triggerIsOffUnlessConfigured()
    {
        const qint64 pipeline = createPipeline(QStringLiteral("not local"));
        const HttpResult result = post(
            m_server, QStringLiteral("/v1/pipelines/%1/trigger").arg(pipeline), {}, m_admin.auth());
        OUTPOST_VERIFY_PROBLEM(result, 403, "Forbidden");
        QVERIFY(
            textOf(objectOf(result), "detail").contains(QStringLiteral("OUTPOST_LOCAL_RUNNERS")));
    }

    void announcesRunChangesOnTheEventStream()
    {
        EventClient events;
        QVERIFY(events.subscribe(m_server.port(), m_user.accessToken));

        const qint64 pipeline = createPipeline(QStringLiteral("live"));
        const qint64 runId = idOf(post(m_server, runsPath(pipeline), {}, bearer(m_key)));
        QCOMPARE(patch(m_server, QStringLiteral("/v1/runs/%1").arg(runId),
                     {{QStringLiteral("status"), QStringLiteral("in_progress")}}, bearer(m_key))
                     .status,
            200);
        // Runs and pipelines have ids of their own: match on the type's prefix too.
        QVERIFY2(events.waitForEvent(QStringLiteral("run.updated"), runId),
            qPrintable(events.describe()));
        QCOMPARE(events.typesFor(runId, QStringLiteral("run.")),
            QStringList({QStringLiteral("run.created"), QStringLiteral("run.updated")}));
        // The new pipeline itself is announced too (the desktop app lists it without a refresh).
        QCOMPARE(events.typesFor(pipeline, QStringLiteral("pipeline.")),
            QStringList({QStringLiteral("pipeline.created")}));
    }

    void openApiNamesRunStatusAndConclusionOnce()
    {
        const HttpResult result = get(m_server, QStringLiteral("/openapi.json"));
        QCOMPARE(result.status, 200);
        const QJsonObject schemas =
            valueAt(objectOf(result), QStringLiteral("components/schemas")).toObject();
        QCOMPARE(valueAt(schemas, QStringLiteral("RunStatus/enum")).toArray(),
            (QJsonArray {QStringLiteral("queued"), QStringLiteral("in_progress"),
                QStringLiteral("completed")}));
        QCOMPARE(valueAt(schemas, QStringLiteral("Conclusion/enum")).toArray(),
            (QJsonArray {QStringLiteral("success"), QStringLiteral("failure"),
                QStringLiteral("cancelled"), QStringLiteral("skipped"), QStringLiteral("timed_out"),
                QStringLiteral("neutral"), QStringLiteral("action_required"), QJsonValue::Null}));
        for (const QString &owner : {QStringLiteral("Run/properties"),
                 QStringLiteral("Stage/properties"), QStringLiteral("RunReport/properties"),
                 QStringLiteral("RunReport/properties/stages/items/properties")}) {
            QCOMPARE(valueAt(schemas, owner + QStringLiteral("/status/$ref")).toString(),
                QStringLiteral("#/components/schemas/RunStatus"));
            QCOMPARE(valueAt(schemas, owner + QStringLiteral("/conclusion/$ref")).toString(),
                QStringLiteral("#/components/schemas/Conclusion"));
        }
        for (const QString &item : {QStringLiteral("Run"), QStringLiteral("Pipeline")}) {
            const QJsonObject page = schemas.value(item + QStringLiteral("Page")).toObject();
            QCOMPARE(page.value(QStringLiteral("required")).toArray(),
                (QJsonArray {QStringLiteral("items"), QStringLiteral("total"),
                    QStringLiteral("limit"), QStringLiteral("skip")}));
            QCOMPARE(valueAt(page, QStringLiteral("properties/items/items/$ref")).toString(),
                QStringLiteral("#/components/schemas/") + item);
        }
    }
};

QTEST_GUILESS_MAIN(TestPipelinesApi)
#include "tst_pipelinesapi.moc"
