#include "passwordhasher.h"

#include "bcrypt.h"
#include "crypto.h"

#include <mutex>

namespace Outpost::Server {

namespace {

constexpr int minCost = 4;
constexpr int maxCost = 31;
constexpr qsizetype bcryptLength = 60; // "$2b$12$" + 22 salt + 31 hash characters

bool isSupportedHash(const QByteArray &hash)
{
    return hash.size() == bcryptLength && !hash.contains('\0')
        && (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$"));
}

} // namespace

struct PasswordHasher::DummyHash
{
    std::once_flag once;
    QByteArray hash;
};

PasswordHasher::PasswordHasher(int cost)
    : m_cost(cost)
    , m_dummy(std::make_shared<DummyHash>())
{
    // The configuration validates the cost; anything else here is a programming error.
    Q_ASSERT(cost >= minCost && cost <= maxCost);
}

// bcrypt reads at most 72 bytes of the password and ignores the rest; the API limits passwords
// to 128 characters, so long ones share their first 72 UTF-8 bytes (passlib behaves the same).
// A NUL byte would end the C string early and silently shorten the password, so it is refused.
Result<QByteArray> PasswordHasher::hash(const QByteArray &password) const
{
    if (password.contains('\0'))
        return fail(Error::validation(QStringLiteral("password"),
            QStringLiteral("Password must not contain NUL characters.")));

    QByteArray hashed = Bcrypt::hash(password, m_cost);
    if (hashed.isEmpty())
        return fail(Error::internal(QStringLiteral("Password hashing failed.")));
    return hashed;
}

bool PasswordHasher::verify(const QByteArray &password, const QByteArray &hash) const
{
    // Only bcrypt: libcrypt would also accept md5-crypt, DES and others.
    if (password.contains('\0') || !isSupportedHash(hash))
        return false;
    return Bcrypt::verify(password, hash);
}

const QByteArray &PasswordHasher::dummyHash() const
{
    // Called from worker threads: made once, whichever thread comes first.
    std::call_once(m_dummy->once, [this] {
        auto made = hash(Crypto::newOpaqueToken());
        if (!made)
            qFatal("%s cannot make bcrypt hashes at cost %d", Bcrypt::implementation(), m_cost);
        m_dummy->hash = std::move(*made);
    });
    return m_dummy->hash;
}

} // namespace Outpost::Server
