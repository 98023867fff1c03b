#include "db/apikeyrepository.h"
#include "db/auditrepository.h"
#include "db/database.h"
#include "db/loginattemptrepository.h"
#include "db/oidcrepository.h"
#include "db/refreshtokenrepository.h"
#include "db/rowformat.h"
#include "db/sqlitereader.h"
#include "db/transaction.h"
#include "db/userrepository.h"
#include "sqlitefixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Outpost;
using namespace Outpost::Server;
using namespace Outpost::Test;

namespace {

// A SHA-256-like hex string that differs per `n`.
QByteArray hex(int n)
{
    return QByteArray::number(n).rightJustified(64, '0');
}

PageRequest page(int limit, qint64 skip)
{
    PageRequest request;
    request.limit = limit;
    request.skip = skip;
    return request;
}

// One field of every type RowFormat reads, and a LEFT JOINed part.
struct Joined
{
    qint64 id = 0;
    QString name;
};

struct Sample
{
    qint64 id = 0;
    int number = 0;
    bool flag = false;
    double ratio = 0;
    QString text;
    QByteArray digest;
    QDateTime at;
    QStringList words;
    std::optional<Joined> joined;
};

const auto kJoinedRow = rowFormat<Joined>([](auto &c, Joined &joined) {
    c.column("j.id", joined.id);
    c.column("j.name", joined.name);
});

const auto kSampleRow = rowFormat<Sample>([](auto &c, Sample &sample) {
    c.column("s.id", sample.id);
    c.column("s.number", sample.number);
    c.column("s.flag", sample.flag);
    c.column("s.ratio", sample.ratio);
    c.column("s.text", sample.text);
    c.column("s.digest", sample.digest);
    c.column("s.at", sample.at);
    c.column("s.words", sample.words,
        [](const QString &text) { return text.split(u' ', Qt::SkipEmptyParts); });
    c.optional(kJoinedRow, sample.joined);
});

// The same columns without the REAL one, which SqliteReader does not read.
const auto kSqliteSampleRow = rowFormat<Sample>([](auto &c, Sample &sample) {
    c.column("s.id", sample.id);
    c.column("s.text", sample.text);
    c.column("s.at", sample.at);
    c.optional(kJoinedRow, sample.joined);
});

} // namespace

class TestRepositories final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // UserRepository
    void insertsAndFindsUser();
    // Single sign-on
    void oidcIdentityLinksOnceAndFollowsTheUser();
    void oidcFlowIsTakenOnceAndNotAfterItExpires();
    void findsByEmailIgnoringCase();
    void duplicateEmailInOtherCaseIsConflict();
    void listsWithSearchPagingAndTotal();
    void searchTreatsWildcardsLiterally();
    void updatesEachField();
    void updateOfMissingUserIsNotFound();
    void bumpsTokenVersion();
    void removeCascadesRefreshTokens();
    void countAdminsIgnoresDisabledAdmins();

    // RefreshTokenRepository
    void insertsAndFindsRefreshToken();
    void markReplacedSucceedsOnce();
    void markReplacedFailsForRevokedToken();
    void revokesOneTokenFamilyOrUser();
    void deletesOnlyExpiredTokens();

    // ApiKeyRepository
    void insertsAndListsApiKeysNewestFirst();
    void findsActiveKeyByHash();
    void revokeHidesKeyAndReportsMissing();
    void touchRecordsLastUse();
    void keyOutlivesItsCreator();

    // AuditRepository
    void auditListsNewestFirstWithPaging();
    void auditKeepsFieldsAndDetail();

    // LoginAttemptRepository
    void countsFailuresSince();
    void clearsFailuresOfOneKey();
    void prunesOldFailures();

    // RowFormat
    void rowFormatListsItsColumnsInOrder();
    void rowFormatCastsTextColumnsToBlobWhenAsked();
    void rowFormatReadsEveryFieldType();
    void rowFormatReadsANullJoinAsNullopt();
    void rowFormatReadsSqliteRowsAsQtRows();

    // Transaction
    void transactionRollsBackUnlessCommitted();
    void transactionCommits();
    void immediateTransactionsSerialise();
    void lockedDatabaseIsUnavailable();

    // Errors
    void unreachableDatabaseIsUnavailable();
    void sqlFailureIsInternalWithoutSql();

private:
    qint64 createUser(const QString &email, const QString &role = Roles::user,
        const QString &username = QString());

    SqliteFixture m_sqlite;
};

void TestRepositories::init()
{
    QVERIFY2(m_sqlite.create(), qPrintable(m_sqlite.error()));
}

void TestRepositories::cleanup()
{
    m_sqlite.reset();
}

qint64 TestRepositories::createUser(
    const QString &email, const QString &role, const QString &username)
{
    const auto id =
        UserRepository(m_sqlite.database()).insert(email, username, kPasswordHash, role);
    if (!id) {
        qWarning() << "createUser failed:" << describe(id.error());
        return 0;
    }
    return *id;
}

// ---- UserRepository -----------------------------------------------------------------------

void TestRepositories::insertsAndFindsUser()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    UserRepository users(m_sqlite.database());
    const auto id = users.insert(
        QStringLiteral("Alice@Example.com"), QStringLiteral("alice"), kPasswordHash, Roles::admin);
    QVERIFY2(id, qPrintable(id ? QString() : describe(id.error())));
    QVERIFY(*id > 0);

    const auto found = users.findById(*id);
    QVERIFY(found);
    QVERIFY(found->has_value());
    const StoredUser &stored = **found;
    QCOMPARE(stored.user.id, *id);
    QCOMPARE(stored.user.email, QStringLiteral("Alice@Example.com"));
    QCOMPARE(stored.user.username, QStringLiteral("alice"));
    QCOMPARE(stored.user.role, Roles::admin);
    QCOMPARE(stored.user.disabled, false);
    QCOMPARE(stored.passwordHash, kPasswordHash);
    QCOMPARE(stored.tokenVersion, 0);
    QVERIFY(stored.user.createdAt >= before);
    QVERIFY(stored.user.createdAt <= QDateTime::currentDateTimeUtc().addSecs(1));
    QCOMPARE(stored.user.createdAt.timeSpec(), Qt::UTC);
    // Whole-second RFC 3339, as the schema's other timestamps.
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT length(created_at) FROM users")).toInt(), 20);

    const auto second =
        users.insert(QStringLiteral("bob@example.com"), QString(), kPasswordHash, Roles::user);
    QVERIFY(second);
    QVERIFY(*second > *id);
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM users WHERE username IS NULL"))
                 .toInt(),
        1);
    QVERIFY(users.findById(*second).value()->user.username.isEmpty());

    const auto missing = users.findById(*second + 100);
    QVERIFY(missing);
    QVERIFY(!missing->has_value());
}

