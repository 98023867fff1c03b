#include "jwtsecret.h"

#include "crypto.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcJwtSecret, "outpost.auth", QtInfoMsg)

namespace Outpost::Server {

Result<QByteArray> loadJwtSecret(const Config &config)
{
    if (!config.jwtSecret.isEmpty())
        return config.jwtSecret;
    const QString path = QDir(config.dataDir).filePath(QStringLiteral("jwt.secret"));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const QByteArray secret = Crypto::randomBytes(32).toHex();
        if (file.write(secret) != secret.size() || !file.flush()) {
            file.remove();
            return fail(Error::unavailable(QStringLiteral("cannot write the JWT secret file")));
        }
        file.close();
        qCInfo(lcJwtSecret) << "generated a JWT secret in the data directory";
        return secret;
    }
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::unavailable(QStringLiteral("cannot read the JWT secret file")));
    const QByteArray secret = file.readAll().trimmed();
    if (secret.size() < 32)
        return fail(Error::unavailable(QStringLiteral("the JWT secret file is too short")));
    return secret;
}

} // namespace Outpost::Server
