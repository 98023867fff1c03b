#include "file.h"

#include "core/timeformat.h"
#include "jsonfields.h"

#include <QJsonArray>
#include <QMimeDatabase>
#include <QUrl>

#include <limits>

namespace Outpost {

namespace {

QString segmentProblem(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("must not be empty");
    if (path.toUtf8().size() > FilePaths::maxPathBytes)
        return QStringLiteral("must be at most %1 bytes of UTF-8").arg(FilePaths::maxPathBytes);
    if (path.startsWith(QLatin1Char('/')))
        return QStringLiteral("must be relative (no leading /)");
    if (path.contains(QLatin1Char('\\')))
        return QStringLiteral("must not contain a backslash");
    for (const QChar c : path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f
            || (c.unicode() >= 0x80 && c.unicode() < 0xa0))
            return QStringLiteral("must not contain control characters");
    }
    for (const QStringView segment : QStringView(path).split(QLatin1Char('/'))) {
        if (segment.isEmpty())
            return QStringLiteral("must not contain empty segments (//, or a trailing /)");
        if (segment == u"." || segment == u"..")
            return QStringLiteral("must not contain . or .. segments");
    }
    return {};
}

} // namespace

QString FilePaths::problem(const QString &path)
{
    if (QString problem = segmentProblem(path); !problem.isEmpty())
        return problem;
    // A percent-encoded form of something refused above ("%2e%2e", "%2F", "%5c", "%00") is
    // refused as well: another layer (a proxy, a client) may decode it once more.
    if (path.contains(QLatin1Char('%'))) {
        const QString decoded = QUrl::fromPercentEncoding(path.toUtf8());
        if (decoded != path && !segmentProblem(decoded).isEmpty()) {
            return QStringLiteral("must not contain percent-encoded separators, dots or "
                                  "control characters");
        }
    }
    return {};
}

QString FilePaths::guessContentType(const QString &path)
{
    static const QMimeDatabase database;
    const QMimeType type = database.mimeTypeForFile(path, QMimeDatabase::MatchExtension);
    return type.isValid() && !type.isDefault() ? type.name()
                                               : QStringLiteral("application/octet-stream");
}

QJsonObject FileInfo::toJson(bool withOwner) const
{
    QJsonObject json {{QStringLiteral("file_path"), path}, {QStringLiteral("size_bytes"), size},
        {QStringLiteral("content_type"), contentType},
        {QStringLiteral("etag"), QString::fromLatin1(sha256Hex)},
        {QStringLiteral("last_modified"), toJsonTime(updatedAt)}};
    if (withOwner)
        json.insert(QStringLiteral("owner_id"), ownerId ? QJsonValue(ownerId) : QJsonValue());
    return json;
}