void TestRepositories::findsByEmailIgnoringCase()
{
    const qint64 id = createUser(QStringLiteral("Alice@Example.com"));
    UserRepository users(m_sqlite.database());
    for (const QString &email : {QStringLiteral("alice@example.com"),
             QStringLiteral("ALICE@EXAMPLE.COM"), QStringLiteral("Alice@Example.com")}) {
        const auto found = users.findByEmail(email);
        QVERIFY(found);
        QVERIFY2(found->has_value(), qPrintable(email));
        QCOMPARE((*found)->user.id, id);
    }
    const auto missing = users.findByEmail(QStringLiteral("alice@example.org"));
    QVERIFY(missing);
    QVERIFY(!missing->has_value());
}

void TestRepositories::duplicateEmailInOtherCaseIsConflict()
{
    QVERIFY(createUser(QStringLiteral("alice@example.com")) > 0);
    const auto duplicate =
        UserRepository(m_sqlite.database())
            .insert(QStringLiteral("ALICE@example.COM"), QString(), kPasswordHash, Roles::user);
    QVERIFY(!duplicate);
    QCOMPARE(duplicate.error().code, ErrorCode::Conflict);
    QCOMPARE(duplicate.error().detail, QStringLiteral("a user with this email already exists"));
    QCOMPARE(UserRepository(m_sqlite.database()).count().value_or(-1), 1);
}

void TestRepositories::listsWithSearchPagingAndTotal()
{
    const qint64 a =
        createUser(QStringLiteral("anna@example.org"), Roles::user, QStringLiteral("anna"));
    const qint64 b =
        createUser(QStringLiteral("ben@example.com"), Roles::user, QStringLiteral("Benny"));
    const qint64 c = createUser(QStringLiteral("carl@EXAMPLE.org"));
    const qint64 d =
        createUser(QStringLiteral("dora@test.net"), Roles::user, QStringLiteral("example_fan"));
    const qint64 e = createUser(QStringLiteral("eve@test.net"));
    UserRepository users(m_sqlite.database());

    auto all = users.list(page(2, 0), QString());
    QVERIFY(all);
    QCOMPARE(all->total, 5);
    QCOMPARE(all->limit, 2);
    QCOMPARE(all->skip, 0);
    QCOMPARE(all->items.size(), 2);
    QCOMPARE(all->items.at(0).id, a);
    QCOMPARE(all->items.at(1).id, b);

    auto last = users.list(page(2, 4), QString());
    QVERIFY(last);
    QCOMPARE(last->total, 5);
    QCOMPARE(last->skip, 4);
    QCOMPARE(last->items.size(), 1);
    QCOMPARE(last->items.at(0).id, e);

    auto beyond = users.list(page(10, 50), QString());
    QVERIFY(beyond);
    QCOMPARE(beyond->total, 5);
    QVERIFY(beyond->items.isEmpty());

    // Email, case-insensitive substring.
    auto org = users.list(page(10, 0), QStringLiteral("EXAMPLE.ORG"));
    QVERIFY(org);
    QCOMPARE(org->total, 2);
    QCOMPARE(org->items.size(), 2);
    QCOMPARE(org->items.at(0).id, a);
    QCOMPARE(org->items.at(1).id, c);

    // Username, case-insensitive substring; and email or username together.
    auto benny = users.list(page(10, 0), QStringLiteral("ENN"));
    QVERIFY(benny);
    QCOMPARE(benny->total, 1);
    QCOMPARE(benny->items.at(0).id, b);
    QCOMPARE(benny->items.at(0).username, QStringLiteral("Benny"));

    auto example = users.list(page(2, 1), QStringLiteral("example"));
    QVERIFY(example);
    QCOMPARE(example->total, 4); // a, b, c by email and d by username
    QCOMPARE(example->items.size(), 2);
    QCOMPARE(example->items.at(0).id, b);
    QCOMPARE(example->items.at(1).id, c);
    Q_UNUSED(d)

    auto none = users.list(page(10, 0), QStringLiteral("nobody"));
    QVERIFY(none);
    QCOMPARE(none->total, 0);
    QVERIFY(none->items.isEmpty());
}

void TestRepositories::searchTreatsWildcardsLiterally()
{
    createUser(QStringLiteral("plain@example.com"));
    const qint64 underscore = createUser(QStringLiteral("under_score@example.com"));
    const qint64 percent = createUser(QStringLiteral("per%cent@example.com"));
    const qint64 bang = createUser(QStringLiteral("bang!x@example.com"));
    UserRepository users(m_sqlite.database());

    auto found = users.list(page(10, 0), QStringLiteral("_"));
    QVERIFY(found);
    QCOMPARE(found->total, 1);
    QCOMPARE(found->items.at(0).id, underscore);

    found = users.list(page(10, 0), QStringLiteral("%"));
    QVERIFY(found);
    QCOMPARE(found->total, 1);
    QCOMPARE(found->items.at(0).id, percent);

    found = users.list(page(10, 0), QStringLiteral("!x"));
    QVERIFY(found);
    QCOMPARE(found->total, 1);
    QCOMPARE(found->items.at(0).id, bang);

    found = users.list(page(10, 0), QStringLiteral("'; DROP TABLE users; --"));
    QVERIFY(found);
    QCOMPARE(found->total, 0);
    QCOMPARE(users.count().value_or(-1), 4);
}

