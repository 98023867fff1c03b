#include "passwordhasher.h"

#include "crypto.h"

#include <openssl/crypto.h>

#include <crypt.h>

#include <mutex>

namespace Outpost::Server {

namespace {

constexpr int minCost = 4;
constexpr int maxCost = 31;
constexpr qsizetype saltBytes = 16;    // bcrypt's 128-bit salt
constexpr qsizetype bcryptLength = 60; // "$2b$12$" + 22 salt + 31 hash characters

bool isSupportedHash(const QByteArray &hash)
{
    return hash.size() == bcryptLength && !hash.contains('\0')
        && (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$"));
}

// crypt_rn with its ~32 KiB scratch area on the heap (worker threads have small stacks); the
// area holds password-derived state, so it is wiped afterwards. Empty on failure: libcrypt
// returns NULL or a string starting with '*' for settings it cannot use.
QByteArray cryptRn(const QByteArray &password, const char *setting)
{
    auto data = std::make_unique<crypt_data>(); // value-initialised: zeroed, as crypt_rn wants
    const char *result = crypt_rn(password.constData(), setting, data.get(), sizeof(crypt_data));
    QByteArray out;
    if (result && result[0] != '*')
        out = QByteArray(result);
    OPENSSL_cleanse(data.get(), sizeof(crypt_data));
    return out;
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

    const QByteArray salt = Crypto::randomBytes(saltBytes);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE] = {};
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(m_cost), salt.constData(),
            static_cast<int>(salt.size()), setting, static_cast<int>(sizeof setting)))
        return fail(Error::internal(QStringLiteral("Password hashing failed.")));

    QByteArray hashed = cryptRn(password, setting);
    if (hashed.isEmpty())
        return fail(Error::internal(QStringLiteral("Password hashing failed.")));
    return hashed;
}

bool PasswordHasher::verify(const QByteArray &password, const QByteArray &hash) const
{
    // Only bcrypt: libcrypt would also accept md5-crypt, DES and others.
    if (password.contains('\0') || !isSupportedHash(hash))
        return false;
    const QByteArray recomputed = cryptRn(password, hash.constData());
    if (recomputed.isEmpty())
        return false;
    return Crypto::constantTimeEquals(recomputed, hash);
}

const QByteArray &PasswordHasher::dummyHash() const
{
    // Called from worker threads: made once, whichever thread comes first.
    std::call_once(m_dummy->once, [this] {
        auto made = hash(Crypto::newOpaqueToken());
        if (!made)
            qFatal("libcrypt cannot make bcrypt hashes");
        m_dummy->hash = std::move(*made);
    });
    return m_dummy->hash;
}

} // namespace Outpost::Server
