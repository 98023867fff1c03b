// The app's API client against a real outpost-server: sign-in, silent refresh, the live event
// stream with its reconnect back-off, and every typed call the app makes (users, posts, API
// keys, admin and operations, files and chunked uploads, pipelines and runs), each with a
// failure that arrives as an ApiError carrying the problem's status and title.
#include "client/apiclient.h"
#include "client/eventstream.h"
#include "core/version.h"
#include "factories.h"
#include "testserver.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Outpost;
using namespace Outpost::Test;
using Client::ApiCall;
using Client::ApiClient;
using Client::ApiError;
using Client::ApiResponse;
using Client::ApiResult;
using Client::Reply;

namespace {

// Waits for a typed call's answer; an error titled "no answer within 15 s" if none came.
template<typename T> ApiResult<T> wait(const Reply<T> &reply)
{
    std::optional<ApiResult<T>> result;
    QObject context;
    reply.then(&context, [&](const ApiResult<T> &answer) { result = answer; });
    QDeadlineTimer deadline(15'000);
    while (!result && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (!result) {
        ApiError timeout;
        timeout.title = QStringLiteral("no answer within 15 s");
        return tl::unexpected(timeout);
    }
    return std::move(*result);
}

template<typename T> QByteArray errorOf(const ApiResult<T> &result)
{
    return result ? QByteArray() : result.error().text().toUtf8();
}

} // namespace

// Fails the test unless the result holds a value (naming the error otherwise). Macros, as
// QVERIFY must be, each evaluating its argument once.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage)
#define VERIFY_OK(expression)                                                                      \
    do {                                                                                           \
        const auto &result_ = (expression);                                                        \
        QVERIFY2(result_.has_value(), errorOf(result_).constData());                               \
    } while (false)

// Fails the test unless the result is the problem with this status and title.
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage)
#define VERIFY_PROBLEM(expression, expectedStatus, expectedTitle)                                  \
    do {                                                                                           \
        const auto &result_ = (expression);                                                        \
        QVERIFY2(!result_.has_value(), "succeeded, but should have failed");                       \
        QCOMPARE(result_.error().status, (expectedStatus));                                        \
        QCOMPARE(result_.error().title, QStringLiteral(expectedTitle));                            \
    } while (false)

class TestApiClient final : public QObject
{
    Q_OBJECT

private:
    TestServer m_server;
    Account m_admin;
    Account m_plain;

    std::unique_ptr<ApiClient> clientFor(const Account &account)
    {
        auto client = std::make_unique<ApiClient>();
        client->setBaseUrl(m_server.url());
        client->setTokens(
            QString::fromLatin1(account.accessToken), QString::fromLatin1(account.refreshToken));
        return client;
    }

    std::unique_ptr<ApiClient> signedInClient()
    {
        auto client = std::make_unique<ApiClient>();
        client->setBaseUrl(m_server.url());
        const auto tokens = wait(client->auth().login(m_admin.email, m_admin.password));
        if (!tokens)
            qWarning() << "login failed" << tokens.error().text();
        return client;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server.setEnv(QStringLiteral("OUTPOST_LOCAL_RUNNERS"), QStringLiteral("on"));
        QVERIFY2(m_server.start(), qPrintable(m_server.lastError()));
        m_admin = createAdmin(m_server);
        QVERIFY(m_admin.ok());
        m_plain = createAccount(m_server);
        QVERIFY(m_plain.ok());
    }

    // Signing in and the session.