void TestRepositories::updatesEachField()
{
    const qint64 id =
        createUser(QStringLiteral("alice@example.com"), Roles::user, QStringLiteral("alice"));
    UserRepository users(m_sqlite.database());
    const auto current = [&] { return users.findById(id).value().value(); };

    UserChanges role;
    role.role = Roles::admin;
    QVERIFY(users.update(id, role));
    QCOMPARE(current().user.role, Roles::admin);
    QCOMPARE(current().user.username, QStringLiteral("alice"));

    UserChanges disable;
    disable.disabled = true;
    QVERIFY(users.update(id, disable));
    QCOMPARE(current().user.disabled, true);
    QCOMPARE(current().user.role, Roles::admin);
    disable.disabled = false;
    QVERIFY(users.update(id, disable));
    QCOMPARE(current().user.disabled, false);

    UserChanges rename;
    rename.username = QStringLiteral("alicia");
    QVERIFY(users.update(id, rename));
    QCOMPARE(current().user.username, QStringLiteral("alicia"));
    rename.username = QString();
    QVERIFY(users.update(id, rename));
    QVERIFY(current().user.username.isEmpty());
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM users WHERE username IS NULL"))
                 .toInt(),
        1);

    UserChanges password;
    password.passwordHash = QByteArrayLiteral("$2b$04$newhash");
    QVERIFY(users.update(id, password));
    QCOMPARE(current().passwordHash, QByteArrayLiteral("$2b$04$newhash"));
    QCOMPARE(current().tokenVersion, 0); // only when asked

    QCOMPARE(current().user.email, QStringLiteral("alice@example.com"));
    QVERIFY(users.update(id, UserChanges())); // nothing to change is fine
}

void TestRepositories::updateOfMissingUserIsNotFound()
{
    UserRepository users(m_sqlite.database());
    UserChanges changes;
    changes.role = Roles::admin;
    auto updated = users.update(999, changes);
    QVERIFY(!updated);
    QCOMPARE(updated.error().code, ErrorCode::NotFound);
    updated = users.update(999, UserChanges());
    QVERIFY(!updated);
    QCOMPARE(updated.error().code, ErrorCode::NotFound);
}

void TestRepositories::bumpsTokenVersion()
{
    const qint64 id = createUser(QStringLiteral("alice@example.com"));
    const qint64 other = createUser(QStringLiteral("bob@example.com"));
    UserRepository users(m_sqlite.database());
    UserChanges bump;
    bump.bumpTokenVersion = true;
    QVERIFY(users.update(id, bump));
    QCOMPARE(users.findById(id).value()->tokenVersion, 1);
    bump.disabled = true;
    QVERIFY(users.update(id, bump));
    QCOMPARE(users.findById(id).value()->tokenVersion, 2);
    QCOMPARE(users.findById(id).value()->user.disabled, true);
    QCOMPARE(users.findById(other).value()->tokenVersion, 0);
}

void TestRepositories::removeCascadesRefreshTokens()
{
    const qint64 id = createUser(QStringLiteral("alice@example.com"));
    const qint64 other = createUser(QStringLiteral("bob@example.com"));
    RefreshTokenRepository tokens(m_sqlite.database());
    const QDateTime expires = QDateTime::currentDateTimeUtc().addDays(1);
    QVERIFY(tokens.insert(id, hex(1), hex(100), 0, expires));
    QVERIFY(tokens.insert(id, hex(2), hex(100), 0, expires));
    QVERIFY(tokens.insert(other, hex(3), hex(101), 0, expires));

    UserRepository users(m_sqlite.database());
    QVERIFY(users.remove(id));
    QVERIFY(!users.findById(id).value().has_value());
    QVERIFY(!tokens.findByHash(hex(1)).value().has_value());
    QVERIFY(!tokens.findByHash(hex(2)).value().has_value());
    QVERIFY(tokens.findByHash(hex(3)).value().has_value());

    const auto again = users.remove(id);
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::NotFound);
}

void TestRepositories::countAdminsIgnoresDisabledAdmins()
{
    UserRepository users(m_sqlite.database());
    QCOMPARE(users.countAdmins().value_or(-1), 0);
    const qint64 first = createUser(QStringLiteral("a1@example.com"), Roles::admin);
    createUser(QStringLiteral("a2@example.com"), Roles::admin);
    createUser(QStringLiteral("u1@example.com"));
    QCOMPARE(users.countAdmins().value_or(-1), 2);
    QCOMPARE(users.count().value_or(-1), 3);

    UserChanges disable;
    disable.disabled = true;
    QVERIFY(users.update(first, disable));
    QCOMPARE(users.countAdmins().value_or(-1), 1);
    QCOMPARE(users.count().value_or(-1), 3);
}

// ---- RefreshTokenRepository ---------------------------------------------------------------

void TestRepositories::insertsAndFindsRefreshToken()
{
    const qint64 user = createUser(QStringLiteral("alice@example.com"));
    RefreshTokenRepository tokens(m_sqlite.database());
    const QDateTime expires =
        QDateTime::fromString(QStringLiteral("2030-01-02T03:04:05Z"), Qt::ISODate);
    const auto first = tokens.insert(user, hex(1), hex(100), 0, expires);
    QVERIFY2(first, qPrintable(first ? QString() : describe(first.error())));
    const auto second = tokens.insert(user, hex(2), hex(100), *first, expires.addDays(1));
    QVERIFY(second);
    QVERIFY(*second > *first);

    const auto found = tokens.findByHash(hex(2));
    QVERIFY(found);
    QVERIFY(found->has_value());
    const StoredRefreshToken &token = **found;
    QCOMPARE(token.id, *second);
    QCOMPARE(token.userId, user);
    QCOMPARE(token.familyId, hex(100));
    QCOMPARE(token.parentId, *first);
    QCOMPARE(token.expiresAt, expires.addDays(1));
    QVERIFY(!token.revokedAt.isValid());
    QCOMPARE(token.replacedBy, 0);

    QCOMPARE(tokens.findByHash(hex(1)).value()->parentId, 0);
    QVERIFY(!tokens.findByHash(hex(3)).value().has_value());
    // Stored as text, so the hash compares with what other code writes.
    QCOMPARE(
        m_sqlite.scalar(QStringLiteral("SELECT typeof(token_hash) FROM refresh_tokens LIMIT 1"))
            .toString(),
        QStringLiteral("text"));
}

