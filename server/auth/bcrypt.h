#pragma once

#include <QByteArray>

// The bcrypt implementation under PasswordHasher, one of two chosen at build time
// (OUTPOST_BCRYPT in server/auth/CMakeLists.txt): libxcrypt's crypt_rn where the C library has
// it (Linux), Botan elsewhere (Windows and macOS, from vcpkg). Both read at most 72 bytes of
// the password, verify $2a$, $2b$ and $2y$ alike and compare in constant time; the published
// vectors in tests/fixtures/bcrypt pass with either (tst_passwordhasher, and
// tst_passwordhasher_botan on Linux). PasswordHasher checks what they must not see: NUL bytes,
// hashes of other schemes.
namespace Outpost::Server::Bcrypt {

// "libxcrypt" or "Botan".
const char *implementation();

// A new $2b$ hash of `password` at `cost`, with a fresh 128-bit salt from the system's CSPRNG;
// empty when the implementation cannot make one (Botan: a cost above 18).
QByteArray hash(const QByteArray &password, int cost);

// Whether `password` hashes to `hash` (a 60-character $2a$, $2b$ or $2y$ hash); false for a
// hash the implementation cannot use.
bool verify(const QByteArray &password, const QByteArray &hash);

} // namespace Outpost::Server::Bcrypt