    void signsInAndKeepsTheTokens()
    {
        ApiClient client;
        client.setBaseUrl(m_server.url());
        QSignalSpy tokensChanged(&client, &ApiClient::tokensChanged);
        const auto tokens = wait(client.auth().login(m_admin.email, m_admin.password));
        VERIFY_OK(tokens);
        QCOMPARE(tokens->tokenType, QStringLiteral("bearer"));
        QVERIFY(tokens->expiresIn > 0);
        QCOMPARE(tokensChanged.count(), 1);
        QCOMPARE(client.accessToken(), tokens->accessToken);
        QCOMPARE(client.refreshToken(), tokens->refreshToken);
        const auto me = wait(client.users().me());
        VERIFY_OK(me);
        QCOMPARE(me->email, m_admin.email);
        QVERIFY(me->isAdmin());

        VERIFY_OK(wait(client.auth().logout()));
        QVERIFY(!client.isSignedIn());
        // The refresh token is revoked with it.
        ApiClient again;
        again.setBaseUrl(m_server.url());
        again.setTokens(QStringLiteral("not-a-valid-jwt"), tokens->refreshToken);
        VERIFY_PROBLEM(wait(again.users().me()), 401, "Unauthorized");
    }

    void wrongPasswordIsAReadableProblem()
    {
        ApiClient client;
        client.setBaseUrl(m_server.url());
        const auto tokens =
            wait(client.auth().login(m_admin.email, QStringLiteral("Wrong-pass-1")));
        VERIFY_PROBLEM(tokens, 401, "Unauthorized");
        QCOMPARE(tokens.error().code, ErrorCode::Unauthorized);
        QVERIFY(tokens.error().text().startsWith(QStringLiteral("Unauthorized: ")));
        QVERIFY(!client.isSignedIn());
    }