Result<FileInfo> FileInfo::fromJson(const QJsonObject &json)
{
    using namespace JsonFields;
    FileInfo file;
    QList<FieldError> errors;
    readString(json, QStringLiteral("file_path"), true, file.path, errors);
    if (readIntegerField(json, QStringLiteral("size_bytes"), true, file.size, errors)
        && file.size < 0)
        errors.append({QStringLiteral("size_bytes"), QStringLiteral("must be 0 or more")});
    readString(json, QStringLiteral("content_type"), true, file.contentType, errors);
    QString etag;
    if (readString(json, QStringLiteral("etag"), true, etag, errors))
        file.sha256Hex = etag.toLatin1();
    readTimeField(json, QStringLiteral("last_modified"), true, file.updatedAt, errors);
    readIntegerOrNull(json, QStringLiteral("owner_id"), file.ownerId, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return file;
}

Result<FileListQuery> FileListQuery::fromQuery(
    const QString &directory, const QString &pageSize, const QString &pageToken)
{
    FileListQuery query;
    QList<FieldError> errors;
    if (!directory.isNull()) {
        QString dir = directory;
        while (dir.endsWith(QLatin1Char('/')))
            dir.chop(1);
        if (!dir.isEmpty()) {
            const QString problem = FilePaths::problem(dir);
            if (!problem.isEmpty())
                errors.append({QStringLiteral("directory"), problem});
        }
        query.directory = dir;
    }
    if (!pageSize.isNull()) {
        bool ok = false;
        const int size = pageSize.toInt(&ok);
        if (ok && size >= 1 && size <= 1000) {
            query.pageSize = size;
        } else {
            errors.append(
                {QStringLiteral("page_size"), QStringLiteral("must be an integer from 1 to 1000")});
        }
    }
    if (!pageToken.isNull() && !pageToken.isEmpty()) {
        const auto decoded = QByteArray::fromBase64Encoding(pageToken.toLatin1(),
            QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                | QByteArray::AbortOnBase64DecodingErrors);
        const QString after = QString::fromUtf8(decoded.decoded);
        if (!decoded || after.isEmpty() || !FilePaths::problem(after).isEmpty()) {
            errors.append({QStringLiteral("page_token"), QStringLiteral("is not a valid token")});
        } else {
            query.after = after;
        }
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return query;
}

QString FileListQuery::tokenFor(const QString &lastPath)
{
    return QString::fromLatin1(
        lastPath.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QJsonObject FileList::toJson() const
{
    QJsonArray array;
    for (const FileInfo &file : files)
        array.append(file.toJson(true));
    return {{QStringLiteral("files"), array},
        {QStringLiteral("next_page_token"),
            nextPageToken.isEmpty() ? QJsonValue() : QJsonValue(nextPageToken)}};
}

Result<FileList> FileList::fromJson(const QJsonObject &json)
{
    FileList list;
    QList<FieldError> errors;
    const QJsonValue files = json.value(QStringLiteral("files"));
    if (!files.isArray()) {
        errors.append({QStringLiteral("files"),
            files.isUndefined() ? JsonFields::isRequired() : QStringLiteral("must be an array")});
    }
    const QJsonArray array = files.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString prefix = QStringLiteral("files[%1]").arg(i);
        if (!array.at(i).isObject()) {
            errors.append({prefix, QStringLiteral("must be an object")});
            continue;
        }
        Result<FileInfo> file = FileInfo::fromJson(array.at(i).toObject());
        if (!file) {
            JsonFields::appendNested(prefix, file.error().fields, errors);
            continue;
        }
        list.files.append(std::move(*file));
    }
    JsonFields::readStringOrNull(
        json, QStringLiteral("next_page_token"), list.nextPageToken, errors);
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return list;
}

QJsonObject UploadCreate::toJson() const
{
    QJsonObject json {{QStringLiteral("file_path"), filePath}, {QStringLiteral("size"), size}};
    if (!contentType.isEmpty())
        json.insert(QStringLiteral("content_type"), contentType);
    return json;
}

Result<UploadCreate> UploadCreate::fromJson(const QJsonObject &json)
{
    UploadCreate create;
    QList<FieldError> errors;
    JsonFields::rejectUnknownFields(json,
        {QStringLiteral("file_path"), QStringLiteral("size"), QStringLiteral("content_type")},
        errors);
    if (JsonFields::readString(json, QStringLiteral("file_path"), true, create.filePath, errors)) {
        const QString problem = FilePaths::problem(create.filePath);
        if (!problem.isEmpty())
            errors.append({QStringLiteral("file_path"), problem});
    }
    const QJsonValue size = json.value(QStringLiteral("size"));
    if (size.isUndefined()) {
        errors.append({QStringLiteral("size"), JsonFields::isRequired()});
    } else {
        const std::optional<qint64> value = JsonFields::integerValue(size);
        if (!value || *value < 0) {
            errors.append(
                {QStringLiteral("size"), QStringLiteral("must be an integer of 0 or more")});
        } else {
            create.size = *value;
        }
    }
    if (JsonFields::readString(
            json, QStringLiteral("content_type"), false, create.contentType, errors)) {
        if (create.contentType.size() > 255 || !create.contentType.contains(QLatin1Char('/')))
            errors.append({QStringLiteral("content_type"), QStringLiteral("must be a MIME type")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return create;
}

QJsonObject Upload::toJson() const
{
    QJsonArray parts;
    for (int n : receivedParts)
        parts.append(n);
    return {{QStringLiteral("id"), id}, {QStringLiteral("file_path"), filePath},
        {QStringLiteral("size"), size}, {QStringLiteral("content_type"), contentType},
        {QStringLiteral("part_size"), partSize}, {QStringLiteral("part_count"), partCount()},
        {QStringLiteral("expires_at"), toJsonTime(expiresAt)},
        {QStringLiteral("received_parts"), parts}};
}

Result<Upload> Upload::fromJson(const QJsonObject &json)
{
    using namespace JsonFields;
    Upload upload;
    QList<FieldError> errors;
    readString(json, QStringLiteral("id"), true, upload.id, errors);
    readString(json, QStringLiteral("file_path"), true, upload.filePath, errors);
    if (readIntegerField(json, QStringLiteral("size"), true, upload.size, errors)
        && upload.size < 0)
        errors.append({QStringLiteral("size"), QStringLiteral("must be 0 or more")});
    readString(json, QStringLiteral("content_type"), true, upload.contentType, errors);
    if (readIntegerField(json, QStringLiteral("part_size"), true, upload.partSize, errors)
        && upload.partSize <= 0)
        errors.append({QStringLiteral("part_size"), QStringLiteral("must be 1 or more")});
    readTimeField(json, QStringLiteral("expires_at"), true, upload.expiresAt, errors);
    const QJsonValue parts = json.value(QStringLiteral("received_parts"));
    if (parts.isArray()) {
        const QJsonArray array = parts.toArray();
        for (const auto &part : array) {
            const std::optional<qint64> number = JsonFields::integerValue(part);
            if (!number || *number < 1 || *number > std::numeric_limits<int>::max()) {
                errors.append({QStringLiteral("received_parts"),
                    QStringLiteral("must be an array of part numbers")});
                break;
            }
            upload.receivedParts.append(int(*number));
        }
    } else if (!parts.isUndefined()) {
        errors.append({QStringLiteral("received_parts"), QStringLiteral("must be an array")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return upload;
}

Result<GenerateRequest> GenerateRequest::fromJson(const QJsonObject &json)
{
    GenerateRequest request;
    QList<FieldError> errors;
    JsonFields::rejectUnknownFields(json,
        {QStringLiteral("file_path"), QStringLiteral("prompt"), QStringLiteral("generation_type"),
            QStringLiteral("file_type")},
        errors);
    const bool hasPath =
        JsonFields::readString(json, QStringLiteral("file_path"), true, request.filePath, errors);
    if (hasPath) {
        const QString problem = FilePaths::problem(request.filePath);
        if (!problem.isEmpty())
            errors.append({QStringLiteral("file_path"), problem});
    }
    if (JsonFields::readString(json, QStringLiteral("prompt"), true, request.prompt, errors)) {
        if (request.prompt.trimmed().isEmpty() || request.prompt.size() > 4000) {
            errors.append(
                {QStringLiteral("prompt"), QStringLiteral("must be 1 to 4000 characters")});
        }
    }
    const QString typeKey = json.contains(QStringLiteral("file_type"))
            && !json.contains(QStringLiteral("generation_type"))
        ? QStringLiteral("file_type")
        : QStringLiteral("generation_type");
    QString type;
    if (JsonFields::readString(json, typeKey, true, type, errors)) {
        type = type.toLower();
        if (type == u"text") {
            request.type = Type::Text;
        } else if (type == u"image") {
            request.type = Type::Image;
        } else if (type == u"text-to-speech" || type == u"speech" || type == u"audio") {
            request.type = Type::Speech;
        } else {
            errors.append({typeKey, QStringLiteral("must be text, image or text-to-speech")});
        }
        const QString lower = request.filePath.toLower();
        const bool fits = request.type == Type::Text
            ? (lower.endsWith(u".txt") || lower.endsWith(u".md"))
            : request.type == Type::Image ? lower.endsWith(u".png")
                                          : lower.endsWith(u".mp3");
        if (hasPath && errors.isEmpty() && !fits) {
            errors.append({QStringLiteral("file_path"),
                QStringLiteral("the extension does not fit the type (text: .txt or .md, image: "
                               ".png, text-to-speech: .mp3)")});
        }
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return request;
}

} // namespace Outpost
