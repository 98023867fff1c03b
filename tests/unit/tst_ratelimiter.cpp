// The token buckets behind the rate limits (server/http/ratelimiter.cpp): refill, the numbers
// for the RateLimit and Retry-After headers, separate buckets, and bounded memory.
#include "http/ratelimiter.h"

#include <QTest>

using namespace Outpost::Server;

namespace {

constexpr qint64 kSecond = 1'000'000'000;

RateLimitPolicy policy(const char *name, int quota, int window)
{
    return {QByteArray(name), quota, window, {}};
}

} // namespace

class TestRateLimiter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefill();
    void headersDescribeTheBucket();
    void keysAndClassesHaveTheirOwnBuckets();
    void ipv6ClientsShareTheirSlash64();
    void memoryIsBoundedAndIdleBucketsGoFirst();
    void offAllowsEverything();
};

void TestRateLimiter::burstThenRefill()
{
    RateLimiter limiter(policy("default", 3, 60), policy("expensive", 1, 60));
    const auto key = RateLimiter::Key::user(7, false);
    qint64 now = 1000 * kSecond;
    for (int i = 0; i < 3; ++i)
        QVERIFY(limiter.take(key, now).allowed);
    const RateLimiter::Decision refused = limiter.take(key, now);
    QVERIFY(!refused.allowed);
    QCOMPARE(refused.retryAfter, 20); // one token every 20 s
    QVERIFY(!limiter.take(key, now + 19 * kSecond).allowed);
    QVERIFY(limiter.take(key, now + 20 * kSecond).allowed);
}

void TestRateLimiter::headersDescribeTheBucket()
{
    RateLimiter limiter(policy("default", 10, 10), policy("expensive", 1, 60));
    const auto key = RateLimiter::Key::apiKey(3, false);
    const RateLimiter::Decision first = limiter.take(key, 0);
    QVERIFY(first.allowed);
    QCOMPARE(first.remaining, 9);
    QCOMPARE(first.resetSeconds, 1); // one token to refill, one a second
    QCOMPARE(first.policy->fieldValue, QByteArray(R"("default";q=10;w=10)"));
    for (int i = 0; i < 9; ++i)
        limiter.take(key, 0);
    const RateLimiter::Decision empty = limiter.take(key, 0);
    QVERIFY(!empty.allowed);
    QCOMPARE(empty.remaining, 0);
    QCOMPARE(empty.resetSeconds, 10);
    QCOMPARE(empty.retryAfter, 1);
}

void TestRateLimiter::keysAndClassesHaveTheirOwnBuckets()
{
    RateLimiter limiter(policy("default", 1, 60), policy("expensive", 1, 60));
    QVERIFY(limiter.take(RateLimiter::Key::user(1, false), 0).allowed);
    QVERIFY(!limiter.take(RateLimiter::Key::user(1, false), 0).allowed);
    QVERIFY(limiter.take(RateLimiter::Key::user(1, true), 0).allowed);    // other class
    QVERIFY(limiter.take(RateLimiter::Key::user(2, false), 0).allowed);   // other user
    QVERIFY(limiter.take(RateLimiter::Key::apiKey(1, false), 0).allowed); // key id 1
    const auto address = QHostAddress(QStringLiteral("203.0.113.9"));
    QVERIFY(limiter.take(RateLimiter::Key::address(address, false), 0).allowed);
    QVERIFY(!limiter.take(RateLimiter::Key::address(address, false), 0).allowed);
    QCOMPARE(
        limiter.take(RateLimiter::Key::user(1, true), 0).policy->name, QByteArray("expensive"));
}

void TestRateLimiter::ipv6ClientsShareTheirSlash64()
{
    RateLimiter limiter(policy("default", 1, 60), policy("expensive", 1, 60));
    const auto a = QHostAddress(QStringLiteral("2001:db8:1:2::1"));
    const auto b = QHostAddress(QStringLiteral("2001:db8:1:2:ffff::9"));
    const auto c = QHostAddress(QStringLiteral("2001:db8:1:3::1"));
    QVERIFY(limiter.take(RateLimiter::Key::address(a, false), 0).allowed);
    QVERIFY(!limiter.take(RateLimiter::Key::address(b, false), 0).allowed); // same /64
    QVERIFY(limiter.take(RateLimiter::Key::address(c, false), 0).allowed);
}

void TestRateLimiter::memoryIsBoundedAndIdleBucketsGoFirst()
{
    const int maxKeys = 2 * RateLimiter::kShards;
    RateLimiter limiter(policy("default", 1, 60), policy("expensive", 1, 60), maxKeys);
    // An attacker spraying addresses never grows the table past its bound.
    for (quint32 i = 0; i < 5000; ++i)
        limiter.take(RateLimiter::Key::address(QHostAddress(0x0a000000 + i), false), i);
    QVERIFY2(limiter.size() <= maxKeys, QByteArray::number(limiter.size()).constData());

    // A user who emptied their bucket keeps it while idle buckets (a window old: full again,
    // so forgetting them changes nothing) and then the fullest ones make room: spraying new
    // keys cannot reset a competitor's bucket.
    RateLimiter small(policy("default", 2, 60), policy("expensive", 2, 60), maxKeys);
    const qint64 start = 0;
    for (qint64 id = 1; id <= maxKeys * 4; ++id)
        small.take(RateLimiter::Key::user(id, false), start);
    const auto active = RateLimiter::Key::user(1'000'000, false);
    const qint64 later = start + 61 * kSecond;
    QVERIFY(small.take(active, later).allowed);
    QVERIFY(small.take(active, later).allowed);
    for (qint64 id = 2'000'000; id < 2'000'000 + maxKeys * 4; ++id)
        small.take(RateLimiter::Key::user(id, false), later + 1);
    QVERIFY(small.size() <= maxKeys);
    QVERIFY(!small.take(active, later + 2).allowed); // still remembered, still empty
}

void TestRateLimiter::offAllowsEverything()
{
    RateLimiter limiter(policy("default", 0, 60), policy("expensive", 0, 60));
    for (int i = 0; i < 100; ++i) {
        const RateLimiter::Decision decision = limiter.take(RateLimiter::Key::user(1, false), 0);
        QVERIFY(decision.allowed);
        QVERIFY(decision.policy == nullptr);
    }
    QCOMPARE(limiter.size(), 0);
}

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
