// Webhooks (server/api/webhooksapi.cpp): GitHub deliveries of the real fixture payloads,
// signed by the test with HMAC-SHA256 — valid, forged, unsigned, redelivered and out of
// order — and AWS CodeBuild EventBridge events sent with an API key.
#include "factories.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace Outpost::Test;

namespace {

const QByteArray kSecret = QByteArrayLiteral("It's a Secret to Everybody");

QByteArray fixture(const QString &relative)
{
    QFile file(
        qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/tests/fixtures/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(relative));
    return file.readAll();
}

QByteArray signatureOf(const QByteArray &body, const QByteArray &secret = kSecret)
{
    return QByteArrayLiteral("sha256=")
        + QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestWebhooksApi final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    Account m_user;
    int m_delivery = 0;

    // POST /v1/webhooks/github with the fixture's exact bytes.
    HttpResult deliver(const QByteArray &event, const QByteArray &body,
        const QByteArray &delivery = {}, const std::optional<QByteArray> &signature = {})
    {
        Headers headers {{"Content-Type", "application/json"}, {"X-GitHub-Event", event},
            {"X-GitHub-Delivery",
                delivery.isEmpty() ? QByteArray("delivery-") + QByteArray::number(++m_delivery)
                                   : delivery}};
        const QByteArray sig = signature.value_or(signatureOf(body));
        if (!sig.isEmpty())
            headers.insert("X-Hub-Signature-256", sig);
        return httpRequest(
            "POST", m_server.url(QStringLiteral("/v1/webhooks/github")), body, headers);
    }

    QJsonObject pipelineNamed(const QString &name)
    {
        const HttpResult list =
            get(m_server, QStringLiteral("/v1/pipelines?limit=100"), m_admin.auth());
        for (const auto &item : itemsOf(list)) {
            if (item.toObject().value(QStringLiteral("name")).toString() == name)
                return item.toObject();
        }
        return {};
    }

    QJsonObject runOf(qint64 id)
    {
        return objectOf(get(m_server, QStringLiteral("/v1/runs/%1").arg(id), m_user.auth()));
    }

    QByteArray createKey(const QStringList &scopes)
    {
        const HttpResult created = post(m_server, QStringLiteral("/v1/api-keys"),
            {{QStringLiteral("name"), QStringLiteral("ci")},
                {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)}},
            m_admin.auth());
        return objectOf(created).value(QStringLiteral("key")).toString().toLatin1();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.setEnv(
            QStringLiteral("OUTPOST_GITHUB_WEBHOOK_SECRET"), QString::fromLatin1(kSecret));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        m_user = createAccount(m_server);
        QVERIFY(m_user.ok());
    }

    void answersPing()
    {
        const HttpResult result = deliver("ping", fixture(QStringLiteral("github/ping.json")));
        QCOMPARE(result.status, 200);
        QCOMPARE(textOf(objectOf(result), "zen"),
            QStringLiteral("Anything added dilutes everything else."));
    }

    void rejectsForgedAndMissingSignatures_data()
    {
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<bool>("tamper");
        QTest::newRow("missing") << QByteArray() << false;
        QTest::newRow("other secret")
            << signatureOf(fixture(QStringLiteral("github/workflow_run.requested.json")), "guess")
            << false;
        QTest::newRow("body changed after signing")
            << signatureOf(fixture(QStringLiteral("github/workflow_run.requested.json"))) << true;
        QTest::newRow("sha1 form")
            << QByteArray("sha1=0123456789abcdef0123456789abcdef01234567") << false;
        QTest::newRow("bare hex")
            << signatureOf(fixture(QStringLiteral("github/workflow_run.requested.json"))).mid(7)
            << false;
    }
    void rejectsForgedAndMissingSignatures()
    {
        QFETCH(QByteArray, signature);
        QFETCH(bool, tamper);
        QByteArray body = fixture(QStringLiteral("github/workflow_run.requested.json"));
        if (tamper)
            body.replace("\"octo-org/octo-repo\"", "\"evil-org/octo-repo\"");
        const HttpResult result = deliver("workflow_run", body, {}, signature);
        OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
        // Nothing was recorded.
        const HttpResult list = get(m_server, QStringLiteral("/v1/pipelines"), m_admin.auth());
        QCOMPARE(totalOf(list), 0);
    }