void TestRepositories::markReplacedSucceedsOnce()
{
    const qint64 user = createUser(QStringLiteral("alice@example.com"));
    RefreshTokenRepository tokens(m_sqlite.database());
    const QDateTime expires = QDateTime::currentDateTimeUtc().addDays(1);
    const qint64 old = tokens.insert(user, hex(1), hex(100), 0, expires).value();
    const qint64 next = tokens.insert(user, hex(2), hex(100), old, expires).value();
    const qint64 rival = tokens.insert(user, hex(3), hex(100), old, expires).value();

    const auto first = tokens.markReplaced(old, next);
    QVERIFY(first);
    QCOMPARE(*first, true);
    const auto second = tokens.markReplaced(old, rival);
    QVERIFY(second);
    QCOMPARE(*second, false);
    QCOMPARE(tokens.findByHash(hex(1)).value()->replacedBy, next);

    const auto missing = tokens.markReplaced(9999, next);
    QVERIFY(missing);
    QCOMPARE(*missing, false);
}

void TestRepositories::markReplacedFailsForRevokedToken()
{
    const qint64 user = createUser(QStringLiteral("alice@example.com"));
    RefreshTokenRepository tokens(m_sqlite.database());
    const QDateTime expires = QDateTime::currentDateTimeUtc().addDays(1);
    const qint64 id = tokens.insert(user, hex(1), hex(100), 0, expires).value();
    QVERIFY(tokens.revoke(id));
    const auto stored = tokens.findByHash(hex(1)).value().value();
    QVERIFY(stored.revokedAt.isValid());
    QVERIFY(qAbs(stored.revokedAt.secsTo(QDateTime::currentDateTimeUtc())) <= 2);
    QCOMPARE(tokens.markReplaced(id, 2).value_or(true), false);
    QVERIFY(tokens.revoke(id)); // revoking twice is fine
    QVERIFY(tokens.revoke(9999));
}

void TestRepositories::revokesOneTokenFamilyOrUser()
{
    const qint64 alice = createUser(QStringLiteral("alice@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    RefreshTokenRepository tokens(m_sqlite.database());
    const QDateTime expires = QDateTime::currentDateTimeUtc().addDays(1);
    QVERIFY(tokens.insert(alice, hex(1), hex(100), 0, expires));
    QVERIFY(tokens.insert(alice, hex(2), hex(100), 0, expires));
    QVERIFY(tokens.insert(alice, hex(3), hex(101), 0, expires));
    QVERIFY(tokens.insert(bob, hex(4), hex(102), 0, expires));
    const auto revoked = [&](int n) {
        return tokens.findByHash(hex(n)).value()->revokedAt.isValid();
    };

    QVERIFY(tokens.revokeFamily(hex(100)));
    QVERIFY(revoked(1));
    QVERIFY(revoked(2));
    QVERIFY(!revoked(3));
    QVERIFY(!revoked(4));

    QVERIFY(tokens.revokeAllForUser(alice));
    QVERIFY(revoked(3));
    QVERIFY(!revoked(4));
}

void TestRepositories::deletesOnlyExpiredTokens()
{
    const qint64 user = createUser(QStringLiteral("alice@example.com"));
    RefreshTokenRepository tokens(m_sqlite.database());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(tokens.insert(user, hex(1), hex(100), 0, now.addSecs(-3600)));
    QVERIFY(tokens.insert(user, hex(2), hex(100), 0, now.addSecs(-1)));
    QVERIFY(tokens.insert(user, hex(3), hex(100), 0, now.addSecs(3600)));
    const qint64 revokedLive = tokens.insert(user, hex(4), hex(101), 0, now.addDays(2)).value();
    QVERIFY(tokens.revoke(revokedLive));

    QVERIFY(tokens.deleteExpired(now));
    QVERIFY(!tokens.findByHash(hex(1)).value().has_value());
    QVERIFY(!tokens.findByHash(hex(2)).value().has_value());
    QVERIFY(tokens.findByHash(hex(3)).value().has_value());
    QVERIFY(tokens.findByHash(hex(4)).value().has_value()); // revoked but not expired: kept
}

// ---- ApiKeyRepository ---------------------------------------------------------------------

void TestRepositories::insertsAndListsApiKeysNewestFirst()
{
    const qint64 admin = createUser(QStringLiteral("admin@example.com"), Roles::admin);
    ApiKeyRepository keys(m_sqlite.database());
    QCOMPARE(keys.list().value().size(), 0);
    const auto first = keys.insert(QStringLiteral("ci"), hex(1), QStringLiteral("opk_aaaa"),
        {Scopes::pipelinesWrite, Scopes::read}, admin);
    QVERIFY2(first, qPrintable(first ? QString() : describe(first.error())));
    const auto second = keys.insert(
        QStringLiteral("backup"), hex(2), QStringLiteral("opk_bbbb"), {Scopes::filesWrite}, 0);
    QVERIFY(second);

    const auto listed = keys.list();
    QVERIFY(listed);
    QCOMPARE(listed->size(), 2);
    QCOMPARE(listed->at(0).id, *second);
    QCOMPARE(listed->at(1).id, *first);
    const ApiKey &ci = listed->at(1);
    QCOMPARE(ci.name, QStringLiteral("ci"));
    QCOMPARE(ci.prefix, QStringLiteral("opk_aaaa"));
    QCOMPARE(ci.scopes, (QStringList {Scopes::pipelinesWrite, Scopes::read}));
    QCOMPARE(ci.createdBy, admin);
    QVERIFY(ci.createdAt.isValid());
    QVERIFY(!ci.lastUsedAt.isValid());
    QVERIFY(ci.key.isEmpty());
    QCOMPARE(listed->at(0).createdBy, 0);
    QCOMPARE(
        m_sqlite.scalar(QStringLiteral("SELECT scopes FROM api_keys WHERE name = 'ci'")).toString(),
        QStringLiteral("pipelines:write read"));
}

void TestRepositories::findsActiveKeyByHash()
{
    ApiKeyRepository keys(m_sqlite.database());
    const qint64 id =
        keys.insert(QStringLiteral("ci"), hex(1), QStringLiteral("opk_aaaa"), {Scopes::read}, 0)
            .value();
    const auto found = keys.findActiveByHash(hex(1));
    QVERIFY(found);
    QVERIFY(found->has_value());
    QCOMPARE((*found)->id, id);
    QCOMPARE((*found)->scopes, QStringList {Scopes::read});
    QVERIFY(!keys.findActiveByHash(hex(2)).value().has_value());
}

void TestRepositories::revokeHidesKeyAndReportsMissing()
{
    ApiKeyRepository keys(m_sqlite.database());
    const qint64 id =
        keys.insert(QStringLiteral("ci"), hex(1), QStringLiteral("opk_aaaa"), {Scopes::read}, 0)
            .value();
    const qint64 kept =
        keys.insert(QStringLiteral("kept"), hex(2), QStringLiteral("opk_bbbb"), {Scopes::read}, 0)
            .value();
    QCOMPARE(keys.revoke(id).value_or(false), true);
    QCOMPARE(keys.revoke(id).value_or(true), false);
    QCOMPARE(keys.revoke(9999).value_or(true), false);
    QVERIFY(!keys.findActiveByHash(hex(1)).value().has_value());
    const auto listed = keys.list().value();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed.first().id, kept);
    // The row stays for the audit trail.
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM api_keys")).toInt(), 2);
}

void TestRepositories::touchRecordsLastUse()
{
    ApiKeyRepository keys(m_sqlite.database());
    const qint64 id =
        keys.insert(QStringLiteral("ci"), hex(1), QStringLiteral("opk_aaaa"), {Scopes::read}, 0)
            .value();
    const QDateTime at = QDateTime::fromString(QStringLiteral("2026-11-22T10:00:00Z"), Qt::ISODate);
    QVERIFY(keys.touchLastUsed(id, at));
    QCOMPARE(keys.findActiveByHash(hex(1)).value()->lastUsedAt, at);
    QCOMPARE(keys.list().value().first().lastUsedAt, at);
}

void TestRepositories::keyOutlivesItsCreator()
{
    const qint64 admin = createUser(QStringLiteral("admin@example.com"), Roles::admin);
    ApiKeyRepository keys(m_sqlite.database());
    QVERIFY(keys.insert(
        QStringLiteral("ci"), hex(1), QStringLiteral("opk_aaaa"), {Scopes::read}, admin));
    QVERIFY(UserRepository(m_sqlite.database()).remove(admin));
    const auto found = keys.findActiveByHash(hex(1));
    QVERIFY(found && found->has_value());
    QCOMPARE((*found)->createdBy, 0);
}

// ---- AuditRepository ----------------------------------------------------------------------

void TestRepositories::auditListsNewestFirstWithPaging()
{
    AuditRepository audit(m_sqlite.database());
    const QDateTime base =
        QDateTime::fromString(QStringLiteral("2026-11-22T10:00:00.100Z"), Qt::ISODateWithMs);
    // Within one second, out of insertion order: order comes from the milliseconds.
    for (const int ms : {300, 100, 200}) {
        AuditEntry entry;
        entry.at = base.addMSecs(ms);
        entry.action = QStringLiteral("test.%1").arg(ms);
        QVERIFY(audit.append(entry));
    }
    const auto firstPage = audit.list(page(2, 0));
    QVERIFY(firstPage);
    QCOMPARE(firstPage->total, 3);
    QCOMPARE(firstPage->items.size(), 2);
    QCOMPARE(firstPage->items.at(0).action, QStringLiteral("test.300"));
    QCOMPARE(firstPage->items.at(1).action, QStringLiteral("test.200"));
    const auto secondPage = audit.list(page(2, 2));
    QVERIFY(secondPage);
    QCOMPARE(secondPage->total, 3);
    QCOMPARE(secondPage->skip, 2);
    QCOMPARE(secondPage->items.size(), 1);
    QCOMPARE(secondPage->items.at(0).action, QStringLiteral("test.100"));
    QCOMPARE(secondPage->items.at(0).at, base.addMSecs(100));
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT at FROM audit WHERE action = 'test.100'"))
                 .toString(),
        QStringLiteral("2026-11-22T10:00:00.200Z"));
}

