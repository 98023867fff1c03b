#include "filesresource.h"

#include "apiclient.h"

#include <QUrlQuery>

namespace Outpost::Client {

namespace {

QString filePath(const QString &path)
{
    return QStringLiteral("/v1/files/") + path;
}

QString uploadPath(const QString &id)
{
    return QStringLiteral("/v1/uploads/") + id;
}

} // namespace

Reply<FileList> FilesResource::list(
    const QString &pageToken, int pageSize, const QString &directory) const
{
    QUrlQuery query;
    if (!directory.isEmpty())
        query.addQueryItem(QStringLiteral("directory"), directory);
    query.addQueryItem(QStringLiteral("page_size"), QString::number(pageSize));
    if (!pageToken.isEmpty())
        query.addQueryItem(QStringLiteral("page_token"), pageToken);
    return {m_client->get(QStringLiteral("/v1/files"), query), &Decode::json<FileList>};
}

Reply<QByteArray> FilesResource::content(const QString &path) const
{
    return {m_client->get(filePath(path)), &Decode::bytes};
}

Reply<QByteArray> FilesResource::contentStart(const QString &path, qint64 maxBytes) const
{
    const QByteArray range = "bytes=0-" + QByteArray::number(qMax<qint64>(1, maxBytes) - 1);
    return {m_client->send("GET", filePath(path), {}, {}, {{"Range", range}}), &Decode::bytes};
}

Reply<void> FilesResource::download(const QString &path, QIODevice *sink) const
{
    return {m_client->download(filePath(path), sink), &Decode::nothing};
}

Reply<void> FilesResource::resumeDownload(
    const QString &path, QIODevice *sink, qint64 from, const QByteArray &ifRange) const
{
    ApiCall::Headers headers {{"Range", "bytes=" + QByteArray::number(from) + '-'}};
    if (!ifRange.isEmpty())
        headers.append({"If-Range", ifRange});
    return {m_client->download(filePath(path), sink, headers), &Decode::nothing};
}

Reply<FileInfo> FilesResource::put(
    const QString &path, QIODevice *device, const QString &contentType) const
{
    return {m_client->sendDevice("PUT", filePath(path), device, contentType.toUtf8()),
        &Decode::json<FileInfo>};
}

Reply<FileInfo> FilesResource::put(
    const QString &path, const QByteArray &content, const QString &contentType) const
{
    return {m_client->send(
                "PUT", filePath(path), {}, content, {{"Content-Type", contentType.toUtf8()}}),
        &Decode::json<FileInfo>};
}

Reply<void> FilesResource::remove(const QString &path) const
{
    return {m_client->del(filePath(path)), &Decode::nothing};
}

Reply<Upload> FilesResource::startUpload(const UploadCreate &upload) const
{
    return {m_client->post(QStringLiteral("/v1/uploads"), upload.toJson()), &Decode::json<Upload>};
}

Reply<Upload> FilesResource::upload(const QString &id) const
{
    return {m_client->get(uploadPath(id)), &Decode::json<Upload>};
}

Reply<void> FilesResource::putPart(const QString &id, int number, const QByteArray &bytes) const
{
    return {m_client->send("PUT", uploadPath(id) + QStringLiteral("/parts/%1").arg(number), {},
                bytes, {{"Content-Type", "application/octet-stream"}}),
        &Decode::nothing};
}

Reply<FileInfo> FilesResource::completeUpload(const QString &id) const
{
    return {m_client->post(uploadPath(id) + QStringLiteral("/complete"), QJsonObject()),
        &Decode::json<FileInfo>};
}

Reply<void> FilesResource::abortUpload(const QString &id) const
{
    return {m_client->del(uploadPath(id)), &Decode::nothing};
}

} // namespace Outpost::Client