    void recordsAWorkflowRunAndIgnoresItsRedelivery()
    {
        const QByteArray body = fixture(QStringLiteral("github/workflow_run.requested.json"));
        const HttpResult first = deliver("workflow_run", body, "run-requested-1");
        QCOMPARE(first.status, 200);
        QCOMPARE(objectOf(first).value(QStringLiteral("duplicate")).toBool(true), false);
        const qint64 runId = objectOf(first).value(QStringLiteral("run_id")).toInteger();
        QVERIFY(runId > 0);

        const QJsonObject pipeline = pipelineNamed(QStringLiteral("test"));
        QCOMPARE(textOf(pipeline, "source"), QStringLiteral("github"));
        QCOMPARE(textOf(pipeline, "repository"), QStringLiteral("octo-org/octo-repo"));
        const QJsonObject run = runOf(runId);
        QCOMPARE(textOf(run, "status"), QStringLiteral("queued"));
        QCOMPARE(run.value(QStringLiteral("run_number")).toInteger(), 163);
        QCOMPARE(textOf(run, "head_branch"), QStringLiteral("master"));
        QCOMPARE(
            textOf(run, "head_sha"), QStringLiteral("3484a3fb816e0859fd6e1cea078d76385ff50625"));
        QCOMPARE(textOf(run, "html_url"),
            QStringLiteral("https://github.com/octo-org/octo-repo/actions/runs/289782451"));
        QCOMPARE(textOf(run, "actor"), QStringLiteral("Codertocat"));
        QCOMPARE(textOf(run, "event"), QStringLiteral("repository_dispatch"));
        QCOMPARE(textOf(run, "queued_at"), QStringLiteral("2020-10-05T16:33:24Z"));
        QVERIFY(run.value(QStringLiteral("conclusion")).isNull());

        // The same delivery again (GitHub's "Redeliver"): nothing changes.
        const QString updatedAt = textOf(run, "updated_at");
        const HttpResult again = deliver("workflow_run", body, "run-requested-1");
        QCOMPARE(again.status, 200);
        QCOMPARE(objectOf(again).value(QStringLiteral("duplicate")).toBool(), true);
        QCOMPARE(runOf(runId), run);
        QCOMPARE(textOf(runOf(runId), "updated_at"), updatedAt);
    }