void TestRepositories::auditKeepsFieldsAndDetail()
{
    const qint64 admin = createUser(QStringLiteral("admin@example.com"), Roles::admin);
    AuditRepository audit(m_sqlite.database());
    AuditEntry entry;
    entry.actorId = admin;
    entry.actorLabel = QStringLiteral("admin@example.com");
    entry.action = QStringLiteral("user.deleted");
    entry.targetType = QStringLiteral("user");
    entry.targetId = QStringLiteral("7");
    entry.clientAddress = QStringLiteral("203.0.113.7");
    entry.detail = {
        {QStringLiteral("email"), QStringLiteral("bob@example.com")}, {QStringLiteral("count"), 2}};
    QVERIFY(audit.append(entry)); // no time given: now

    AuditEntry anonymous;
    anonymous.action = QStringLiteral("login.failed");
    QVERIFY(audit.append(anonymous));

    const auto listed = audit.list(page(10, 0));
    QVERIFY(listed);
    QCOMPARE(listed->items.size(), 2);
    const AuditEntry &stored = listed->items.at(1);
    QVERIFY(stored.id > 0);
    QVERIFY(qAbs(stored.at.secsTo(QDateTime::currentDateTimeUtc())) <= 2);
    QCOMPARE(stored.actorId, admin);
    QCOMPARE(stored.actorLabel, entry.actorLabel);
    QCOMPARE(stored.action, entry.action);
    QCOMPARE(stored.targetType, entry.targetType);
    QCOMPARE(stored.targetId, entry.targetId);
    QCOMPARE(stored.clientAddress, entry.clientAddress);
    QCOMPARE(stored.detail, entry.detail);

    const AuditEntry &anon = listed->items.at(0);
    QCOMPARE(anon.actorId, 0);
    QVERIFY(anon.actorLabel.isEmpty());
    QVERIFY(anon.detail.isEmpty());
    QCOMPARE(m_sqlite
                 .scalar(QStringLiteral("SELECT COUNT(*) FROM audit WHERE actor_id IS NULL "
                                        "AND detail IS NULL AND target_type IS NULL"))
                 .toInt(),
        1);

    // Entries outlive their actor.
    QVERIFY(UserRepository(m_sqlite.database()).remove(admin));
    const auto after = audit.list(page(10, 0));
    QVERIFY(after);
    QCOMPARE(after->items.at(1).actorId, 0);
    QCOMPARE(after->items.at(1).actorLabel, QStringLiteral("admin@example.com"));
}

