// Webhook mapping and local pipeline definitions (server/services/githubwebhooks.cpp,
// codebuildwebhooks.cpp, pipelinedefinition.cpp, runrules.cpp's ordering rules), on
// the real fixture payloads and GitHub's own signature test vector.
#include "modelchecks.h"
#include "services/codebuildwebhooks.h"
#include "services/githubwebhooks.h"
#include "services/pipelinedefinition.h"
#include "services/pipelineservice.h"
#include "services/runrules.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Test;
using namespace Outpost::Server;

namespace {

QString fixturePath(const QString &relative)
{
    return qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/tests/fixtures/")
        + relative;
}

QByteArray fixtureBytes(const QString &relative)
{
    QFile file(fixturePath(relative));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(relative));
    return file.readAll();
}

QJsonObject fixture(const QString &relative)
{
    return QJsonDocument::fromJson(fixtureBytes(relative)).object();
}

// "name: value" lines of signature-vector.txt.
QMap<QString, QByteArray> signatureVector()
{
    QMap<QString, QByteArray> values;
    for (const QByteArray &line :
        fixtureBytes(QStringLiteral("github/signature-vector.txt")).split('\n')) {
        if (line.startsWith('#'))
            continue;
        const qsizetype colon = line.indexOf(": ");
        if (colon > 0)
            values.insert(QString::fromLatin1(line.left(colon)), line.mid(colon + 2));
    }
    return values;
}

} // namespace

