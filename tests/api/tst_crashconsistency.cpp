// Crash consistency (issue 18): a real outpost-server on SQLite and the local file store is killed
// with SIGKILL at random points while 8 clients create posts, vote, upload files in parts and
// deliver signed pipeline webhooks. After each restart on the same data directory every write
// that was acknowledged (2xx) is there, the database passes PRAGMA integrity_check, every post's
// vote count equals its vote rows, the file store holds no temporary or abandoned files, and
// interrupted uploads can be resumed and completed. A backup taken under the same load holds
// everything acknowledged before it began.
//
// The kill points come from a seed, printed at the start; OUTPOST_CRASH_SEED=N replays its
// choices (the threads' interleaving differs from run to run), OUTPOST_CRASH_CYCLES=N sets the
// number of kills (at least 5).
#include "db/sqlitesnapshot.h"
#include "factories.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QMutex>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <functional>
#include <memory>
#include <vector>

using namespace Outpost::Test;

namespace {

const QByteArray kWebhookSecret = QByteArrayLiteral("crash-test-webhook-secret");
// Tokens stay valid across restarts: the test, not the server, chooses the signing secret.
const QByteArray kJwtSecret = QByteArrayLiteral("crash-test-jwt-secret-0123456789abcdef0123456789");
constexpr int kClients = 8;
constexpr qint64 kMaxBodyBytes = 65536; // so an upload has several parts of 64 KiB

QByteArray fixture(const QString &relative)
{
    QFile file(
        qEnvironmentVariable("OUTPOST_SOURCE_DIR") + QStringLiteral("/tests/fixtures/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read fixture %s", qPrintable(relative));
    return file.readAll();
}

// Everything the clients were told succeeded (a 2xx answer), with what the answer said.
struct Acknowledged
{
    struct File
    {
        QByteArray sha256;
        qint64 size = 0;
        QByteArray token; // the owner's
    };
    struct OpenUpload // created, maybe some parts stored, not completed (as far as we know)
    {
        QString path;
        QByteArray content;
        qint64 partSize = 0;
        QSet<int> parts; // acknowledged part numbers
        QByteArray token;
    };
    QHash<qint64, QString> posts;       // id -> title
    QList<QPair<qint64, qint64>> votes; // (user id, post id)
    QHash<QString, File> files;         // path -> content
    QHash<QString, OpenUpload> uploads; // upload id -> state
    QStringList deliveries;             // "source:delivery id", as the server records them
    QList<qint64> runs;
    qint64 count = 0; // acknowledged requests of every kind
};

// The clients' common record, thread-safe.
class Ledger
{
public:
    template<typename F> void record(F &&change)
    {
        QMutexLocker lock(&m_mutex);
        change(m_acked);
        ++m_acked.count;
        m_count.store(m_acked.count, std::memory_order_release);
    }
    Acknowledged snapshot() const
    {
        QMutexLocker lock(&m_mutex);
        return m_acked;
    }
    qint64 count() const { return m_count.load(std::memory_order_acquire); }
    // A post to vote on (0 if none yet).
    qint64 randomPost(QRandomGenerator &rng) const
    {
        QMutexLocker lock(&m_mutex);
        if (m_postIds.isEmpty())
            return 0;
        return m_postIds.at(int(rng.bounded(qsizetype(m_postIds.size()))));
    }
    void addPost(qint64 id, const QString &title)
    {
        record([&](Acknowledged &a) { a.posts.insert(id, title); });
        QMutexLocker lock(&m_mutex);
        m_postIds.append(id);
    }

private:
    mutable QMutex m_mutex;
    Acknowledged m_acked;
    QList<qint64> m_postIds;
    std::atomic<qint64> m_count {0};
};

// What one client keeps across the server's restarts: who it is, and its counters.
struct ClientState
{
    int index = 0;
    qint64 userId = 0;
    QByteArray token; // a user's access token, or (CodeBuild) an API key
    qint64 counter = 0;
    QSet<qint64> voted;
};

class Client;
// One unit of work of a kind of client: a few requests, each acknowledged one recorded.
using ClientStep = void (*)(Client &client);

struct ClientKind
{
    const char *name;
    ClientStep step;
};

// One client thread on one server (one cycle): runs its kind's step until stopped. Raw HTTP
// over a connection of its own per request (the test's network manager is the main thread's).
class Client final : public QThread
{
public:
    Client(const ClientKind &clientKind, ClientState &clientState, Ledger &records, quint16 port,
        quint32 seed)
        : kind(clientKind)
        , state(clientState)
        , ledger(records)
        , rng(seed)
        , m_port(port)
    { }

    HttpResult send(
        const QByteArray &method, const QByteArray &target, const QByteArray &body, Headers headers)
    {
        const HttpResult result =
            httpRequestFrom(QHostAddress(), m_port, method, target, body, headers, 20'000);
        if (result.status == 0 && !stopping())
            QThread::msleep(5); // the server is gone (killed): do not spin until we are stopped
        return result;
    }
    HttpResult send(const QByteArray &method, const QByteArray &target, const QByteArray &body = {})
    {
        return send(method, target, body, bearer(state.token));
    }
    bool stopping() const { return m_stop.load(std::memory_order_acquire); }
    void finish() { m_stop.store(true, std::memory_order_release); }

    const ClientKind &kind;
    ClientState &state;
    Ledger &ledger;
    QRandomGenerator rng;

protected:
    void run() override
    {
        while (!stopping())
            kind.step(*this);
    }

private:
    quint16 m_port;
    std::atomic<bool> m_stop {false};
};

// The clients of one cycle, stopped and waited for when it goes, however the test ends.
class ClientGroup
{
public:
    ClientGroup() = default;
    ~ClientGroup() { stop(); }
    ClientGroup(const ClientGroup &) = delete;
    ClientGroup &operator=(const ClientGroup &) = delete;

    void start(std::unique_ptr<Client> client)
    {
        client->start();
        m_clients.push_back(std::move(client));
    }
    void stop()
    {
        for (auto &client : m_clients)
            client->finish();
        for (auto &client : m_clients) {
            while (!client->wait(10))
                QCoreApplication::processEvents(); // keep reading the server's log pipe
        }
        m_clients.clear();
    }

private:
    std::vector<std::unique_ptr<Client>> m_clients;
};

// --- The kinds of client. Add one: a function here and a row in kClientKinds. ---

void createPosts(Client &c)
{
    const QString title = QStringLiteral("crash %1-%2").arg(c.state.index).arg(++c.state.counter);
    const HttpResult result = c.send("POST", "/v1/posts",
        jsonBytes({{QStringLiteral("title"), title},
            {QStringLiteral("content"), QStringLiteral("written while the server may die")}}));
    if (result.status == 201)
        c.ledger.addPost(idOf(result), title);
}

void castVotes(Client &c)
{
    const qint64 post = c.ledger.randomPost(c.rng);
    if (post == 0 || c.state.voted.contains(post)) {
        QThread::yieldCurrentThread();
        return;
    }
    const HttpResult result = c.send("POST", "/v1/vote",
        jsonBytes({{QStringLiteral("post_id"), post}, {QStringLiteral("dir"), 1}}));
    if (result.status == 201 || result.status == 409) // 409: an unanswered earlier vote counted
        c.state.voted.insert(post);
    if (result.status == 201)
        c.ledger.record([&](Acknowledged &a) { a.votes.append({c.state.userId, post}); });
}

void uploadFiles(Client &c)
{
    const qint64 size = 1 + c.rng.bounded(3 * kMaxBodyBytes + 1000);
    QByteArray content(size, Qt::Uninitialized);
    for (char &byte : content)
        byte = char(c.rng.bounded(256));
    const QString path =
        QStringLiteral("crash/%1-%2.bin").arg(c.state.index).arg(++c.state.counter);
    const HttpResult created = c.send("POST", "/v1/uploads",
        jsonBytes({{QStringLiteral("file_path"), path}, {QStringLiteral("size"), size},
            {QStringLiteral("content_type"), QStringLiteral("application/octet-stream")}}));
    if (created.status != 201)
        return;
    const QString id = textOf(objectOf(created), "id");
    const qint64 partSize = objectOf(created).value(QStringLiteral("part_size")).toInteger();
    c.ledger.record([&](Acknowledged &a) {
        a.uploads.insert(id, {path, content, partSize, {}, c.state.token});
    });
    const int parts = int((size + partSize - 1) / partSize);
    QList<int> order;
    for (int n = 1; n <= parts; ++n)
        order.append(n);
    std::shuffle(order.begin(), order.end(), c.rng);
    for (const int n : std::as_const(order)) {
        if (c.stopping())
            return;
        const HttpResult part =
            c.send("PUT", "/v1/uploads/" + id.toLatin1() + "/parts/" + QByteArray::number(n),
                content.mid((n - 1) * partSize, partSize),
                bearer(c.state.token, {{"Content-Type", "application/octet-stream"}}));
        if (part.status != 204)
            return;
        c.ledger.record([&](Acknowledged &a) { a.uploads[id].parts.insert(n); });
    }
    const HttpResult done = c.send("POST", "/v1/uploads/" + id.toLatin1() + "/complete");
    if (done.status == 200 || done.status == 201) {
        const QJsonObject file = objectOf(done);
        c.ledger.record([&](Acknowledged &a) {
            a.uploads.remove(id);
            a.files.insert(path,
                {textOf(file, "etag").toLatin1(),
                    file.value(QStringLiteral("size_bytes")).toInteger(), c.state.token});
        });
    }
}

// A workflow_run delivery of a run of its own, signed as GitHub signs it.
void deliverGitHubWebhooks(Client &c)
{
    const qint64 n = ++c.state.counter;
    const QByteArray runId = QByteArray::number(1'000'000'000LL + c.state.index * 10'000'000LL + n);
    QByteArray body = fixture(QStringLiteral("github/workflow_run.requested.json"));
    body.replace("289782451", runId);
    const QByteArray delivery =
        "crash-" + QByteArray::number(c.state.index) + '-' + QByteArray::number(n);
    const HttpResult result = c.send("POST", "/v1/webhooks/github", body,
        {{"Content-Type", "application/json"}, {"X-GitHub-Event", "workflow_run"},
            {"X-GitHub-Delivery", delivery},
            {"X-Hub-Signature-256",
                "sha256="
                    + QMessageAuthenticationCode::hash(
                        body, kWebhookSecret, QCryptographicHash::Sha256)
                          .toHex()}});
    if (result.status == 200) {
        const qint64 run = objectOf(result).value(QStringLiteral("run_id")).toInteger();
        c.ledger.record([&](Acknowledged &a) {
            a.deliveries.append(QStringLiteral("github:") + QString::fromLatin1(delivery));
            a.runs.append(run);
        });
    }
}

// An EventBridge "CodeBuild Build State Change" of a build of its own, sent with an API key.
void deliverCodeBuildEvents(Client &c)
{
    QByteArray body = fixture(QStringLiteral("codebuild/build-state-change.in_progress.json"));
    const QString eventId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    body.replace("fc545584-970e-991a-1113-46467a09cd04", eventId.toLatin1());
    body.replace("93942698-859e-4fa9-8fde-c062977f6053",
        QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1());
    const HttpResult result = c.send("POST", "/v1/webhooks/codebuild", body,
        bearer(c.state.token, {{"Content-Type", "application/json"}}));
    if (result.status == 200) {
        const qint64 run = objectOf(result).value(QStringLiteral("run_id")).toInteger();
        c.ledger.record([&](Acknowledged &a) {
            a.deliveries.append(QStringLiteral("codebuild:") + eventId);
            a.runs.append(run);
        });
    }
}

const ClientKind kClientKinds[kClients] = {
    {"posts", createPosts},
    {"posts", createPosts},
    {"votes", castVotes},
    {"votes", castVotes},
    {"uploads", uploadFiles},
    {"uploads", uploadFiles},
    {"github", deliverGitHubWebhooks},
    {"codebuild", deliverCodeBuildEvents},
};

// The database of a data directory, read beside the running server (WAL readers do not block).
class DatabaseReader
{
public:
    explicit DatabaseReader(const QString &dataDir)
        : m_name(QUuid::createUuid().toString())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(QDir(dataDir).filePath(QStringLiteral("outpost.db")));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"));
        db.open();
    }
    ~DatabaseReader() { QSqlDatabase::removeDatabase(m_name); }
    DatabaseReader(const DatabaseReader &) = delete;
    DatabaseReader &operator=(const DatabaseReader &) = delete;

    // Each row's columns; an error is reported through `error`.
    QList<QVariantList> rows(const QString &sql)
    {
        QList<QVariantList> result;
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql)) {
            error += sql + QStringLiteral(": ") + query.lastError().text() + u'\n';
            return result;
        }
        while (query.next()) {
            QVariantList row;
            for (int i = 0; i < query.record().count(); ++i)
                row.append(query.value(i));
            result.append(row);
        }
        return result;
    }
    QString error;

private:
    QString m_name;
};

QString filesDir(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("files"));
}

} // namespace