// ---- LoginAttemptRepository ---------------------------------------------------------------

void TestRepositories::countsFailuresSince()
{
    LoginAttemptRepository attempts(m_sqlite.database());
    const QString key = QStringLiteral("account:alice@example.com");
    const QDateTime t0 =
        QDateTime::fromString(QStringLiteral("2026-11-22T10:00:00.000Z"), Qt::ISODateWithMs);
    QVERIFY(attempts.recordFailure(key, t0));
    QVERIFY(attempts.recordFailure(key, t0.addMSecs(100)));
    QVERIFY(attempts.recordFailure(key, t0.addMSecs(250)));
    QVERIFY(attempts.recordFailure(QStringLiteral("address:203.0.113.7"), t0.addMSecs(300)));

    auto failures = attempts.failuresSince(key, t0.addMSecs(50));
    QVERIFY(failures);
    QCOMPARE(failures->count, 2);
    QCOMPARE(failures->latest, t0.addMSecs(250));

    failures = attempts.failuresSince(key, t0);
    QVERIFY(failures);
    QCOMPARE(failures->count, 3); // inclusive

    failures = attempts.failuresSince(key, t0.addSecs(1));
    QVERIFY(failures);
    QCOMPARE(failures->count, 0);
    QVERIFY(!failures->latest.isValid());

    failures = attempts.failuresSince(QStringLiteral("account:nobody@example.com"), t0.addDays(-1));
    QVERIFY(failures);
    QCOMPARE(failures->count, 0);
}

void TestRepositories::clearsFailuresOfOneKey()
{
    LoginAttemptRepository attempts(m_sqlite.database());
    const QString alice = QStringLiteral("account:alice@example.com");
    const QString address = QStringLiteral("address:203.0.113.7");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(attempts.recordFailure(alice, now));
    QVERIFY(attempts.recordFailure(address, now));
    QVERIFY(attempts.clear(alice));
    QCOMPARE(attempts.failuresSince(alice, now.addSecs(-60)).value().count, 0);
    QCOMPARE(attempts.failuresSince(address, now.addSecs(-60)).value().count, 1);
}

void TestRepositories::prunesOldFailures()
{
    LoginAttemptRepository attempts(m_sqlite.database());
    const QString key = QStringLiteral("address:203.0.113.7");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(attempts.recordFailure(key, now.addSecs(-7200)));
    QVERIFY(attempts.recordFailure(key, now.addSecs(-3601)));
    QVERIFY(attempts.recordFailure(key, now.addSecs(-10)));
    QVERIFY(attempts.pruneBefore(now.addSecs(-3600)));
    QCOMPARE(m_sqlite.scalar(QStringLiteral("SELECT COUNT(*) FROM login_attempts")).toInt(), 1);
    QCOMPARE(attempts.failuresSince(key, now.addDays(-1)).value().count, 1);
}

// ---- Transaction --------------------------------------------------------------------------

void TestRepositories::rowFormatListsItsColumnsInOrder()
{
    QCOMPARE(kSampleRow.columns(),
        QStringLiteral("s.id, s.number, s.flag, s.ratio, s.text, s.digest, s.at, s.words, j.id, "
                       "j.name"));
    QCOMPARE(kSampleRow.count(), 10);
    QCOMPARE(kJoinedRow.count(), 2);
}

void TestRepositories::rowFormatCastsTextColumnsToBlobWhenAsked()
{
    QCOMPARE(kSampleRow.columns(TextAs::Blob),
        QStringLiteral("s.id, s.number, s.flag, s.ratio, CAST(s.text AS BLOB), "
                       "CAST(s.digest AS BLOB), CAST(s.at AS BLOB), CAST(s.words AS BLOB), j.id, "
                       "CAST(j.name AS BLOB)"));
}

void TestRepositories::rowFormatReadsEveryFieldType()
{
    QSqlQuery query(m_sqlite.database().connection());
    QVERIFY2(query.exec(QStringLiteral("SELECT 7, 42, 1, 2.5, 'text', 'ab01', "
                                       "'2024-01-02T03:04:05Z', ' two  words ', 9, 'nine'")),
        qPrintable(query.lastError().text()));
    QVERIFY(query.next());
    const Sample sample = kSampleRow.read(QtRow {query});
    QCOMPARE(sample.id, 7);
    QCOMPARE(sample.number, 42);
    QCOMPARE(sample.flag, true);
    QCOMPARE(sample.ratio, 2.5);
    QCOMPARE(sample.text, QStringLiteral("text"));
    QCOMPARE(sample.digest, QByteArrayLiteral("ab01"));
    QCOMPARE(sample.at, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC));
    QCOMPARE(sample.words, QStringList({QStringLiteral("two"), QStringLiteral("words")}));
    QVERIFY(sample.joined);
    QCOMPARE(sample.joined->id, 9);
    QCOMPARE(sample.joined->name, QStringLiteral("nine"));
}

