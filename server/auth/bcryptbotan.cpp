#include "bcrypt.h"

#include <botan/bcrypt.h>
#include <botan/system_rng.h>

#include <cstdint>
#include <exception>
#include <string>

namespace Outpost::Server::Bcrypt {

const char *implementation()
{
    return "Botan";
}

// Botan throws for what libxcrypt answers with an error string (a cost outside 4..18, a salt
// that is not bcrypt's base64): both are "cannot", never an exception across the layer.
QByteArray hash(const QByteArray &password, int cost)
{
    try {
        const std::string made = Botan::generate_bcrypt(
            password.toStdString(), Botan::system_rng(), static_cast<std::uint16_t>(cost), 'b');
        return QByteArray::fromStdString(made);
    } catch (const std::exception &) {
        return {};
    }
}

bool verify(const QByteArray &password, const QByteArray &hash)
{
    try {
        return Botan::check_bcrypt(password.toStdString(), hash.toStdString());
    } catch (const std::exception &) {
        return false;
    }
}

} // namespace Outpost::Server::Bcrypt
