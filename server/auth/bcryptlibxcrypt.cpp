#include "bcrypt.h"

#include "crypto.h"

#include <openssl/crypto.h>

#include <crypt.h>

#include <memory>

namespace Outpost::Server::Bcrypt {

namespace {

constexpr qsizetype saltBytes = 16; // bcrypt's 128-bit salt

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

const char *implementation()
{
    return "libxcrypt";
}

QByteArray hash(const QByteArray &password, int cost)
{
    const QByteArray salt = Crypto::randomBytes(saltBytes);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE] = {};
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), salt.constData(),
            static_cast<int>(salt.size()), setting, static_cast<int>(sizeof setting)))
        return {};
    return cryptRn(password, setting);
}

bool verify(const QByteArray &password, const QByteArray &hash)
{
    const QByteArray recomputed = cryptRn(password, hash.constData());
    if (recomputed.isEmpty())
        return false;
    return Crypto::constantTimeEquals(recomputed, hash);
}

} // namespace Outpost::Server::Bcrypt
