#pragma once

#include "core/result.h"

#include <QByteArray>

#include <memory>

namespace Outpost::Server {

// bcrypt ($2b$) through libxcrypt (crypt_rn / crypt_gensalt_rn), or Botan where the C library
// has no bcrypt (bcrypt.h). Verifies $2a$, $2b$ and $2y$ hashes, so accounts made by Python's
// passlib keep working. Every call is slow on
// purpose (cost 12 ≈ 0.25 s): call it off the HTTP threads.
class PasswordHasher
{
public:
    explicit PasswordHasher(int cost); // 4..31
    int cost() const { return m_cost; }

    // A new $2b$ hash with a fresh 128-bit salt from the system's CSPRNG.
    Result<QByteArray> hash(const QByteArray &password) const;
    // Constant-time comparison of the recomputed hash; false for malformed hashes.
    bool verify(const QByteArray &password, const QByteArray &hash) const;
    // A real hash at this cost of a random password, made once: verifying against it costs
    // what a real verification costs, so an unknown email takes as long as a wrong password.
    const QByteArray &dummyHash() const;

private:
    struct DummyHash; // once_flag + the hash, shared by copies so it is made only once
    int m_cost;
    std::shared_ptr<DummyHash> m_dummy;
};

} // namespace Outpost::Server
