#include "user.h"

#include "core/timeformat.h"
#include "jsonfields.h"

#include <QJsonValue>

#include <limits>

namespace Outpost {

using namespace JsonFields;

namespace {

constexpr qsizetype kMaxEmailLength = 254; // RFC 5321 path limit minus the angle brackets
constexpr qsizetype kMaxLocalPartLength = 64;
constexpr qsizetype kMaxDomainLength = 253;
constexpr qsizetype kMaxLabelLength = 63;
constexpr qsizetype kMinPasswordLength = 8;
constexpr qsizetype kMaxPasswordLength = 128;
constexpr qsizetype kMinUsernameLength = 3;
constexpr qsizetype kMaxUsernameLength = 32;

const QString kId = QStringLiteral("id");
const QString kEmail = QStringLiteral("email");
const QString kPassword = QStringLiteral("password");
const QString kUsername = QStringLiteral("username");
const QString kRole = QStringLiteral("role");
const QString kDisabled = QStringLiteral("disabled");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kCurrentPassword = QStringLiteral("current_password");
const QString kAccessToken = QStringLiteral("access_token");
const QString kTokenType = QStringLiteral("token_type");
const QString kExpiresIn = QStringLiteral("expires_in");
const QString kRefreshToken = QStringLiteral("refresh_token");

bool isAsciiLetterOrDigit(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// Characters that cannot appear unquoted in a local part (quoted local parts are not accepted).
bool isLocalPartSpecial(QChar c)
{
    return c.isSpace() || c.category() == QChar::Other_Control
        || QStringView(u"\"(),:;<>[\\]@").contains(c);
}

bool isValidDomainLabel(QStringView label)
{
    if (label.isEmpty() || label.size() > kMaxLabelLength || label.startsWith(u'-')
        || label.endsWith(u'-'))
        return false;
    for (const QChar c : label) {
        if (!isAsciiLetterOrDigit(c) && c != u'-')
            return false;
    }
    return true;
}

void check(const QString &field, const std::optional<QString> &problem, QList<FieldError> &errors)
{
    if (problem)
        errors.append({field, *problem});
}

} // namespace

namespace UserRules {

QString normalizedEmail(const QString &email)
{
    return email.trimmed();
}

std::optional<QString> emailProblem(const QString &email)
{
    const QString address = normalizedEmail(email);
    if (address.isEmpty())
        return QStringLiteral("must not be empty");
    if (codePointCount(address) > kMaxEmailLength)
        return QStringLiteral("must be at most %1 characters").arg(kMaxEmailLength);

    const QString invalid = QStringLiteral("not a valid email address");
    const qsizetype at = address.indexOf(u'@');
    if (at <= 0 || address.indexOf(u'@', at + 1) != -1)
        return invalid;

    const QStringView local = QStringView(address).left(at);
    if (codePointCount(local.toString()) > kMaxLocalPartLength || local.startsWith(u'.')
        || local.endsWith(u'.') || local.contains(u".."))
        return invalid;
    for (const QChar c : local) {
        if (isLocalPartSpecial(c))
            return invalid;
    }

    const QStringView domain = QStringView(address).mid(at + 1);
    if (domain.size() > kMaxDomainLength)
        return invalid;
    const QList<QStringView> labels = domain.split(u'.');
    if (labels.size() < 2)
        return invalid;
    for (const QStringView label : labels) {
        if (!isValidDomainLabel(label))
            return invalid;
    }
    return std::nullopt;
}

std::optional<QString> passwordProblem(const QString &password)
{
    const QList<uint> codePoints = password.toUcs4();
    if (codePoints.size() < kMinPasswordLength)
        return QStringLiteral("must be at least %1 characters").arg(kMinPasswordLength);
    if (codePoints.size() > kMaxPasswordLength)
        return QStringLiteral("must be at most %1 characters").arg(kMaxPasswordLength);

    enum Class : unsigned { Lower = 1, Upper = 2, Digit = 4, Other = 8 };
    unsigned seen = 0;
    for (const uint c : codePoints) {
        if (QChar::isLower(c))
            seen |= Lower;
        else if (QChar::isUpper(c))
            seen |= Upper;
        else if (QChar::isDigit(c))
            seen |= Digit;
        else
            seen |= Other;
    }
    if (seen == Lower || seen == Upper || seen == Digit || seen == Other) {
        return QStringLiteral("must mix at least two kinds of characters (lower case, upper "
                              "case, digits, others)");
    }
    return std::nullopt;
}

std::optional<QString> usernameProblem(const QString &username)
{
    if (username.size() < kMinUsernameLength || username.size() > kMaxUsernameLength) {
        return QStringLiteral("must be %1 to %2 characters")
            .arg(kMinUsernameLength)
            .arg(kMaxUsernameLength);
    }
    for (const QChar c : username) {
        if (!isAsciiLetterOrDigit(c) && c != u'_' && c != u'.' && c != u'-')
            return QStringLiteral("may contain only letters, digits, '_', '.' and '-'");
    }
    return std::nullopt;
}

} // namespace UserRules

QJsonObject User::toJson() const
{
    return {{kId, id}, {kEmail, email},
        {kUsername, username.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(username)},
        {kRole, role}, {kDisabled, disabled}, {kCreatedAt, toJsonTime(createdAt)}};
}

QJsonObject User::toPublicJson() const
{
    return {{kId, id},
        {kUsername, username.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(username)},
        {kCreatedAt, toJsonTime(createdAt)}};
}

// Lenient about members it does not know, so clients keep working with newer servers.
Result<User> User::fromJson(const QJsonObject &json)
{
    User user;
    QList<FieldError> errors;

    if (const std::optional<qint64> id = integerValue(json.value(kId)))
        user.id = *id;
    else
        errors.append(
            {kId, json.contains(kId) ? QStringLiteral("must be an integer") : isRequired()});

    readString(json, kEmail, true, user.email, errors);

    const QJsonValue username = json.value(kUsername);
    if (!username.isNull() && !username.isUndefined())
        readString(json, kUsername, false, user.username, errors);

    if (readString(json, kRole, true, user.role, errors) && user.role != Roles::admin
        && user.role != Roles::user)
        errors.append({kRole, QStringLiteral("must be \"admin\" or \"user\"")});

    const QJsonValue disabled = json.value(kDisabled);
    if (disabled.isBool())
        user.disabled = disabled.toBool();
    else
        errors.append({kDisabled,
            disabled.isUndefined() ? isRequired() : QStringLiteral("must be true or false")});

    QString createdAt;
    if (readString(json, kCreatedAt, true, createdAt, errors)) {
        user.createdAt = fromRfc3339(createdAt);
        if (!user.createdAt.isValid())
            errors.append({kCreatedAt, QStringLiteral("must be an RFC 3339 time")});
    }

    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return user;
}

QJsonObject UserCreate::toJson() const
{
    QJsonObject json {{kEmail, email}, {kPassword, password}};
    if (!username.isEmpty())
        json.insert(kUsername, username);
    return json;
}

Result<UserCreate> UserCreate::fromJson(const QJsonObject &json)
{
    UserCreate create;
    QList<FieldError> errors;

    if (readString(json, kEmail, true, create.email, errors)) {
        create.email = UserRules::normalizedEmail(create.email);
        check(kEmail, UserRules::emailProblem(create.email), errors);
    }
    if (readString(json, kPassword, true, create.password, errors))
        check(kPassword, UserRules::passwordProblem(create.password), errors);
    // Optional: absent and null both mean "no username".
    if (!json.value(kUsername).isNull()
        && readString(json, kUsername, false, create.username, errors))
        check(kUsername, UserRules::usernameProblem(create.username), errors);

    rejectUnknownFields(json, {kEmail, kPassword, kUsername}, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return create;
}

QJsonObject UserUpdate::toJson() const
{
    QJsonObject json;
    if (role)
        json.insert(kRole, *role);
    if (disabled)
        json.insert(kDisabled, *disabled);
    if (username)
        json.insert(kUsername, username->isEmpty() ? QJsonValue(QJsonValue::Null) : *username);
    if (password)
        json.insert(kPassword, *password);
    if (currentPassword)
        json.insert(kCurrentPassword, *currentPassword);
    return json;
}

Result<UserUpdate> UserUpdate::fromJson(const QJsonObject &json)
{
    UserUpdate update;
    QList<FieldError> errors;
    QString text;

    if (readString(json, kRole, false, text, errors)) {
        if (text == Roles::admin || text == Roles::user)
            update.role = text;
        else
            errors.append({kRole, QStringLiteral("must be \"admin\" or \"user\"")});
    }

    if (json.contains(kDisabled)) {
        const QJsonValue disabled = json.value(kDisabled);
        if (disabled.isBool())
            update.disabled = disabled.toBool();
        else
            errors.append({kDisabled, QStringLiteral("must be true or false")});
    }

    // null removes the username (an empty value); a string must follow the rules.
    if (json.contains(kUsername) && json.value(kUsername).isNull()) {
        update.username = QString();
    } else if (readString(json, kUsername, false, text, errors)) {
        if (const std::optional<QString> problem = UserRules::usernameProblem(text))
            errors.append({kUsername, *problem});
        else
            update.username = text;
    }

    if (readString(json, kPassword, false, text, errors)) {
        if (const std::optional<QString> problem = UserRules::passwordProblem(text))
            errors.append({kPassword, *problem});
        else
            update.password = text;
    }

    if (readString(json, kCurrentPassword, false, text, errors))
        update.currentPassword = text;

    rejectUnknownFields(json, {kRole, kDisabled, kUsername, kPassword, kCurrentPassword}, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return update;
}

QJsonObject TokenPair::toJson() const
{
    return {{kAccessToken, accessToken}, {kTokenType, tokenType}, {kExpiresIn, expiresIn},
        {kRefreshToken, refreshToken}};
}

Result<TokenPair> TokenPair::fromJson(const QJsonObject &json)
{
    TokenPair pair;
    QList<FieldError> errors;
    readString(json, kAccessToken, true, pair.accessToken, errors);
    readString(json, kTokenType, true, pair.tokenType, errors);
    const std::optional<qint64> expiresIn = integerValue(json.value(kExpiresIn));
    if (expiresIn && *expiresIn >= 0 && *expiresIn <= std::numeric_limits<int>::max())
        pair.expiresIn = static_cast<int>(*expiresIn);
    else
        errors.append({kExpiresIn,
            json.contains(kExpiresIn) ? QStringLiteral("must be a non-negative integer")
                                      : isRequired()});
    readString(json, kRefreshToken, true, pair.refreshToken, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return pair;
}

} // namespace Outpost