class TestCrashConsistency final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void acknowledgedWritesSurviveSigkill();
    void backupUnderLoadHoldsEverythingAcknowledgedBefore_data();
    void backupUnderLoadHoldsEverythingAcknowledgedBefore();
    void leftoversOfACrashAreRemovedAtStart();
    void sigtermAtTheConnectionCapExitsCleanly();

private:
    std::unique_ptr<TestServer> startServer(const QString &dataDir);
    bool setUpClients(TestServer &server);
    void startClients(ClientGroup &clients, quint16 port);
    // Starts an upload and sends some of its parts, from the main thread: every cycle has at
    // least one interrupted upload to resume.
    bool leaveAnUploadOpen(TestServer &server);
    // Every check on a restarted (or restored) server; empty when all hold. `afterCrash`: also
    // the open uploads' parts and the store's objects (a restored backup has no open uploads).
    QString verify(
        TestServer &server, const QString &dataDir, const Acknowledged &acked, bool afterCrash);
    // Resumes and completes each open upload (or finds it completed); empty when all worked.
    QString resumeUploads(TestServer &server, const QString &dataDir);

    quint32 m_seed = 0;
    QRandomGenerator m_rng;
    Ledger *m_ledger = nullptr;
    std::vector<ClientState> m_states;
    QByteArray m_adminToken;
    QString m_summary;
};

