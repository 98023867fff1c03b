#include "filerequests.h"

#include <QJsonDocument>
#include <QLocale>
#include <QUrl>

namespace Outpost::Server::Api {

namespace {

// The value of `name` in a header like `multipart/form-data; boundary="abc"`.
QByteArray headerParameter(const QByteArray &header, const QByteArray &name)
{
    for (const QByteArray &piece : header.split(';')) {
        const QByteArray trimmed = piece.trimmed();
        const qsizetype eq = trimmed.indexOf('=');
        if (eq <= 0 || trimmed.left(eq).trimmed().toLower() != name)
            continue;
        QByteArray value = trimmed.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        return value;
    }
    return {};
}

Result<FileUpload> multipartFile(const QByteArray &body, const QByteArray &contentType)
{
    const QByteArray boundary = headerParameter(contentType, "boundary");
    if (boundary.isEmpty() || boundary.size() > 200)
        return fail(Error::badRequest(QStringLiteral("multipart/form-data needs a boundary")));
    const QByteArray delimiter = "--" + boundary;
    qsizetype at = body.indexOf(delimiter);
    while (at >= 0) {
        qsizetype partStart = at + delimiter.size();
        if (body.mid(partStart, 2) == "--")
            break; // the closing delimiter
        if (body.mid(partStart, 2) != "\r\n")
            break;
        partStart += 2;
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", partStart);
        if (headersEnd < 0)
            break;
        const qsizetype next = body.indexOf(QByteArray("\r\n" + delimiter), headersEnd + 4);
        if (next < 0)
            break;
        QByteArray disposition;
        QByteArray partType;
        for (const QByteArray &line : body.mid(partStart, headersEnd - partStart).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            if (name == "content-disposition") {
                disposition = line.mid(colon + 1).trimmed();
            } else if (name == "content-type") {
                partType = line.mid(colon + 1).trimmed();
            }
        }
        const QByteArray field = headerParameter(disposition, "name");
        if (field == "file" || field == "file_content") {
            return FileUpload {
                body.mid(headersEnd + 4, next - headersEnd - 4), QString::fromLatin1(partType)};
        }
        at = next + 2;
    }
    return fail(Error::validation(
        QStringLiteral("file"), QStringLiteral("multipart/form-data needs a \"file\" part")));
}

} // namespace

Result<QString> filePathOf(const Request &request, QByteArrayView prefix)
{
    QByteArray raw = request.target();
    if (const qsizetype query = raw.indexOf('?'); query >= 0)
        raw.truncate(query);
    raw = raw.mid(prefix.size());
    const QByteArray bytes = QByteArray::fromPercentEncoding(raw);
    const QString path = QString::fromUtf8(bytes);
    if (path.toUtf8() != bytes)
        return fail(Error::validation(QStringLiteral("path"), QStringLiteral("must be UTF-8")));
    const QString problem = FilePaths::problem(path);
    if (!problem.isEmpty())
        return fail(Error::validation(QStringLiteral("path"), problem));
    return path;
}

Result<FilePath> From<FilePath>::take(const Request &request)
{
    auto path = filePathOf(request, "/v1/files/");
    if (!path)
        return fail(path.error());
    return FilePath {*path};
}

Result<FileUpload> fileUploadOf(const Request &request)
{
    const QByteArray type = request.header(QByteArrayLiteral("content-type"));
    if (request.spooled())
        return FileUpload {{}, QString::fromLatin1(type), request.spooled()};
    if (type.trimmed().toLower().startsWith("multipart/form-data"))
        return multipartFile(request.body(), type);
    return FileUpload {request.body(), QString::fromLatin1(type)};
}

BodySpool fileBodySpool(const FramedRequest &request, const QString &directory)
{
    for (const HeaderField &field : request.headers) {
        if (field.name == "content-type" && field.value.toLower().startsWith("multipart/form-data"))
            return {};
    }
    return {directory, true};
}

RangeKind parseRange(const QByteArray &header, qint64 size, ByteRange &range)
{
    const QByteArray value = header.trimmed();
    if (value.isEmpty() || !value.startsWith("bytes=") || value.contains(','))
        return RangeKind::Whole;
    const QByteArray spec = value.mid(6).trimmed();
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return RangeKind::Whole;
    const QByteArray first = spec.left(dash).trimmed();
    const QByteArray last = spec.mid(dash + 1).trimmed();
    bool ok1 = true;
    bool ok2 = true;
    if (first.isEmpty()) {
        const qint64 suffix = last.toLongLong(&ok2);
        if (!ok2 || suffix < 0)
            return RangeKind::Whole;
        if (suffix == 0 || size == 0)
            return RangeKind::Unsatisfiable;
        range.length = qMin(suffix, size);
        range.offset = size - range.length;
        return RangeKind::Partial;
    }
    const qint64 start = first.toLongLong(&ok1);
    const qint64 end = last.isEmpty() ? size - 1 : last.toLongLong(&ok2);
    if (!ok1 || !ok2 || start < 0 || end < start)
        return RangeKind::Whole; // syntactically invalid: ignored (RFC 9110 14.2)
    if (start >= size)
        return RangeKind::Unsatisfiable;
    range.offset = start;
    range.length = qMin(end, size - 1) - start + 1;
    return RangeKind::Partial;
}

QByteArray httpDate(const QDateTime &time)
{
    return QLocale::c()
        .toString(time.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
        .toLatin1();
}

HttpResponse fileWritten(const FileInfo &file, bool created)
{
    HttpResponse response = HttpResponse::json(created ? 201 : 200, file.toJson());
    response.withHeader(QByteArrayLiteral("ETag"), file.etag());
    if (created) {
        response.withHeader(
            QByteArrayLiteral("Location"), "/v1/files/" + QUrl::toPercentEncoding(file.path, "/"));
    }
    return response;
}

} // namespace Outpost::Server::Api