class TestPipelineMapping final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signatureMatchesGitHubsTestVector()
    {
        const auto vector = signatureVector();
        QVERIFY(vector.contains(QStringLiteral("x-hub-signature-256")));
        QVERIFY(GitHubWebhooks::signatureValid(vector.value(QStringLiteral("secret")),
            vector.value(QStringLiteral("payload")),
            vector.value(QStringLiteral("x-hub-signature-256"))));
    }

    void signatureRejectsTamperingAndAbsence()
    {
        const auto vector = signatureVector();
        const QByteArray secret = vector.value(QStringLiteral("secret"));
        const QByteArray payload = vector.value(QStringLiteral("payload"));
        const QByteArray header = vector.value(QStringLiteral("x-hub-signature-256"));
        QVERIFY(!GitHubWebhooks::signatureValid(secret, QByteArray(payload + ' '), header));
        QVERIFY(!GitHubWebhooks::signatureValid(QByteArray(secret + 'x'), payload, header));
        QVERIFY(!GitHubWebhooks::signatureValid(secret, payload, {}));
        QVERIFY(!GitHubWebhooks::signatureValid(secret, payload, header.mid(7))); // no "sha256="
        QVERIFY(!GitHubWebhooks::signatureValid(secret, payload, header.toUpper()));
        QVERIFY(!GitHubWebhooks::signatureValid({}, payload, header)); // no secret: nothing passes
    }

    void mapsWorkflowRunRequestedAndCompleted()
    {
        auto requested = GitHubWebhooks::map(
            "workflow_run", fixture(QStringLiteral("github/workflow_run.requested.json")));
        QVERIFY(requested);
        QCOMPARE(requested->kind, GitHubWebhooks::Outcome::Kind::Update);
        const ExternalUpdate &update = requested->update;
        QCOMPARE(update.source, QStringLiteral("github"));
        QCOMPARE(update.repository, QStringLiteral("octo-org/octo-repo"));
        QCOMPARE(update.pipelineName, QStringLiteral("test"));
        QCOMPARE(update.runExternalId, QStringLiteral("289782451"));
        QCOMPARE(*update.run.status, QStringLiteral("queued"));
        QCOMPARE(*update.run.runNumber, 163);
        QCOMPARE(*update.run.headBranch, QStringLiteral("master"));
        QCOMPARE(*update.run.headSha, QStringLiteral("3484a3fb816e0859fd6e1cea078d76385ff50625"));
        QCOMPARE(*update.run.event, QStringLiteral("repository_dispatch"));
        QCOMPARE(*update.run.actor, QStringLiteral("Codertocat"));
        QCOMPARE(*update.run.queuedAt, utc("2020-10-05T16:33:24Z"));
        QVERIFY(!update.run.conclusion);

        auto completed = GitHubWebhooks::map(
            "workflow_run", fixture(QStringLiteral("github/workflow_run.completed.json")));
        QVERIFY(completed);
        QCOMPARE(*completed->update.run.status, QStringLiteral("completed"));
        QCOMPARE(*completed->update.run.conclusion, QStringLiteral("success"));
        QCOMPARE(completed->update.pipelineExternalId, update.pipelineExternalId);
    }

    void mapsWorkflowRunInProgress()
    {
        // No upstream example exists for this action: the requested payload as GitHub sends
        // it once the run starts (same fields, status in_progress).
        QJsonObject payload = fixture(QStringLiteral("github/workflow_run.requested.json"));
        QJsonObject run = payload.value(QStringLiteral("workflow_run")).toObject();
        run.insert(QStringLiteral("status"), QStringLiteral("in_progress"));
        payload.insert(QStringLiteral("workflow_run"), run);
        payload.insert(QStringLiteral("action"), QStringLiteral("in_progress"));
        auto mapped = GitHubWebhooks::map("workflow_run", payload);
        QVERIFY(mapped);
        QCOMPARE(*mapped->update.run.status, QStringLiteral("in_progress"));
        QCOMPARE(*mapped->update.run.startedAt, utc("2020-10-05T16:33:49Z"));
        QCOMPARE(*mapped->update.run.providerStatus, QStringLiteral("in_progress"));
        QVERIFY(!mapped->update.run.conclusion);
        QVERIFY(!mapped->update.run.finishedAt);
    }

    void mapsWorkflowJobWithSteps()
    {
        auto mapped = GitHubWebhooks::map(
            "workflow_job", fixture(QStringLiteral("github/workflow_job.completed.failure.json")));
        QVERIFY(mapped);
        const ExternalUpdate &update = mapped->update;
        QCOMPARE(update.runExternalId, QStringLiteral("2202229078"));
        QCOMPARE(update.pipelineName, QStringLiteral("CodeQL"));
        QCOMPARE(*update.run.status, QStringLiteral("in_progress"));
        QCOMPARE(update.run.stages.size(), 1);
        const StageUpdate &stage = update.run.stages.first();
        QCOMPARE(stage.externalId, QStringLiteral("289782451"));
        QCOMPARE(stage.name, QStringLiteral("linters"));
        QCOMPARE(*stage.status, QStringLiteral("completed"));
        QCOMPARE(*stage.conclusion, QStringLiteral("failure"));
        QCOMPARE(*stage.startedAt, utc("2021-08-05T10:34:58Z"));
        QCOMPARE(*stage.finishedAt, utc("2021-08-05T10:38:16Z"));
        QCOMPARE(stage.steps->size(), 12);
        QCOMPARE(stage.steps->at(7).toObject().value(QStringLiteral("conclusion")).toString(),
            QStringLiteral("failure"));

        auto queued = GitHubWebhooks::map(
            "workflow_job", fixture(QStringLiteral("github/workflow_job.queued.json")));
        QVERIFY(queued);
        QCOMPARE(*queued->update.run.stages.first().status, QStringLiteral("queued"));
        QVERIFY(!queued->update.run.stages.first().steps);
    }

    void pingAndOtherEvents()
    {
        auto ping = GitHubWebhooks::map("ping", fixture(QStringLiteral("github/ping.json")));
        QVERIFY(ping);
        QCOMPARE(ping->kind, GitHubWebhooks::Outcome::Kind::Ping);
        QCOMPARE(ping->message, QStringLiteral("Anything added dilutes everything else."));
        auto push = GitHubWebhooks::map("push", {});
        QVERIFY(push);
        QCOMPARE(push->kind, GitHubWebhooks::Outcome::Kind::Ignored);
    }

    void rejectsWorkflowEventsWithoutTheirFields()
    {
        auto run = GitHubWebhooks::map(
            "workflow_run", {{QStringLiteral("action"), QStringLiteral("completed")}});
        QVERIFY(!run);
        QCOMPARE(run.error().code, ErrorCode::Validation);
        auto job = GitHubWebhooks::map("workflow_job", fixture(QStringLiteral("github/ping.json")));
        QVERIFY(!job);
    }

    // Found by fuzz_webhooks: ids and run numbers far beyond qint64 (a cast of 1e300 to
    // qint64 is undefined behaviour) are refused or read as absent, never converted.
    void refusesNumbersBeyondInt64()
    {
        QJsonObject payload = fixture(QStringLiteral("github/workflow_run.completed.json"));
        QJsonObject run = payload.value(QStringLiteral("workflow_run")).toObject();
        run.insert(QStringLiteral("id"), 1e300);
        payload.insert(QStringLiteral("workflow_run"), run);
        auto mapped = GitHubWebhooks::map("workflow_run", payload);
        QVERIFY(!mapped);
        QCOMPARE(mapped.error().code, ErrorCode::Validation);

        run.insert(QStringLiteral("id"), 30433642);
        run.insert(QStringLiteral("run_number"), -1e300);
        payload.insert(QStringLiteral("workflow_run"), run);
        mapped = GitHubWebhooks::map("workflow_run", payload);
        QVERIFY(mapped);
    }

    void mapsGitHubConclusions()
    {
        QCOMPARE(GitHubWebhooks::conclusionOf(QStringLiteral("startup_failure")),
            QStringLiteral("failure"));
        QCOMPARE(GitHubWebhooks::conclusionOf(QStringLiteral("stale")), QStringLiteral("neutral"));
        QCOMPARE(
            GitHubWebhooks::conclusionOf(QStringLiteral("timed_out")), QStringLiteral("timed_out"));
    }

    void parsesCodeBuildTimes()
    {
        QCOMPARE(CodeBuildWebhooks::parseTime(QStringLiteral("Sep 1, 2017 4:12:29 PM")),
            utc("2017-09-01T16:12:29Z"));
        QCOMPARE(CodeBuildWebhooks::parseTime(QStringLiteral("Nov 6, 2017 1:33:58 AM")),
            utc("2017-11-06T01:33:58Z"));
        QCOMPARE(CodeBuildWebhooks::parseTime(QStringLiteral("Nov 5, 2017 12:01:11 PM")),
            utc("2017-11-05T12:01:11Z"));
        QCOMPARE(CodeBuildWebhooks::parseTime(QStringLiteral("Nov 5, 2017 12:01:11 AM")),
            utc("2017-11-05T00:01:11Z"));
        QVERIFY(!CodeBuildWebhooks::parseTime(QStringLiteral("2017-09-01T16:12:29Z")).isValid());
        QVERIFY(!CodeBuildWebhooks::parseTime(QStringLiteral("Sep 31, 2017 4:12:29 PM")).isValid());
        QVERIFY(!CodeBuildWebhooks::parseTime({}).isValid());
    }

    void mapsCodeBuildStateChange()
    {
        auto mapped = CodeBuildWebhooks::map(
            fixture(QStringLiteral("codebuild/build-state-change.succeeded.json")));
        QVERIFY(mapped);
        QCOMPARE(mapped->source, QStringLiteral("codebuild"));
        QCOMPARE(mapped->pipelineName, QStringLiteral("my-sample-project"));
        QCOMPARE(mapped->pipelineExternalId,
            QStringLiteral("arn:aws:codebuild:us-west-2:123456789012:project/my-sample-project"));
        QCOMPARE(mapped->runExternalId,
            QStringLiteral("arn:aws:codebuild:us-west-2:123456789012:build/"
                           "my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX"));
        QCOMPARE(*mapped->run.status, QStringLiteral("completed"));
        QCOMPARE(*mapped->run.conclusion, QStringLiteral("success"));
        QCOMPARE(*mapped->run.providerStatus, QStringLiteral("SUCCEEDED"));
        QCOMPARE(*mapped->run.startedAt, utc("2017-09-01T16:12:29Z"));
        QCOMPARE(*mapped->run.finishedAt, utc("2017-09-01T16:14:26Z"));
        QCOMPARE(*mapped->run.actor, QStringLiteral("MyCodeBuildDemoUser"));
        QStringList names;
        for (const StageUpdate &stage : mapped->run.stages)
            names.append(stage.name);
        QCOMPARE(names,
            QStringList({QStringLiteral("SUBMITTED"), QStringLiteral("PROVISIONING"),
                QStringLiteral("DOWNLOAD_SOURCE"), QStringLiteral("INSTALL"),
                QStringLiteral("PRE_BUILD"), QStringLiteral("BUILD"), QStringLiteral("POST_BUILD"),
                QStringLiteral("UPLOAD_ARTIFACTS"), QStringLiteral("FINALIZING")}));
        const StageUpdate &build = mapped->run.stages.at(5);
        QCOMPARE(*build.startedAt, utc("2017-09-01T16:13:10Z"));
        QCOMPARE(*build.finishedAt, utc("2017-09-01T16:14:21Z"));
        QCOMPARE(*build.conclusion, QStringLiteral("success"));
        QVERIFY(*build.position < *mapped->run.stages.at(6).position);
    }

    void mapsCodeBuildFailureAndPhaseChange()
    {
        auto failed = CodeBuildWebhooks::map(
            fixture(QStringLiteral("codebuild/build-state-change.failed.json")));
        QVERIFY(failed);
        QCOMPARE(*failed->run.conclusion, QStringLiteral("failure"));
        QCOMPARE(*failed->run.providerStatus, QStringLiteral("FAILED"));
        QCOMPARE(*failed->run.stages.at(2).conclusion, QStringLiteral("failure"));
        QCOMPARE(failed->run.stages.at(2).name, QStringLiteral("DOWNLOAD_SOURCE"));

        auto phase =
            CodeBuildWebhooks::map(fixture(QStringLiteral("codebuild/build-phase-change.json")));
        QVERIFY(phase);
        QCOMPARE(*phase->run.status, QStringLiteral("in_progress"));
        QVERIFY(!phase->run.conclusion);

        auto lambdaGo = CodeBuildWebhooks::map(
            fixture(QStringLiteral("codebuild/aws-lambda-go.codebuild-phase-change.json")));
        QVERIFY(lambdaGo);
        QVERIFY(lambdaGo->run.runNumber.has_value());
    }

    void codeBuildStatuses()
    {
        QCOMPARE(
            CodeBuildWebhooks::statusOf(QStringLiteral("FAULT")).second, QStringLiteral("failure"));
        QCOMPARE(CodeBuildWebhooks::statusOf(QStringLiteral("STOPPED")).second,
            QStringLiteral("cancelled"));
        QCOMPARE(CodeBuildWebhooks::statusOf(QStringLiteral("TIMED_OUT")).second,
            QStringLiteral("timed_out"));
        QCOMPARE(CodeBuildWebhooks::statusOf(QStringLiteral("IN_PROGRESS")).first,
            QStringLiteral("in_progress"));
    }

    void rejectsOtherEventBridgeEvents()
    {
        auto other = CodeBuildWebhooks::map({{QStringLiteral("detail-type"),
            QStringLiteral("EC2 Instance State-change Notification")}});
        QVERIFY(!other);
        QCOMPARE(other.error().code, ErrorCode::Validation);
        auto noBuild = CodeBuildWebhooks::map(
            {{QStringLiteral("detail-type"), QStringLiteral("CodeBuild Build State Change")},
                {QStringLiteral("detail"), QJsonObject {}}});
        QVERIFY(!noBuild);
        QCOMPARE(noBuild.error().fields.size(), 3);
    }

    void lateEventsDoNotMoveARunBack()
    {
        Run run;
        RunUpdate completed;
        completed.status = QStringLiteral("completed");
        completed.conclusion = QStringLiteral("success");
        completed.finishedAt = utc("2020-10-05T16:40:00Z");
        RunRules::applyRun(run, completed, true);
        RunUpdate late;
        late.status = QStringLiteral("in_progress");
        late.startedAt = utc("2020-10-05T16:33:49Z");
        late.headSha = QStringLiteral("abc");
        RunRules::applyRun(run, late, true);
        QCOMPARE(run.status, QStringLiteral("completed"));
        QCOMPARE(run.conclusion, QStringLiteral("success"));
        QCOMPARE(run.headSha, QStringLiteral("abc")); // facts still fill in
        QCOMPARE(run.finishedAt, utc("2020-10-05T16:40:00Z"));

        // Without the guard (the reporting API), the reporter is taken at its word.
        RunRules::applyRun(run, late, false);
        QCOMPARE(run.status, QStringLiteral("in_progress"));
        QVERIFY(run.conclusion.isEmpty());

        Stage stage;
        StageUpdate done;
        done.status = QStringLiteral("completed");
        done.conclusion = QStringLiteral("failure");
        RunRules::applyStage(stage, done, true);
        StageUpdate queued;
        queued.status = QStringLiteral("queued");
        RunRules::applyStage(stage, queued, true);
        QCOMPARE(stage.status, QStringLiteral("completed"));
        QCOMPARE(stage.conclusion, QStringLiteral("failure"));
    }

    void parsesYamlDefinition()
    {
        auto parsed = PipelineDefinition::parse(
            QStringLiteral("shell: sh\n"
                           "env:\n  GREETING: hello\n"
                           "timeout: 60\n"
                           "stages:\n"
                           "  - name: install\n    commands: [\"true\"]\n"
                           "  - name: test\n    commands:\n      - make test\n      - echo done\n"
                           "    working_directory: src\n    timeout: 5\n    env: {LEVEL: 2}\n"));
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().detail));
        QCOMPARE(parsed->stages.size(), 2);
        QCOMPARE(parsed->stages.at(0).timeoutSeconds, 60);
        QCOMPARE(parsed->stages.at(0).shell, QStringLiteral("sh"));
        QCOMPARE(parsed->stages.at(1).commands,
            QStringList({QStringLiteral("make test"), QStringLiteral("echo done")}));
        QCOMPARE(parsed->stages.at(1).timeoutSeconds, 5);
        QCOMPARE(parsed->stages.at(1).workingDirectory, QStringLiteral("src"));
        QCOMPARE(
            parsed->stages.at(1).env.value(QStringLiteral("GREETING")), QStringLiteral("hello"));
        QCOMPARE(parsed->stages.at(1).env.value(QStringLiteral("LEVEL")), QStringLiteral("2"));
    }

    void parsesBuildspecPhasesInOrder()
    {
        auto parsed = PipelineDefinition::parse(QStringLiteral(
            "version: 0.2\nphases:\n  build:\n    commands: [make]\n  install:\n    commands:\n"
            "      - make install\n  post_build:\n    commands: [make deploy]\n"));
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().detail));
        QStringList names;
        for (const StageDefinition &stage : parsed->stages)
            names.append(stage.name);
        QCOMPARE(names,
            QStringList({QStringLiteral("install"), QStringLiteral("build"),
                QStringLiteral("post_build")}));
        QVERIFY(parsed->stages.first().shell.isEmpty()); // no shell unless asked
    }

    void parsesJsonDefinition()
    {
        auto parsed = PipelineDefinition::parse(
            QStringLiteral(R"({"stages": [{"name": "a", "command": "true"}]})"));
        QVERIFY(parsed);
        QCOMPARE(parsed->stages.first().commands, QStringList {QStringLiteral("true")});
    }

    void rejectsBadDefinitions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("not a map") << QStringLiteral("- a\n- b\n");
        QTest::newRow("bad yaml") << QStringLiteral("stages: [\n");
        QTest::newRow("bad json") << QStringLiteral("{\"stages\": ");
        QTest::newRow("no commands") << QStringLiteral("stages:\n  - name: a\n");
        QTest::newRow("no name") << QStringLiteral("stages:\n  - commands: [x]\n");
        QTest::newRow("twice") << QStringLiteral(
            "stages:\n  - {name: a, commands: [x]}\n  - {name: a, commands: [y]}\n");
        QTest::newRow("timeout zero")
            << QStringLiteral("stages:\n  - {name: a, commands: [x], timeout: 0}\n");
        QTest::newRow("timeout text")
            << QStringLiteral("stages:\n  - {name: a, commands: [x], timeout: soon}\n");
        QTest::newRow("unknown phase") << QStringLiteral("phases:\n  deploy: {commands: [x]}\n");
        QTest::newRow("env list") << QStringLiteral(
            "env: [A]\nstages:\n  - {name: a, commands: [x]}\n");
    }
    void rejectsBadDefinitions()
    {
        QFETCH(QString, text);
        auto parsed = PipelineDefinition::parse(text);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::Validation);
        QCOMPARE(parsed.error().fields.first().field, QStringLiteral("definition"));
    }
};

QTEST_GUILESS_MAIN(TestPipelineMapping)
#include "tst_pipelinemapping.moc"