void TestRepositories::rowFormatReadsANullJoinAsNullopt()
{
    QSqlQuery query(m_sqlite.database().connection());
    QVERIFY2(query.exec(QStringLiteral("SELECT 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                                       "'left over'")),
        qPrintable(query.lastError().text()));
    QVERIFY(query.next());
    const Sample sample = kSampleRow.read(QtRow {query});
    QCOMPARE(sample.id, 7);
    QCOMPARE(sample.number, 0);
    QCOMPARE(sample.flag, false);
    QVERIFY(sample.text.isNull());
    QVERIFY(!sample.at.isValid());
    QVERIFY(sample.words.isEmpty());
    // The joined row's first column decides, whatever follows it.
    QVERIFY(!sample.joined);
}

void TestRepositories::rowFormatReadsSqliteRowsAsQtRows()
{
    const QString sql = QStringLiteral("SELECT 3, 'caf\u00e9', '2024-05-06T07:08:09Z', 4, 'four' "
                                       "UNION ALL SELECT 5, NULL, NULL, NULL, NULL ORDER BY 1");
    SqliteReader *reader = SqliteReader::forThread(m_sqlite.database());
    QVERIFY(reader);
    auto rows = reader->exec(sql, SqlSupport::BindingList(), "sample rows");
    QVERIFY2(rows, qPrintable(rows ? QString() : describe(rows.error())));
    QList<Sample> fromSqlite;
    while (rows->next())
        fromSqlite.append(kSqliteSampleRow.read(*rows));
    QVERIFY(!rows->error());

    QSqlQuery query(m_sqlite.database().connection());
    QVERIFY2(query.exec(sql), qPrintable(query.lastError().text()));
    QList<Sample> fromQt;
    while (query.next())
        fromQt.append(kSqliteSampleRow.read(QtRow {query}));

    QCOMPARE(fromSqlite.size(), 2);
    QCOMPARE(fromQt.size(), 2);
    for (qsizetype i = 0; i < 2; ++i) {
        QCOMPARE(fromSqlite.at(i).id, fromQt.at(i).id);
        QCOMPARE(fromSqlite.at(i).text, fromQt.at(i).text);
        QCOMPARE(fromSqlite.at(i).at, fromQt.at(i).at);
        QCOMPARE(fromSqlite.at(i).joined.has_value(), fromQt.at(i).joined.has_value());
    }
    QCOMPARE(fromSqlite.at(0).text, QStringLiteral("caf\u00e9"));
    QCOMPARE(fromSqlite.at(0).joined->name, QStringLiteral("four"));
    QVERIFY(fromSqlite.at(1).text.isNull());
    QVERIFY(!fromSqlite.at(1).joined);
}

void TestRepositories::transactionRollsBackUnlessCommitted()
{
    {
        Transaction transaction(m_sqlite.database());
        QVERIFY(transaction.begin());
        QVERIFY(createUser(QStringLiteral("alice@example.com")) > 0);
        QCOMPARE(UserRepository(m_sqlite.database()).count().value_or(-1), 1); // visible inside
    }
    QCOMPARE(UserRepository(m_sqlite.database()).count().value_or(-1), 0);
    // The connection is usable again afterwards (no transaction left open).
    Transaction next(m_sqlite.database());
    QVERIFY(next.begin());
    QVERIFY(next.commit());
}

void TestRepositories::transactionCommits()
{
    {
        Transaction transaction(m_sqlite.database());
        QVERIFY(transaction.begin());
        QVERIFY(createUser(QStringLiteral("alice@example.com")) > 0);
        QVERIFY(createUser(QStringLiteral("bob@example.com")) > 0);
        const auto committed = transaction.commit();
        QVERIFY2(committed, qPrintable(committed ? QString() : describe(committed.error())));
    }
    QCOMPARE(UserRepository(m_sqlite.database()).count().value_or(-1), 2);
}

void TestRepositories::immediateTransactionsSerialise()
{
    // Thread A takes the write lock and holds it; thread B's BEGIN IMMEDIATE must wait for A's
    // COMMIT (within the busy timeout) and then succeed.
    constexpr int kHoldMs = 400;
    QSemaphore aBegun;
    QElapsedTimer clock;
    clock.start();
    std::atomic<qint64> aCommittedAt {-1};
    std::atomic<qint64> bBegunAt {-1};
    std::atomic<bool> aOk {false};
    std::atomic<bool> bOk {false};
    Database &db = m_sqlite.database();

    std::unique_ptr<QThread> a(QThread::create([&] {
        {
            Transaction transaction(db);
            if (!transaction.begin()) {
                aBegun.release();
                return;
            }
            aBegun.release();
            // Read-check-write, as the services do.
            const qint64 admins = UserRepository(db).countAdmins().value_or(-1);
            QThread::msleep(kHoldMs);
            const bool inserted = UserRepository(db)
                                      .insert(QStringLiteral("a@example.com"), QString(),
                                          kPasswordHash, admins == 0 ? Roles::admin : Roles::user)
                                      .has_value();
            aOk = inserted && transaction.commit().has_value();
            aCommittedAt = clock.elapsed();
        }
        db.closeThreadConnection();
    }));
    std::unique_ptr<QThread> b(QThread::create([&] {
        aBegun.acquire();
        {
            Transaction transaction(db);
            const auto begun = transaction.begin();
            bBegunAt = clock.elapsed();
            if (!begun) {
                qWarning() << "B could not begin:" << describe(begun.error());
                return;
            }
            const qint64 admins = UserRepository(db).countAdmins().value_or(-1);
            const bool inserted = UserRepository(db)
                                      .insert(QStringLiteral("b@example.com"), QString(),
                                          kPasswordHash, admins == 0 ? Roles::admin : Roles::user)
                                      .has_value();
            bOk = inserted && transaction.commit().has_value();
        }
        db.closeThreadConnection();
    }));
    a->start();
    b->start();
    QVERIFY(a->wait(10000));
    QVERIFY(b->wait(10000));

    QVERIFY(aOk);
    QVERIFY(bOk);
    QVERIFY2(bBegunAt >= aCommittedAt,
        qPrintable(QStringLiteral("B began at %1 ms, A committed at %2 ms")
                       .arg(bBegunAt.load())
                       .arg(aCommittedAt.load())));
    // B saw A's admin, so exactly one admin was made.
    QCOMPARE(UserRepository(m_sqlite.database()).countAdmins().value_or(-1), 1);
    QCOMPARE(UserRepository(m_sqlite.database()).count().value_or(-1), 2);
}

void TestRepositories::lockedDatabaseIsUnavailable()
{
    Transaction holder(m_sqlite.database());
    QVERIFY(holder.begin());
    Database &db = m_sqlite.database();
    Status begun;
    Result<qint64> inserted = 0;
    std::unique_ptr<QThread> waiter(QThread::create([&] {
        {
            // Shorter than the production busy timeout, to keep the test quick.
            QSqlQuery pragma(db.connection());
            pragma.exec(QStringLiteral("PRAGMA busy_timeout=50"));
            Transaction transaction(db);
            begun = transaction.begin();
            inserted = UserRepository(db).insert(
                QStringLiteral("a@example.com"), QString(), kPasswordHash, Roles::user);
        }
        db.closeThreadConnection();
    }));
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("^BEGIN IMMEDIATE failed")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^insert user failed")));
    waiter->start();
    QVERIFY(waiter->wait(10000));
    QVERIFY(!begun);
    QCOMPARE(begun.error().code, ErrorCode::Unavailable);
    QCOMPARE(begun.error().detail, QStringLiteral("the database is busy"));
    QVERIFY(!inserted);
    QCOMPARE(inserted.error().code, ErrorCode::Unavailable);
    QVERIFY(holder.commit());
}

// ---- Errors -------------------------------------------------------------------------------

void TestRepositories::unreachableDatabaseIsUnavailable()
{
    // A file where the database's directory should be: the connection cannot open.
    QFile blocker(m_sqlite.filePath(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    // Each attempt logs why (the path goes to the log only, never into the Error).
    for (int i = 0; i < 3; ++i) {
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(QStringLiteral("^cannot create the database directory")));
    }
    Database broken(
        DatabaseUrl::sqliteFile(m_sqlite.filePath(QStringLiteral("blocker/outpost.db"))));

    const auto found = UserRepository(broken).findById(1);
    QVERIFY(!found);
    QCOMPARE(found.error().code, ErrorCode::Unavailable);
    QCOMPARE(found.error().detail, QStringLiteral("the database is not reachable"));

    const auto inserted = UserRepository(broken).insert(
        QStringLiteral("a@example.com"), QString(), kPasswordHash, Roles::user);
    QVERIFY(!inserted);
    QCOMPARE(inserted.error().code, ErrorCode::Unavailable);

    Transaction transaction(broken);
    const auto begun = transaction.begin();
    QVERIFY(!begun);
    QCOMPARE(begun.error().code, ErrorCode::Unavailable);
}

void TestRepositories::sqlFailureIsInternalWithoutSql()
{
    QSqlQuery drop(m_sqlite.database().connection());
    QVERIFY(drop.exec(QStringLiteral("DROP TABLE login_attempts")));
    drop.finish();

    // The driver's text goes to the outpost.db log, not into the Error.
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("^record failed login failed: no such table")));
    const auto recorded = LoginAttemptRepository(m_sqlite.database())
                              .recordFailure(QStringLiteral("k"), QDateTime::currentDateTimeUtc());
    QVERIFY(!recorded);
    QCOMPARE(recorded.error().code, ErrorCode::Internal);
    QCOMPARE(recorded.error().detail, QStringLiteral("database error"));
    QVERIFY(recorded.error().fields.isEmpty());
}

void TestRepositories::oidcIdentityLinksOnceAndFollowsTheUser()
{
    OidcRepository identities(m_sqlite.database());
    const qint64 alice = createUser(QStringLiteral("alice@example.com"));
    const qint64 bob = createUser(QStringLiteral("bob@example.com"));
    QCOMPARE(identities.findUserId(QStringLiteral("corp"), QStringLiteral("s1")).value(),
        std::optional<qint64>());
    QVERIFY(identities.link(QStringLiteral("corp"), QStringLiteral("s1"), alice));
    // The same subject at another provider is another identity.
    QVERIFY(identities.link(QStringLiteral("lab"), QStringLiteral("s1"), bob));
    QCOMPARE(identities.findUserId(QStringLiteral("corp"), QStringLiteral("s1")).value(),
        std::optional<qint64>(alice));
    QCOMPARE(identities.findUserId(QStringLiteral("lab"), QStringLiteral("s1")).value(),
        std::optional<qint64>(bob));
    const Status again = identities.link(QStringLiteral("corp"), QStringLiteral("s1"), bob);
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::Conflict);
    // Deleting the user deletes the link.
    QVERIFY(UserRepository(m_sqlite.database()).remove(alice));
    QCOMPARE(identities.findUserId(QStringLiteral("corp"), QStringLiteral("s1")).value(),
        std::optional<qint64>());
}