void TestCrashConsistency::initTestCase()
{
    if (TestServer::onPostgres())
        QSKIP("kills a server on SQLite and its local file store");
    bool given = false;
    m_seed = qEnvironmentVariable("OUTPOST_CRASH_SEED").toUInt(&given);
    if (!given)
        m_seed = QRandomGenerator::system()->generate();
    m_rng.seed(m_seed);
    qInfo("crash test seed %u (replay its kill points with OUTPOST_CRASH_SEED=%u)", m_seed, m_seed);
}

std::unique_ptr<TestServer> TestCrashConsistency::startServer(const QString &dataDir)
{
    auto server = std::make_unique<TestServer>();
    server->setEnv(
        QStringLiteral("OUTPOST_GITHUB_WEBHOOK_SECRET"), QString::fromLatin1(kWebhookSecret));
    server->setEnv(QStringLiteral("OUTPOST_JWT_SECRET"), QString::fromLatin1(kJwtSecret));
    server->setEnv(QStringLiteral("OUTPOST_MAX_BODY_BYTES"), QString::number(kMaxBodyBytes));
    // Every run a delivery made must stay (the default keeps the newest 200 per pipeline).
    server->setEnv(QStringLiteral("OUTPOST_RUN_RETENTION"), QStringLiteral("1000000"));
    server->setArguments({QStringLiteral("--data-dir"), dataDir});
    if (!server->start()) {
        qWarning().noquote() << server->lastError();
        return nullptr;
    }
    TestServer *s = server.get();
    if (!QTest::qWaitFor([s] { return get(*s, QStringLiteral("/readyz")).status == 200; }, 30'000))
        return nullptr;
    return server;
}

bool TestCrashConsistency::setUpClients(TestServer &server)
{
    const Account admin = createAdmin(server);
    if (!admin.ok())
        return false;
    m_adminToken = admin.accessToken;
    const HttpResult key = post(server, QStringLiteral("/v1/api-keys"),
        {{QStringLiteral("name"), QStringLiteral("codebuild")},
            {QStringLiteral("scopes"), QJsonArray {QStringLiteral("pipelines:write")}}},
        admin.auth());
    if (key.status != 201)
        return false;
    m_states.assign(kClients, {});
    for (int i = 0; i < kClients; ++i) {
        ClientState &state = m_states[size_t(i)];
        state.index = i;
        if (kClientKinds[i].step == deliverCodeBuildEvents) {
            state.token = textOf(objectOf(key), "key").toLatin1();
            continue;
        }
        const Account user = createAccount(server);
        if (!user.ok())
            return false;
        state.userId = user.id;
        state.token = user.accessToken;
    }
    // Something to vote on from the start.
    for (int i = 0; i < 3; ++i) {
        const QString title = QStringLiteral("seed %1").arg(i);
        const qint64 id = createPost(server, admin, title);
        if (id == 0)
            return false;
        m_ledger->addPost(id, title);
    }
    return true;
}

void TestCrashConsistency::startClients(ClientGroup &clients, quint16 port)
{
    for (int i = 0; i < kClients; ++i) {
        clients.start(std::make_unique<Client>(
            kClientKinds[i], m_states[size_t(i)], *m_ledger, port, m_rng.generate()));
    }
}

bool TestCrashConsistency::leaveAnUploadOpen(TestServer &server)
{
    const ClientState &owner = m_states.at(4); // an uploader
    QByteArray content(2 * kMaxBodyBytes + 123, Qt::Uninitialized);
    for (char &byte : content)
        byte = char(m_rng.bounded(256));
    const QString path = QStringLiteral("crash/open-%1.bin").arg(m_rng.generate());
    const HttpResult created = post(server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), path}, {QStringLiteral("size"), qint64(content.size())}},
        bearer(owner.token));
    if (created.status != 201)
        return false;
    const QString id = textOf(objectOf(created), "id");
    const qint64 partSize = objectOf(created).value(QStringLiteral("part_size")).toInteger();
    Acknowledged::OpenUpload open {path, content, partSize, {}, owner.token};
    for (const int n : {3, 1}) { // part 2 stays missing
        const HttpResult part =
            httpRequest("PUT", server.url(QStringLiteral("/v1/uploads/%1/parts/%2").arg(id).arg(n)),
                content.mid((n - 1) * partSize, partSize),
                bearer(owner.token, {{"Content-Type", "application/octet-stream"}}));
        if (part.status != 204)
            return false;
        open.parts.insert(n);
    }
    m_ledger->record([&](Acknowledged &a) { a.uploads.insert(id, open); });
    return true;
}

