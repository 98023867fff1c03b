#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Outpost {

namespace Roles {
inline const QString admin = QStringLiteral("admin");
inline const QString user = QStringLiteral("user");
} // namespace Roles

// {"id","email","username","role","disabled","created_at"} — never a password hash.
struct User
{
    qint64 id = 0;
    QString email;
    QString username; // may be empty (JSON null)
    QString role = Roles::user;
    bool disabled = false;
    QDateTime createdAt; // UTC

    bool isAdmin() const { return role == Roles::admin; }
    QJsonObject toJson() const;
    // What anyone but the user and admins sees (OWASP API3): id, username, created_at.
    QJsonObject toPublicJson() const;
    static Result<User> fromJson(const QJsonObject &json); // for clients
};

// POST /v1/users. Collects every field error: email syntax; password 8..128 characters and
// not all of one character class; username (optional) 3..32 of [A-Za-z0-9_.-].
struct UserCreate
{
    QString email;
    QString password;
    QString username;

    QJsonObject toJson() const;
    static Result<UserCreate> fromJson(const QJsonObject &json);
};

// PATCH /v1/users/{id}: every field optional. Unknown fields are a Validation error.
struct UserUpdate
{
    std::optional<QString> role;
    std::optional<bool> disabled;
    std::optional<QString> username;
    std::optional<QString> password;
    std::optional<QString> currentPassword; // "current_password": required to change one's own

    bool isEmpty() const { return !role && !disabled && !username && !password; }
    QJsonObject toJson() const;
    static Result<UserUpdate> fromJson(const QJsonObject &json);
};

// The rules above, reusable (CLI, services).
namespace UserRules {
std::optional<QString> emailProblem(const QString &email);
std::optional<QString> passwordProblem(const QString &password);
std::optional<QString> usernameProblem(const QString &username);
QString normalizedEmail(const QString &email); // trimmed; case kept (uniqueness is lower-case)
} // namespace UserRules

// POST /v1/login answer and POST /v1/token/refresh answer.
struct TokenPair
{
    QString accessToken;
    QString tokenType = QStringLiteral("bearer");
    int expiresIn = 0;
    QString refreshToken;

    QJsonObject toJson() const;
    static Result<TokenPair> fromJson(const QJsonObject &json);
};

} // namespace Outpost