    void refreshesTheAccessTokenSilentlyOn401()
    {
        auto client = signedInClient();
        const QString oldRefresh = client->refreshToken();
        // An access token the server refuses (as an expired one would be).
        client->setTokens(QStringLiteral("not-a-valid-jwt"), oldRefresh);
        QSignalSpy expired(client.get(), &ApiClient::sessionExpired);
        // Two calls at once: both wait for one refresh, both succeed.
        QSignalSpy first(client->users().me().call(), &ApiCall::finished);
        QSignalSpy second(client->posts().list({}).call(), &ApiCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(first.count() + second.count(), 2, 15'000);
        QCOMPARE(first.first().at(0).value<ApiResponse>().status, 200);
        QCOMPARE(second.first().at(0).value<ApiResponse>().status, 200);
        QCOMPARE(expired.count(), 0);
        QVERIFY(client->accessToken() != QLatin1String("not-a-valid-jwt"));
        QVERIFY(client->refreshToken() != oldRefresh); // rotated
    }

    void refusedRefreshTokenEndsTheSession()
    {
        auto client = signedInClient();
        client->setTokens(QStringLiteral("not-a-valid-jwt"), QStringLiteral("not-a-refresh-token"));
        QSignalSpy expired(client.get(), &ApiClient::sessionExpired);
        VERIFY_PROBLEM(wait(client->users().me()), 401, "Unauthorized");
        QCOMPARE(expired.count(), 1);
        QVERIFY(!client->isSignedIn());
    }

    void abortedCallFinishesAsCancelled()
    {
        auto client = signedInClient();
        const auto reply = client->posts().list({});
        std::optional<ApiResult<Page<Post>>> result;
        reply.then(this, [&](const ApiResult<Page<Post>> &answer) { result = answer; });
        reply.abort();
        QTRY_VERIFY(result.has_value());
        QVERIFY(!*result);
        QCOMPARE(result->error().status, 0);
        QVERIFY(result->error().aborted);
    }

    void unreachableServerIsANetworkError()
    {
        ApiClient client;
        client.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:1")));
        const auto health = wait(client.admin().health());
        QVERIFY(!health);
        QCOMPARE(health.error().status, 0);
        QCOMPARE(health.error().code, ErrorCode::Unavailable);
        QVERIFY(!health.error().aborted);
        QVERIFY(!health.error().text().isEmpty());
    }

    void answerThatIsNotTheModelIsAnError()
    {
        // /healthz answers 200, but its body is no user.
        auto client = signedInClient();
        const Reply<User> reply(
            client->get(QStringLiteral("/healthz")), &Client::Decode::json<User>);
        const auto user = wait(reply);
        VERIFY_PROBLEM(user, 200, "Unexpected answer");
        QCOMPARE(user.error().code, ErrorCode::Internal);
        QVERIFY(!user.error().fieldMessage(QStringLiteral("email")).isEmpty());
    }

    // Users.

    void managesUsers()
    {
        auto client = clientFor(m_admin);
        UserCreate create;
        create.email = uniqueEmail(QStringLiteral("typed"));
        create.password = kPassword;
        create.username = QStringLiteral("typed-user");
        const auto created = wait(client->users().create(create));
        VERIFY_OK(created);
        QVERIFY(created->id > 0);
        QCOMPARE(created->email, create.email);
        QCOMPARE(created->username, create.username);
        QVERIFY(!created->isAdmin());
        QVERIFY(created->createdAt.isValid());

        const auto got = wait(client->users().get(created->id));
        VERIFY_OK(got);
        QCOMPARE(got->email, create.email);

        PageRequest page;
        const auto found = wait(client->users().list(page, QStringLiteral("typed-user")));
        VERIFY_OK(found);
        QCOMPARE(found->total, 1);
        QCOMPARE(found->items.size(), 1);
        QCOMPARE(found->items.first().id, created->id);
        QCOMPARE(found->limit, page.limit);

        UserUpdate update;
        update.role = Roles::admin;
        update.disabled = true;
        const auto updated = wait(client->users().update(created->id, update));
        VERIFY_OK(updated);
        QVERIFY(updated->isAdmin());
        QVERIFY(updated->disabled);

        VERIFY_OK(wait(client->users().remove(created->id)));
        VERIFY_PROBLEM(wait(client->users().get(created->id)), 404, "Not Found");
    }

    void userProblemsArriveAsErrors()
    {
        auto admin = clientFor(m_admin);
        UserCreate duplicate;
        duplicate.email = m_plain.email;
        duplicate.password = kPassword;
        const auto conflict = wait(admin->users().create(duplicate));
        VERIFY_PROBLEM(conflict, 409, "Conflict");
        QCOMPARE(conflict.error().code, ErrorCode::Conflict);

        UserCreate invalid;
        invalid.email = QStringLiteral("not-an-email");
        invalid.password = QStringLiteral("short");
        const auto rejected = wait(admin->users().create(invalid));
        VERIFY_PROBLEM(rejected, 422, "Unprocessable Content");
        QCOMPARE(rejected.error().code, ErrorCode::Validation);
        QVERIFY(!rejected.error().fieldMessage(QStringLiteral("email")).isEmpty());
        QVERIFY(!rejected.error().fieldMessage(QStringLiteral("password")).isEmpty());

        auto plain = clientFor(m_plain);
        const auto forbidden = wait(plain->users().list({}));
        VERIFY_PROBLEM(forbidden, 403, "Forbidden");
        QCOMPARE(forbidden.error().code, ErrorCode::Forbidden);
    }

    // Posts.

    void managesPosts()
    {
        auto client = clientFor(m_admin);
        PostWrite write;
        write.title = QStringLiteral("typed post");
        write.content = QStringLiteral("first version");
        const auto created = wait(client->posts().create(write));
        VERIFY_OK(created);
        const qint64 id = created->value.id;
        QVERIFY(id > 0);
        QCOMPARE(created->value.title, write.title);
        QCOMPARE(created->value.owner.email, m_admin.email);

        const auto got = wait(client->posts().get(id));
        VERIFY_OK(got);
        QCOMPARE(got->value.content, write.content);
        QVERIFY(!got->etag.isEmpty());

        write.content = QStringLiteral("second version");
        write.published = false;
        const auto replaced = wait(client->posts().replace(id, write, got->etag));
        VERIFY_OK(replaced);
        QCOMPARE(replaced->value.content, write.content);
        QVERIFY(!replaced->value.published);
        QVERIFY(replaced->etag != got->etag);

        PostQuery query;
        query.search = QStringLiteral("typed post");
        query.sort = PostSort::MostVotes;
        const auto listed = wait(client->posts().list(query));
        VERIFY_OK(listed);
        QCOMPARE(listed->total, 1);
        QCOMPARE(listed->items.first().id, id);

        VERIFY_OK(wait(client->posts().vote({id, 1})));
        const auto voted = wait(client->posts().get(id));
        VERIFY_OK(voted);
        QCOMPARE(voted->value.votes, 1);

        VERIFY_OK(wait(client->posts().remove(id)));
        VERIFY_PROBLEM(wait(client->posts().get(id)), 404, "Not Found");
    }

    void postProblemsArriveAsErrors()
    {
        auto client = clientFor(m_admin);
        PostWrite blank;
        blank.title = QStringLiteral("   ");
        blank.content = QStringLiteral("x");
        const auto invalid = wait(client->posts().create(blank));
        VERIFY_PROBLEM(invalid, 422, "Unprocessable Content");
        QVERIFY(!invalid.error().fieldMessage(QStringLiteral("title")).isEmpty());
        QVERIFY(invalid.error().fieldMessage(QStringLiteral("content")).isEmpty());

        PostWrite write;
        write.title = QStringLiteral("etag");
        const auto created = wait(client->posts().create(write));
        VERIFY_OK(created);
        write.title = QStringLiteral("v2");
        VERIFY_OK(wait(client->posts().replace(created->value.id, write, created->etag)));
        const auto stale = wait(client->posts().replace(created->value.id, write, created->etag));
        VERIFY_PROBLEM(stale, 412, "Precondition Failed");
        QCOMPARE(stale.error().code, ErrorCode::PreconditionFailed);

        VERIFY_OK(wait(client->posts().vote({created->value.id, 1})));
        const auto again = wait(client->posts().vote({created->value.id, 1}));
        VERIFY_PROBLEM(again, 409, "Conflict");
    }

    // API keys.

    void managesApiKeys()
    {
        auto client = clientFor(m_admin);
        const auto created = wait(client->apiKeys().create(
            {QStringLiteral("typed key"), {Scopes::read, Scopes::filesWrite}}));
        VERIFY_OK(created);
        QVERIFY(created->key.startsWith(created->prefix));
        QCOMPARE(created->scopes, QStringList({Scopes::read, Scopes::filesWrite}));
        QVERIFY(!created->lastUsedAt.isValid());

        const auto listed = wait(client->apiKeys().list({}));
        VERIFY_OK(listed);
        const auto it = std::find_if(listed->items.cbegin(), listed->items.cend(),
            [&](const ApiKey &key) { return key.id == created->id; });
        QVERIFY(it != listed->items.cend());
        QCOMPARE(it->name, QStringLiteral("typed key"));
        QVERIFY(it->key.isEmpty()); // never shown again

        VERIFY_OK(wait(client->apiKeys().revoke(created->id)));
        VERIFY_PROBLEM(wait(client->apiKeys().revoke(created->id)), 404, "Not Found");
        const auto noScopes = wait(client->apiKeys().create({QStringLiteral("none"), {}}));
        VERIFY_PROBLEM(noScopes, 422, "Unprocessable Content");
        QVERIFY(!noScopes.error().fieldMessage(QStringLiteral("scopes")).isEmpty());
    }

    // Administration and operations.

    void readsServerInfoAuditAndMetrics()
    {
        auto client = clientFor(m_admin);
        const auto info = wait(client->admin().info());
        VERIFY_OK(info);
        QCOMPARE(info->version, QString::fromLatin1(kVersion));
        QCOMPARE(info->databaseDriver, TestServer::dialect());
        QVERIFY(info->schemaVersion > 0);
        QVERIFY(!info->fileStoreKind.isEmpty());
        QVERIFY(info->counts.users >= 2);
        QVERIFY(info->startedAt.isValid());

        const auto audit = wait(client->admin().audit({}));
        VERIFY_OK(audit);
        QVERIFY(audit->total > 0);
        QVERIFY(std::any_of(audit->items.cbegin(), audit->items.cend(),
            [](const AuditEntry &entry) { return entry.action == u"user.registered"; }));

        const auto health = wait(client->admin().health());
        VERIFY_OK(health);
        QVERIFY(health->isOk());

        const auto metrics = wait(client->admin().metrics());
        VERIFY_OK(metrics);
        QVERIFY(Client::PrometheusText::sum(*metrics, QStringLiteral("outpost_http_requests_total"))
            > 0);

        auto plain = clientFor(m_plain);
        const auto forbidden = wait(plain->admin().info());
        VERIFY_PROBLEM(forbidden, 403, "Forbidden");
        VERIFY_PROBLEM(wait(plain->admin().audit({})), 403, "Forbidden");
    }

    // Files and chunked uploads.

    void managesFiles()
    {
        auto client = clientFor(m_admin);
        const QByteArray content = "typed file content\n";
        const auto stored = wait(client->files().put(
            QStringLiteral("typed/a.txt"), content, QStringLiteral("text/plain")));
        VERIFY_OK(stored);
        QCOMPARE(stored->path, QStringLiteral("typed/a.txt"));
        QCOMPARE(stored->size, content.size());
        QCOMPARE(stored->sha256Hex,
            QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
        QVERIFY(stored->updatedAt.isValid());

        QBuffer streamed;
        streamed.setData(QByteArray("second file"));
        QVERIFY(streamed.open(QIODevice::ReadOnly));
        VERIFY_OK(wait(client->files().put(
            QStringLiteral("typed/b.txt"), &streamed, QStringLiteral("text/plain"))));

        const auto first = wait(client->files().list({}, 1, QStringLiteral("typed")));
        VERIFY_OK(first);
        QCOMPARE(first->files.size(), 1);
        QCOMPARE(first->files.first().path, QStringLiteral("typed/a.txt"));
        QCOMPARE(first->files.first().ownerId, m_admin.id);
        QVERIFY(!first->nextPageToken.isEmpty());
        const auto second =
            wait(client->files().list(first->nextPageToken, 1, QStringLiteral("typed")));
        VERIFY_OK(second);
        QCOMPARE(second->files.first().path, QStringLiteral("typed/b.txt"));

        const auto read = wait(client->files().content(QStringLiteral("typed/a.txt")));
        VERIFY_OK(read);
        QCOMPARE(*read, content);
        QBuffer sink;
        QVERIFY(sink.open(QIODevice::WriteOnly));
        VERIFY_OK(wait(client->files().download(QStringLiteral("typed/b.txt"), &sink)));
        QCOMPARE(sink.data(), QByteArray("second file"));

        VERIFY_OK(wait(client->files().remove(QStringLiteral("typed/a.txt"))));
        VERIFY_PROBLEM(
            wait(client->files().content(QStringLiteral("typed/a.txt"))), 404, "Not Found");
        QBuffer untouched;
        QVERIFY(untouched.open(QIODevice::WriteOnly));
        VERIFY_PROBLEM(wait(client->files().download(QStringLiteral("typed/a.txt"), &untouched)),
            404, "Not Found");
        QVERIFY(untouched.data().isEmpty());

        auto plain = clientFor(m_plain);
        VERIFY_PROBLEM(
            wait(plain->files().remove(QStringLiteral("typed/b.txt"))), 403, "Forbidden");
    }

    void uploadsInParts()
    {
        auto client = clientFor(m_admin);
        UploadCreate create;
        create.filePath = QStringLiteral("typed/parts.bin");
        create.size = 5;
        const auto upload = wait(client->files().startUpload(create));
        VERIFY_OK(upload);
        QVERIFY(!upload->id.isEmpty());
        QCOMPARE(upload->size, 5);
        QCOMPARE(upload->partCount(), 1);
        QVERIFY(upload->receivedParts.isEmpty());
        QVERIFY(upload->expiresAt.isValid());

        const auto early = wait(client->files().completeUpload(upload->id));
        VERIFY_PROBLEM(early, 409, "Conflict");
        const auto wrongSize = wait(client->files().putPart(upload->id, 1, "toolong"));
        VERIFY_PROBLEM(wrongSize, 422, "Unprocessable Content");

        VERIFY_OK(wait(client->files().putPart(upload->id, 1, "12345")));
        const auto state = wait(client->files().upload(upload->id));
        VERIFY_OK(state);
        QCOMPARE(state->receivedParts, QList<int>({1}));
        const auto file = wait(client->files().completeUpload(upload->id));
        VERIFY_OK(file);
        QCOMPARE(file->path, create.filePath);
        QCOMPARE(file->size, 5);
        const auto read = wait(client->files().content(create.filePath));
        VERIFY_OK(read);
        QCOMPARE(*read, QByteArray("12345"));

        const auto dropped = wait(client->files().startUpload(create));
        VERIFY_OK(dropped);
        VERIFY_OK(wait(client->files().abortUpload(dropped->id)));
        VERIFY_PROBLEM(wait(client->files().upload(dropped->id)), 404, "Not Found");
    }

    // Pipelines and runs.

    void reportsAndReadsRuns()
    {
        auto client = clientFor(m_admin);
        PipelineCreate create;
        create.name = QStringLiteral("typed pipeline");
        create.repository = QStringLiteral("acme/typed");
        const auto pipeline = wait(client->pipelines().create(create));
        VERIFY_OK(pipeline);
        QCOMPARE(pipeline->source, QStringLiteral("api"));
        QCOMPARE(pipeline->repository, create.repository);
        QVERIFY(!pipeline->lastRun);

        RunUpdate report;
        report.status = QStringLiteral("completed");
        report.conclusion = QStringLiteral("success");
        report.headBranch = QStringLiteral("main");
        report.startedAt = QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC);
        report.finishedAt = QDateTime(QDate(2026, 11, 23), QTime(9, 2), Qt::UTC);
        StageUpdate stage;
        stage.name = QStringLiteral("build");
        stage.status = QStringLiteral("completed");
        stage.conclusion = QStringLiteral("success");
        stage.startedAt = report.startedAt;
        stage.finishedAt = report.finishedAt;
        stage.log = QStringLiteral("compiled\n");
        report.stages.append(stage);
        const auto run = wait(client->pipelines().report(pipeline->id, report));
        VERIFY_OK(run);
        QCOMPARE(run->pipelineId, pipeline->id);
        QCOMPARE(run->runNumber, 1);
        QCOMPARE(run->conclusion, QStringLiteral("success"));
        QCOMPARE(run->startedAt, *report.startedAt);

        const auto listed = wait(client->pipelines().list({}));
        VERIFY_OK(listed);
        const auto it = std::find_if(listed->items.cbegin(), listed->items.cend(),
            [&](const Pipeline &p) { return p.id == pipeline->id; });
        QVERIFY(it != listed->items.cend());
        QVERIFY(it->lastRun);
        QCOMPARE(it->lastRun->id, run->id);
        QCOMPARE(it->lastRun->headBranch, QStringLiteral("main"));

        const auto got = wait(client->pipelines().get(pipeline->id));
        VERIFY_OK(got);
        QCOMPARE(got->name, create.name);
        const auto runs = wait(client->pipelines().runs(pipeline->id, {}));
        VERIFY_OK(runs);
        QCOMPARE(runs->total, 1);
        QCOMPARE(runs->items.first().id, run->id);

        const auto full = wait(client->pipelines().run(run->id));
        VERIFY_OK(full);
        QCOMPARE(full->stages.size(), 1);
        QCOMPARE(full->stages.first().name, QStringLiteral("build"));
        QCOMPARE(full->stages.first().finishedAt, *report.finishedAt);
        QVERIFY(full->stages.first().hasLog);
        const auto log = wait(client->pipelines().log(run->id));
        VERIFY_OK(log);
        QVERIFY2(log->contains(QStringLiteral("compiled")), qPrintable(*log));

        VERIFY_OK(wait(client->pipelines().remove(pipeline->id)));
        VERIFY_PROBLEM(wait(client->pipelines().run(run->id)), 404, "Not Found");
        VERIFY_PROBLEM(wait(client->pipelines().log(run->id)), 404, "Not Found");
        VERIFY_PROBLEM(wait(client->pipelines().report(pipeline->id, report)), 404, "Not Found");
    }

    void triggersAndCancelsALocalRun()
    {
        auto client = clientFor(m_admin);
        PipelineCreate create;
        create.name = QStringLiteral("typed local");
        create.source = QStringLiteral("local");
        create.definition =
            QStringLiteral("shell: sh\nstages:\n  - name: long\n    commands: [\"sleep 60\"]\n");
        const auto pipeline = wait(client->pipelines().create(create));
        VERIFY_OK(pipeline);

        const auto started = wait(client->pipelines().trigger(pipeline->id));
        VERIFY_OK(started);
        QCOMPARE(started->pipelineId, pipeline->id);
        VERIFY_PROBLEM(wait(client->pipelines().trigger(pipeline->id)), 409, "Conflict");

        const auto cancelled = wait(client->pipelines().cancel(started->id));
        VERIFY_OK(cancelled);
        QCOMPARE(cancelled->id, started->id);
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto run = wait(client->pipelines().run(started->id));
                return run && run->status == u"completed";
            },
            20'000));
        const auto done = wait(client->pipelines().run(started->id));
        VERIFY_OK(done);
        QCOMPARE(done->conclusion, QStringLiteral("cancelled"));
        VERIFY_PROBLEM(wait(client->pipelines().cancel(started->id)), 409, "Conflict");
        VERIFY_PROBLEM(wait(client->pipelines().trigger(999999)), 404, "Not Found");

        auto plain = clientFor(m_plain);
        VERIFY_PROBLEM(wait(plain->pipelines().trigger(pipeline->id)), 403, "Forbidden");
    }

    // The live event stream.

    void eventStreamDeliversChangesAndReconnectsWithBackOff()
    {
        // A server of its own, restarted on the same port and data directory below.
        TestServer first;
        QVERIFY2(first.start(), qPrintable(first.lastError()));
        const Account admin = createAdmin(first);
        QVERIFY(admin.ok());
        ApiClient client;
        client.setBaseUrl(first.url());
        VERIFY_OK(wait(client.auth().login(admin.email, admin.password)));

        Client::EventStream stream(&client);
        QSignalSpy events(&stream, &Client::EventStream::eventReceived);
        QSignalSpy retries(&stream, &Client::EventStream::retryScheduled);
        stream.start();
        QTRY_VERIFY_WITH_TIMEOUT(stream.isOnline(), 10'000);
        const qint64 id = createPost(first, admin, QStringLiteral("live"));
        QVERIFY(id > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10'000);
        QCOMPARE(events.first().at(0).toString(), QStringLiteral("post.created"));
        QCOMPARE(events.first().at(1).toLongLong(), id);

        // The server goes away: offline, and each failed attempt doubles the wait.
        const quint16 port = first.port();
        first.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!stream.isOnline(), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(retries.count() >= 2, 10'000);
        QCOMPARE(retries.at(0).at(0).toInt(), Client::EventStream::kFirstDelayMs);
        QCOMPARE(retries.at(1).at(0).toInt(), 2 * Client::EventStream::kFirstDelayMs);

        // It comes back: the stream reconnects by itself and delivers again.
        TestServer second;
        second.setArguments({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
            QStringLiteral("--data-dir"), first.dataDir()});
        QVERIFY2(second.start(), qPrintable(second.lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(stream.isOnline(), 20'000);
        events.clear();
        QVERIFY(createPost(second, admin, QStringLiteral("after reconnect")) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10'000);

        // Once subscribed, the back-off starts over.
        retries.clear();
        second.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!retries.isEmpty(), 10'000);
        QCOMPARE(retries.first().at(0).toInt(), Client::EventStream::kFirstDelayMs);
        stream.stop();
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