QString TestCrashConsistency::verify(
    TestServer &server, const QString &dataDir, const Acknowledged &acked, bool afterCrash)
{
    QStringList problems;
    const auto integrity =
        Outpost::Server::sqliteIntegrityCheck(QDir(dataDir).filePath(QStringLiteral("outpost.db")));
    if (!integrity || *integrity != u"ok")
        problems << QStringLiteral("integrity_check: ")
                + (integrity ? *integrity : integrity.error().detail);

    DatabaseReader db(dataDir);
    QHash<qint64, QString> posts;
    for (const QVariantList &row : db.rows(QStringLiteral("SELECT id, title FROM posts")))
        posts.insert(row.at(0).toLongLong(), row.at(1).toString());
    for (auto it = acked.posts.cbegin(); it != acked.posts.cend(); ++it) {
        if (posts.value(it.key()) != it.value())
            problems << QStringLiteral("acknowledged post %1 (%2) is missing")
                            .arg(it.key())
                            .arg(it.value());
    }

    QSet<QPair<qint64, qint64>> votes;
    for (const QVariantList &row : db.rows(QStringLiteral("SELECT user_id, post_id FROM votes")))
        votes.insert({row.at(0).toLongLong(), row.at(1).toLongLong()});
    for (const auto &vote : acked.votes) {
        if (!votes.contains(vote))
            problems << QStringLiteral("acknowledged vote of user %1 on post %2 is missing")
                            .arg(vote.first)
                            .arg(vote.second);
    }
    for (const QVariantList &row : db.rows(QStringLiteral(
             "SELECT p.id, p.votes_count, (SELECT COUNT(*) FROM votes v WHERE v.post_id = p.id) "
             "FROM posts p WHERE p.votes_count <> "
             "(SELECT COUNT(*) FROM votes v WHERE v.post_id = p.id)"))) {
        problems << QStringLiteral("post %1 counts %2 votes but has %3 vote rows")
                        .arg(row.at(0).toLongLong())
                        .arg(row.at(1).toLongLong())
                        .arg(row.at(2).toLongLong());
    }

    QSet<QString> deliveries;
    for (const QVariantList &row :
        db.rows(QStringLiteral("SELECT delivery_id FROM webhook_deliveries")))
        deliveries.insert(row.at(0).toString());
    for (const QString &delivery : acked.deliveries) {
        if (!deliveries.contains(delivery))
            problems
                << QStringLiteral("acknowledged webhook delivery %1 is not recorded").arg(delivery);
    }
    QSet<qint64> runs;
    for (const QVariantList &row : db.rows(QStringLiteral("SELECT id FROM runs")))
        runs.insert(row.at(0).toLongLong());
    for (const qint64 run : acked.runs) {
        if (!runs.contains(run))
            problems
                << QStringLiteral("the run %1 of an acknowledged delivery is missing").arg(run);
    }

    // Completed files: their metadata, and the bytes in the store.
    QHash<QString, QVariantList> files;
    for (const QVariantList &row :
        db.rows(QStringLiteral("SELECT path, etag, size_bytes, storage_key FROM files")))
        files.insert(row.at(0).toString(), row);
    const QDir objects(filesDir(dataDir) + QStringLiteral("/objects"));
    for (auto it = acked.files.cbegin(); it != acked.files.cend(); ++it) {
        const QVariantList row = files.value(it.key());
        QFile object(objects.filePath(row.value(3).toString()));
        if (row.isEmpty() || row.at(1).toByteArray() != it->sha256
            || row.at(2).toLongLong() != it->size || !object.open(QIODevice::ReadOnly)
            || sha256Hex(object.readAll()) != it->sha256) {
            problems << QStringLiteral("acknowledged file %1 is missing or not what was uploaded")
                            .arg(it.key());
        }
    }
    // One served for real, as its owner downloads it.
    if (!acked.files.isEmpty()) {
        const auto file = acked.files.cbegin();
        const HttpResult served = httpRequest(
            "GET", server.url(QStringLiteral("/v1/files/") + file.key()), {}, bearer(file->token));
        if (served.status != 200 || sha256Hex(served.body) != file->sha256)
            problems << QStringLiteral("GET /v1/files/%1: %2").arg(file.key()).arg(served.status);
    }

    // Nothing temporary or abandoned in the store: tmp/ is empty, every parts directory
    // belongs to an upload that is still open.
    const QDir store(filesDir(dataDir));
    for (const QString &name : QDir(store.filePath(QStringLiteral("tmp")))
                                   .entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot
                                       | QDir::Hidden | QDir::System))
        problems << QStringLiteral("temporary file left in the store: tmp/%1").arg(name);
    QSet<QString> handles;
    for (const QVariantList &row : db.rows(QStringLiteral("SELECT s3_upload_id FROM uploads")))
        handles.insert(row.at(0).toString());
    for (const QString &name : QDir(store.filePath(QStringLiteral("uploads")))
                                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        if (!handles.contains(name))
            problems
                << QStringLiteral("abandoned upload parts left in the store: uploads/%1").arg(name);
    }
    // Every object is a file's, or the assembled object of an upload still open (a crash
    // between assembling and recording it; completing the upload again makes it anew). Not in
    // a restored backup: it copies the database first, then the files, which may have more.
    QSet<QString> keys;
    for (const QVariantList &row : std::as_const(files))
        keys.insert(row.at(3).toString());
    for (const QVariantList &row : db.rows(QStringLiteral("SELECT id FROM uploads")))
        keys.insert(row.at(0).toString().left(2) + u'/' + row.at(0).toString());
    QDirIterator objectFiles(
        objects.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (objectFiles.hasNext()) {
        const QString key = objects.relativeFilePath(objectFiles.next());
        if (afterCrash && !keys.contains(key) && !key.startsWith(u"backups/"))
            problems << QStringLiteral("object %1 belongs to no file and no upload").arg(key);
    }
    if (afterCrash) {
        // Every acknowledged part of an open upload is still there (or the upload completed).
        QHash<QString, QSet<int>> parts;
        for (const QVariantList &row :
            db.rows(QStringLiteral("SELECT upload_id, part_number FROM upload_parts")))
            parts[row.at(0).toString()].insert(row.at(1).toInt());
        for (auto it = acked.uploads.cbegin(); it != acked.uploads.cend(); ++it) {
            if (!parts.value(it.key()).contains(it->parts) && !files.contains(it->path))
                problems
                    << QStringLiteral("acknowledged parts of upload %1 are missing").arg(it.key());
        }
    }
    if (!db.error.isEmpty())
        problems << db.error;
    if (problems.size() > 20)
        problems = problems.mid(0, 20) << QStringLiteral("...");
    return problems.join(u'\n');
}