void TestRepositories::oidcFlowIsTakenOnceAndNotAfterItExpires()
{
    OidcRepository flows(m_sqlite.database());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    OidcFlow flow {QStringLiteral("corp"), QStringLiteral("nonce"), QStringLiteral("verifier"),
        QStringLiteral("http://127.0.0.1:9/cb"), now.addSecs(600)};
    const Status inserted = flows.insertFlow(hex(1), flow);
    QVERIFY2(inserted, qPrintable(inserted ? QString() : inserted.error().detail));
    const auto taken = flows.takeFlow(hex(1), now);
    QVERIFY2(taken, qPrintable(taken ? QString() : taken.error().detail));
    QVERIFY(*taken);
    QCOMPARE((*taken)->nonce, QStringLiteral("nonce"));
    QCOMPARE((*taken)->codeVerifier, QStringLiteral("verifier"));
    QCOMPARE((*taken)->redirectUri, QStringLiteral("http://127.0.0.1:9/cb"));
    QCOMPARE((*taken)->expiresAt, now.addSecs(600).addMSecs(-now.time().msec()));
    QVERIFY(!flows.takeFlow(hex(1), now).value());

    // An expired flow is not handed out, and is gone after the attempt.
    flow.expiresAt = now.addSecs(-1);
    QVERIFY(flows.insertFlow(hex(2), flow));
    QVERIFY(!flows.takeFlow(hex(2), now).value());
    QCOMPARE(
        scalar(m_sqlite.database(), QStringLiteral("SELECT COUNT(*) FROM oidc_flows")).toInt(), 0);

    // Housekeeping removes the expired ones only.
    QVERIFY(flows.insertFlow(hex(3), flow));
    flow.expiresAt = now.addSecs(600);
    QVERIFY(flows.insertFlow(hex(4), flow));
    QCOMPARE(flows.deleteExpiredFlows(now).value(), 1);
    QVERIFY(flows.takeFlow(hex(4), now).value());
}

QTEST_GUILESS_MAIN(TestRepositories)
#include "tst_repositories.moc"