    void completesTheRunAndALateRequestedDoesNotUndoIt()
    {
        const HttpResult completed =
            deliver("workflow_run", fixture(QStringLiteral("github/workflow_run.completed.json")));
        QCOMPARE(completed.status, 200);
        const qint64 runId = objectOf(completed).value(QStringLiteral("run_id")).toInteger();
        QCOMPARE(textOf(runOf(runId), "status"), QStringLiteral("completed"));
        QCOMPARE(textOf(runOf(runId), "conclusion"), QStringLiteral("success"));
        QCOMPARE(textOf(runOf(runId), "finished_at"), QStringLiteral("2020-10-05T16:33:49Z"));

        // A new delivery of the earlier "requested" event arrives late.
        const HttpResult late =
            deliver("workflow_run", fixture(QStringLiteral("github/workflow_run.requested.json")));
        QCOMPARE(late.status, 200);
        QCOMPARE(objectOf(late).value(QStringLiteral("run_id")).toInteger(), runId);
        const QJsonObject run = runOf(runId);
        QCOMPARE(textOf(run, "status"), QStringLiteral("completed"));
        QCOMPARE(textOf(run, "conclusion"), QStringLiteral("success"));
        // The pipeline lists it as its last run.
        const QJsonObject pipeline = pipelineNamed(QStringLiteral("test"));
        QCOMPARE(pipeline.value(QStringLiteral("last_run"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toInteger(),
            runId);
    }

    void aReRunStartsTheRunOverAndIgnoresTheOldAttempt()
    {
        // The completed run 289782451 exists from the tests above; GitHub re-runs it.
        QByteArray rerun = fixture(QStringLiteral("github/workflow_run.requested.json"));
        QVERIFY(rerun.contains("\"run_attempt\": 1,"));
        rerun.replace("\"run_attempt\": 1,", "\"run_attempt\": 2,");
        const HttpResult requested = deliver("workflow_run", rerun);
        QCOMPARE(requested.status, 200);
        const qint64 runId = objectOf(requested).value(QStringLiteral("run_id")).toInteger();
        QJsonObject run = runOf(runId);
        QCOMPARE(run.value(QStringLiteral("attempt")).toInt(), 2);
        QCOMPARE(textOf(run, "status"), QStringLiteral("queued"));
        QVERIFY(run.value(QStringLiteral("conclusion")).isNull());
        QVERIFY(run.value(QStringLiteral("finished_at")).isNull());
        QCOMPARE(run.value(QStringLiteral("run_number")).toInteger(), 163); // the same run

        // A late (new) delivery of attempt 1's completion changes nothing now.
        QCOMPARE(
            deliver("workflow_run", fixture(QStringLiteral("github/workflow_run.completed.json")))
                .status,
            200);
        run = runOf(runId);
        QCOMPARE(run.value(QStringLiteral("attempt")).toInt(), 2);
        QCOMPARE(textOf(run, "status"), QStringLiteral("queued"));

        QByteArray done = fixture(QStringLiteral("github/workflow_run.completed.json"));
        done.replace("\"run_attempt\": 1,", "\"run_attempt\": 2,");
        QCOMPARE(deliver("workflow_run", done).status, 200);
        QCOMPARE(textOf(runOf(runId), "conclusion"), QStringLiteral("success"));
    }

    void mapsJobsToStagesWithStepsInAnyOrder()
    {
        // completed comes first, then the in_progress and queued it overtook.
        const HttpResult completed =
            deliver("workflow_job", fixture(QStringLiteral("github/workflow_job.completed.json")));
        QCOMPARE(completed.status, 200);
        const qint64 runId = objectOf(completed).value(QStringLiteral("run_id")).toInteger();
        QCOMPARE(
            deliver("workflow_job", fixture(QStringLiteral("github/workflow_job.in_progress.json")))
                .status,
            200);
        QCOMPARE(deliver("workflow_job", fixture(QStringLiteral("github/workflow_job.queued.json")))
                     .status,
            200);

        const QJsonObject run = runOf(runId);
        QCOMPARE(textOf(run, "status"), QStringLiteral("in_progress")); // no workflow_run yet
        const QJsonArray stages = run.value(QStringLiteral("stages")).toArray();
        QCOMPARE(stages.size(), 1); // one job, matched by its id although its name changed
        const QJsonObject stage = stages.first().toObject();
        QCOMPARE(textOf(stage, "status"), QStringLiteral("completed"));
        QCOMPARE(textOf(stage, "conclusion"), QStringLiteral("success"));
        QCOMPARE(textOf(stage, "started_at"), QStringLiteral("2021-08-05T10:34:58Z"));
        QCOMPARE(textOf(stage, "finished_at"), QStringLiteral("2021-08-05T10:38:16Z"));
        QCOMPARE(stage.value(QStringLiteral("duration_s")).toInteger(), 198);
        const QJsonArray steps = stage.value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.size(), 8);
        QCOMPARE(textOf(steps.first().toObject(), "name"), QStringLiteral("Set up job"));
        QCOMPARE(
            pipelineNamed(QStringLiteral("CodeQL")).value(QStringLiteral("repository")).toString(),
            QStringLiteral("Codertocat/Hello-World"));
    }

    void recordsAFailedJobInOrder()
    {
        HttpResult result = deliver("workflow_job",
            fixture(QStringLiteral("github/workflow_job.in_progress.with-queued-steps.json")));
        QCOMPARE(result.status, 200);
        const qint64 runId = objectOf(result).value(QStringLiteral("run_id")).toInteger();
        QJsonObject stage =
            runOf(runId).value(QStringLiteral("stages")).toArray().first().toObject();
        QCOMPARE(textOf(stage, "status"), QStringLiteral("in_progress"));
        QVERIFY(stage.value(QStringLiteral("conclusion")).isNull());
        QCOMPARE(stage.value(QStringLiteral("steps")).toArray().size(), 9);
    }

    void refusesEveryDeliveryWithoutAConfiguredSecret()
    {
        TestServer bare;
        QVERIFY2(bare.start(), qPrintable(bare.lastError()));
        const QByteArray body = fixture(QStringLiteral("github/ping.json"));
        // Even a body "signed" with the empty key must not pass.
        const QByteArray emptyKeySignature = QByteArrayLiteral("sha256=")
            + QMessageAuthenticationCode::hash(body, QByteArray(), QCryptographicHash::Sha256)
                  .toHex();
        const HttpResult result =
            httpRequest("POST", bare.url(QStringLiteral("/v1/webhooks/github")), body,
                {{"X-GitHub-Event", "ping"}, {"X-Hub-Signature-256", emptyKeySignature}});
        OUTPOST_VERIFY_PROBLEM(result, 401, "Unauthorized");
    }

    void answersOtherEventsWithoutChanges()
    {
        const HttpResult result =
            deliver("push", QByteArrayLiteral("{\"ref\":\"refs/heads/main\"}"));
        QCOMPARE(result.status, 202);
        QCOMPARE(objectOf(result).value(QStringLiteral("ignored")).toBool(), true);
    }

    void rejectsBadPayloadsThatAreSigned()
    {
        OUTPOST_VERIFY_PROBLEM(
            deliver("workflow_run", QByteArrayLiteral("{not json")), 400, "Bad Request");
        const HttpResult empty =
            deliver("workflow_run", QByteArrayLiteral("{\"action\":\"completed\"}"));
        OUTPOST_VERIFY_PROBLEM(empty, 422, "Unprocessable Content");
        QVERIFY(errorFields(empty).contains(QStringLiteral("workflow_run.id")));
        const QByteArray body = fixture(QStringLiteral("github/ping.json"));
        Headers headers {
            {"Content-Type", "application/json"}, {"X-Hub-Signature-256", signatureOf(body)}};
        OUTPOST_VERIFY_PROBLEM(
            httpRequest("POST", m_server.url(QStringLiteral("/v1/webhooks/github")), body, headers),
            400, "Bad Request"); // no X-GitHub-Event
    }

    void acceptsCodeBuildEventsWithAScopedKey()
    {
        const QByteArray key = createKey({QStringLiteral("pipelines:write")});
        QVERIFY(!key.isEmpty());
        const Headers auth = bearer(key, {{"Content-Type", "application/json"}});
        const QUrl url = m_server.url(QStringLiteral("/v1/webhooks/codebuild"));
        // Phase change first, then the final state, then a late IN_PROGRESS state.
        HttpResult result = httpRequest(
            "POST", url, fixture(QStringLiteral("codebuild/build-phase-change.json")), auth);
        QCOMPARE(result.status, 200);
        const qint64 runId = objectOf(result).value(QStringLiteral("run_id")).toInteger();
        QCOMPARE(textOf(runOf(runId), "status"), QStringLiteral("in_progress"));
        result = httpRequest("POST", url,
            fixture(QStringLiteral("codebuild/build-state-change.succeeded.json")), auth);
        QCOMPARE(result.status, 200);
        QCOMPARE(objectOf(result).value(QStringLiteral("run_id")).toInteger(), runId);

        QJsonObject run = runOf(runId);
        QCOMPARE(textOf(run, "status"), QStringLiteral("completed"));
        QCOMPARE(textOf(run, "conclusion"), QStringLiteral("success"));
        QCOMPARE(textOf(run, "provider_status"), QStringLiteral("SUCCEEDED"));
        QCOMPARE(textOf(run, "started_at"), QStringLiteral("2017-09-01T16:12:29Z"));
        QCOMPARE(textOf(run, "finished_at"), QStringLiteral("2017-09-01T16:14:26Z"));
        QCOMPARE(run.value(QStringLiteral("duration_s")).toInteger(), 117);
        QStringList names;
        for (const auto &stage : run.value(QStringLiteral("stages")).toArray())
            names.append(stage.toObject().value(QStringLiteral("name")).toString());
        QCOMPARE(names.mid(3, 4),
            QStringList({QStringLiteral("INSTALL"), QStringLiteral("PRE_BUILD"),
                QStringLiteral("BUILD"), QStringLiteral("POST_BUILD")}));
        const QJsonObject build = run.value(QStringLiteral("stages")).toArray().at(5).toObject();
        QCOMPARE(textOf(build, "started_at"), QStringLiteral("2017-09-01T16:13:10Z"));
        QCOMPARE(build.value(QStringLiteral("duration_s")).toInteger(), 71);
        const QJsonObject pipeline = pipelineNamed(QStringLiteral("my-sample-project"));
        QCOMPARE(textOf(pipeline, "source"), QStringLiteral("codebuild"));

        // The same event again (same EventBridge id) changes nothing.
        result = httpRequest("POST", url,
            fixture(QStringLiteral("codebuild/build-state-change.succeeded.json")), auth);
        QCOMPARE(objectOf(result).value(QStringLiteral("duplicate")).toBool(), true);
        QCOMPARE(runOf(runId), run);

        // A failed build of another project.
        result = httpRequest(
            "POST", url, fixture(QStringLiteral("codebuild/build-state-change.failed.json")), auth);
        QCOMPARE(result.status, 200);
        run = runOf(objectOf(result).value(QStringLiteral("run_id")).toInteger());
        QCOMPARE(textOf(run, "conclusion"), QStringLiteral("failure"));
        QCOMPARE(textOf(run, "provider_status"), QStringLiteral("FAILED"));
    }

    void codeBuildNeedsTheScope()
    {
        const QUrl url = m_server.url(QStringLiteral("/v1/webhooks/codebuild"));
        const QByteArray body =
            fixture(QStringLiteral("codebuild/build-state-change.in_progress.json"));
        OUTPOST_VERIFY_PROBLEM(
            httpRequest("POST", url, body, {{"Content-Type", "application/json"}}), 401,
            "Unauthorized");
        const QByteArray otherKey = createKey({QStringLiteral("files:write")});
        OUTPOST_VERIFY_PROBLEM(httpRequest("POST", url, body, bearer(otherKey)), 403, "Forbidden");
        OUTPOST_VERIFY_PROBLEM(httpRequest("POST", url, body, m_user.auth()), 403, "Forbidden");
        // Only the failed build of that project exists: none of these made a run.
        const qint64 pipelineId = pipelineNamed(
            QStringLiteral("functionci-thestackshack-serverless-demo-master-code-build"))
                                      .value(QStringLiteral("id"))
                                      .toInteger();
        QVERIFY(pipelineId > 0);
        const HttpResult runs =
            get(m_server, QStringLiteral("/v1/pipelines/%1/runs").arg(pipelineId), m_admin.auth());
        QCOMPARE(totalOf(runs), 1);
    }

    void rejectsEventsThatAreNotCodeBuild()
    {
        const QByteArray key = createKey({QStringLiteral("pipelines:write")});
        const QUrl url = m_server.url(QStringLiteral("/v1/webhooks/codebuild"));
        const HttpResult other = httpRequest("POST", url,
            QByteArrayLiteral(
                "{\"detail-type\":\"EC2 Instance State-change Notification\",\"detail\":{}}"),
            bearer(key));
        OUTPOST_VERIFY_PROBLEM(other, 422, "Unprocessable Content");
        OUTPOST_VERIFY_PROBLEM(
            httpRequest("POST", url, QByteArrayLiteral("[1,2"), bearer(key)), 400, "Bad Request");
    }
};

QTEST_GUILESS_MAIN(TestWebhooksApi)
#include "tst_webhooksapi.moc"