QString TestCrashConsistency::resumeUploads(TestServer &server, const QString &dataDir)
{
    const Acknowledged acked = m_ledger->snapshot();
    QStringList problems;
    for (auto it = acked.uploads.cbegin(); it != acked.uploads.cend(); ++it) {
        const Acknowledged::OpenUpload &open = *it;
        const Headers auth = bearer(open.token);
        const HttpResult state = get(server, QStringLiteral("/v1/uploads/%1").arg(it.key()), auth);
        const Acknowledged::File expected {
            sha256Hex(open.content), open.content.size(), open.token};
        if (state.status == 404) {
            // Its completion committed just before the kill (unanswered): the file is whole.
            DatabaseReader db(dataDir);
            const auto rows =
                db.rows(QStringLiteral("SELECT etag, size_bytes FROM files WHERE path = '%1'")
                            .arg(open.path));
            if (rows.isEmpty() || rows.first().at(0).toByteArray() != expected.sha256) {
                problems << QStringLiteral("upload %1 can neither be resumed nor was it completed")
                                .arg(it.key());
                continue;
            }
        } else if (state.status == 200) {
            QSet<int> received;
            for (const auto &n : objectOf(state).value(QStringLiteral("received_parts")).toArray())
                received.insert(n.toInt());
            const int count = int((open.content.size() + open.partSize - 1) / open.partSize);
            for (int n = 1; n <= count; ++n) {
                if (received.contains(n))
                    continue;
                const HttpResult part = httpRequest("PUT",
                    server.url(QStringLiteral("/v1/uploads/%1/parts/%2").arg(it.key()).arg(n)),
                    open.content.mid((n - 1) * open.partSize, open.partSize),
                    bearer(open.token, {{"Content-Type", "application/octet-stream"}}));
                if (part.status != 204)
                    problems << QStringLiteral("resuming upload %1: part %2 got %3 %4")
                                    .arg(it.key())
                                    .arg(n)
                                    .arg(part.status)
                                    .arg(QString::fromUtf8(part.body));
            }
            const HttpResult done = httpRequest("POST",
                server.url(QStringLiteral("/v1/uploads/%1/complete").arg(it.key())), {}, auth);
            if ((done.status != 200 && done.status != 201)
                || textOf(objectOf(done), "etag").toLatin1() != expected.sha256) {
                problems << QStringLiteral("completing resumed upload %1: %2 %3")
                                .arg(it.key())
                                .arg(done.status)
                                .arg(QString::fromUtf8(done.body));
                continue;
            }
        } else {
            problems << QStringLiteral("GET upload %1: %2").arg(it.key()).arg(state.status);
            continue;
        }
        m_ledger->record([&](Acknowledged &a) {
            a.uploads.remove(it.key());
            a.files.insert(open.path, expected);
        });
    }
    return problems.join(u'\n');
}

void TestCrashConsistency::acknowledgedWritesSurviveSigkill()
{
    const int cycles = qMax(5, qEnvironmentVariableIntValue("OUTPOST_CRASH_CYCLES"));
    QTemporaryDir data;
    QVERIFY(data.isValid());
    Ledger ledger;
    m_ledger = &ledger;
    std::unique_ptr<TestServer> server = startServer(data.path());
    QVERIFY(server);
    QVERIFY(setUpClients(*server));

    int resumed = 0;
    for (int cycle = 1; cycle <= cycles; ++cycle) {
        QVERIFY(leaveAnUploadOpen(*server));
        // The kill point: after a random number of acknowledged requests in this cycle, and a
        // random delay on top (so it falls anywhere in a request, not only after an answer).
        const qint64 start = ledger.count();
        const int afterAcks = 20 + int(m_rng.bounded(300));
        const int delayMs = int(m_rng.bounded(40));
        ClientGroup clients;
        startClients(clients, server->port());
        const bool loaded =
            QTest::qWaitFor([&] { return ledger.count() >= start + afterAcks; }, 60'000);
        QTest::qWait(delayMs); // keeps reading the server's log pipe meanwhile
        QCOMPARE(::kill(pid_t(server->pid()), SIGKILL), 0);
        TestServer *killed = server.get();
        QVERIFY(QTest::qWaitFor([killed] { return !killed->isRunning(); }, 20'000));
        clients.stop();
        QVERIFY2(loaded, "the clients got too few answers: the server stalled");
        const Acknowledged acked = ledger.snapshot();
        qInfo("cycle %d of %d: SIGKILL after %d acknowledged requests + %d ms; %lld acknowledged "
              "so far (%lld posts, %lld votes, %lld files, %lld open uploads, %lld deliveries)",
            cycle, cycles, afterAcks, delayMs, acked.count, qint64(acked.posts.size()),
            qint64(acked.votes.size()), qint64(acked.files.size()), qint64(acked.uploads.size()),
            qint64(acked.deliveries.size()));

        server = startServer(data.path());
        QVERIFY2(server, "the server does not start again after SIGKILL");
        const QString problems = verify(*server, data.path(), acked, true);
        QVERIFY2(problems.isEmpty(),
            qPrintable(
                QStringLiteral("seed %1, cycle %2:\n%3").arg(m_seed).arg(cycle).arg(problems)));
        resumed += int(acked.uploads.size());
        QString resumeProblems = resumeUploads(*server, data.path());
        if (!resumeProblems.isEmpty()) {
            for (const QByteArray &line : server->output().split('\n')) {
                if (line.contains("outpost.storage"))
                    resumeProblems += u'\n' + QString::fromUtf8(line);
            }
        }
        QVERIFY2(resumeProblems.isEmpty(),
            qPrintable(QStringLiteral("seed %1, cycle %2:\n%3")
                           .arg(m_seed)
                           .arg(cycle)
                           .arg(resumeProblems)));
    }
    // The resumed uploads, and everything else, once more after the last resume.
    const QString problems = verify(*server, data.path(), ledger.snapshot(), true);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    qInfo("%d kills, %lld acknowledged requests checked, %d interrupted uploads resumed or found "
          "completed",
        cycles, ledger.count(), resumed);
    m_ledger = nullptr;
}

void TestCrashConsistency::backupUnderLoadHoldsEverythingAcknowledgedBefore_data()
{
    QTest::addColumn<bool>("throughApi");
    QTest::newRow("outpost-server backup") << false;
    QTest::newRow("POST /v1/admin/backups") << true;
}

void TestCrashConsistency::backupUnderLoadHoldsEverythingAcknowledgedBefore()
{
    QFETCH(bool, throughApi);
    QTemporaryDir data;
    QTemporaryDir work;
    QVERIFY(data.isValid() && work.isValid());
    Ledger ledger;
    m_ledger = &ledger;
    std::unique_ptr<TestServer> server = startServer(data.path());
    QVERIFY(server);
    QVERIFY(setUpClients(*server));

    ClientGroup clients;
    startClients(clients, server->port());
    const int afterAcks = 50 + int(m_rng.bounded(150));
    QVERIFY(QTest::qWaitFor([&] { return ledger.count() >= afterAcks; }, 60'000));
    const Acknowledged before = ledger.snapshot(); // acknowledged before the backup began
    const QString archive = work.filePath(QStringLiteral("under-load.tar.gz"));
    qint64 during = 0;
    if (throughApi) {
        // Made by the server itself into its store; polled by state, then downloaded.
        const HttpResult started =
            post(*server, QStringLiteral("/v1/admin/backups"), {}, bearer(m_adminToken));
        QCOMPARE(started.status, 202);
        const QString status = QString::fromUtf8(started.header("Location"));
        QJsonObject state;
        QVERIFY(QTest::qWaitFor(
            [&] {
                state = objectOf(get(*server, status, bearer(m_adminToken)));
                return textOf(state, "state") != u"running";
            },
            60'000));
        during = ledger.count() - before.count;
        clients.stop();
        QCOMPARE(textOf(state, "state"), QStringLiteral("done"));
        const HttpResult download =
            get(*server, textOf(state, "download_url"), bearer(m_adminToken));
        QCOMPARE(download.status, 200);
        QFile file(archive);
        QVERIFY(
            file.open(QIODevice::WriteOnly) && file.write(download.body) == download.body.size());
    } else {
        QProcess backup;
        backup.setProcessEnvironment(TestServer::cliEnvironment());
        backup.setWorkingDirectory(work.path());
        backup.start(TestServer::binary(),
            {QStringLiteral("backup"), QStringLiteral("--output"), archive,
                QStringLiteral("--data-dir"), data.path()});
        QVERIFY(QTest::qWaitFor([&] { return backup.state() == QProcess::NotRunning; }, 60'000));
        during = ledger.count() - before.count;
        clients.stop();
        QVERIFY2(backup.exitStatus() == QProcess::NormalExit && backup.exitCode() == 0,
            backup.readAllStandardError().constData());
    }
    qInfo("backup after %lld acknowledged requests (%lld posts, %lld votes, %lld files, %lld "
          "deliveries), %lld more while it ran",
        before.count, qint64(before.posts.size()), qint64(before.votes.size()),
        qint64(before.files.size()), qint64(before.deliveries.size()), during);
    const int stopped = server->stop();
    QVERIFY2(stopped == 0,
        qPrintable(
            QStringLiteral("SIGTERM: %1, %2; the log ends:\n%3")
                .arg(stopped)
                .arg(server->processState(), QString::fromUtf8(server->output().right(3000)))));

    QTemporaryDir restored;
    const TestServer::Run restore =
        TestServer::runCliWithInput({QStringLiteral("restore"), QStringLiteral("--input"), archive,
                                        QStringLiteral("--data-dir"), restored.path()},
            {}, {}, 60'000);
    QVERIFY2(restore.exitCode == 0, restore.err.constData());
    server = startServer(restored.path());
    QVERIFY2(server, "no server starts on the restored data directory");
    // Uploads in progress are not in a backup (see the README): only the finished writes.
    const QString problems = verify(*server, restored.path(), before, false);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    m_ledger = nullptr;
}

// The same clean-up without a kill's timing: what a crash leaves is planted while the server is
// stopped; an upload in progress keeps its parts.
void TestCrashConsistency::leftoversOfACrashAreRemovedAtStart()
{
    QTemporaryDir data;
    QVERIFY(data.isValid());
    std::unique_ptr<TestServer> server = startServer(data.path());
    QVERIFY(server);
    const Account user = createAccount(*server);
    QVERIFY(user.ok());
    const QByteArray content = QByteArray("part one, then part two.").repeated(4000);
    const HttpResult created = post(*server, QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), QStringLiteral("kept/open.bin")},
            {QStringLiteral("size"), qint64(content.size())}},
        user.auth());
    QCOMPARE(created.status, 201);
    const QString id = textOf(objectOf(created), "id");
    const qint64 partSize = objectOf(created).value(QStringLiteral("part_size")).toInteger();
    QVERIFY(partSize < content.size());
    QCOMPARE(httpRequest("PUT", server->url(QStringLiteral("/v1/uploads/%1/parts/1").arg(id)),
                 content.left(partSize), user.auth({{"Content-Type", "application/octet-stream"}}))
                 .status,
        204);
    QCOMPARE(server->stop(), 0);

    const QDir store(filesDir(data.path()));
    QVERIFY(store.mkpath(QStringLiteral("uploads/0123abcd")));
    for (const QString &name :
        {QStringLiteral("uploads/0123abcd/1"), QStringLiteral("tmp/0123abcd")}) {
        QFile file(store.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("left by a crash") > 0);
    }
    const QStringList before = QDir(store.filePath(QStringLiteral("uploads")))
                                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(before.size(), 2); // the open upload's and the abandoned one

    server = startServer(data.path());
    QVERIFY(server);
    QVERIFY(!store.exists(QStringLiteral("uploads/0123abcd")));
    QVERIFY(!store.exists(QStringLiteral("tmp/0123abcd")));
    QCOMPARE(QDir(store.filePath(QStringLiteral("uploads")))
                 .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                 .size(),
        1);
    QCOMPARE(httpRequest("PUT", server->url(QStringLiteral("/v1/uploads/%1/parts/2").arg(id)),
                 content.mid(partSize), user.auth({{"Content-Type", "application/octet-stream"}}))
                 .status,
        204);
    const HttpResult done = httpRequest(
        "POST", server->url(QStringLiteral("/v1/uploads/%1/complete").arg(id)), {}, user.auth());
    QCOMPARE(done.status, 201);
    QCOMPARE(textOf(objectOf(done), "etag").toLatin1(), sha256Hex(content));
    // Completed: its parts are gone too.
    QCOMPARE(QDir(store.filePath(QStringLiteral("uploads")))
                 .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                 .size(),
        0);
}

// Found by the backup case above, which stops its server with SIGTERM: the drain closes the
// listener, and a connection closing afterwards (here: the one that holds the only place under
// the cap) made it resume accepting on the closed socket, a crash instead of exit 0.
void TestCrashConsistency::sigtermAtTheConnectionCapExitsCleanly()
{
    TestServer server;
    server.setEnv(QStringLiteral("OUTPOST_THREADS"), QStringLiteral("1"));
    server.setEnv(QStringLiteral("OUTPOST_MAX_CONNECTIONS"), QStringLiteral("1"));
    QVERIFY2(server.start(), qPrintable(server.lastError()));
    RawConnection connection(server.port());
    QVERIFY(connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    QVERIFY(connection.waitForResponses(1)); // open and idle, at the cap
    QCOMPARE(connection.responses().first().status, 200);
    const int stopped = server.stop();
    QVERIFY2(stopped == 0, qPrintable(server.processState()));
}

QTEST_GUILESS_MAIN(TestCrashConsistency)
#include "tst_crashconsistency.moc"
