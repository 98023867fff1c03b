#pragma once

#include "models/file.h"
#include "reply.h"

class QIODevice;

namespace Outpost::Client {

class ApiClient;

// /v1/files and the chunked uploads of /v1/uploads. Paths are relative ("docs/a.txt").
class FilesResource
{
public:
    explicit FilesResource(ApiClient *client)
        : m_client(client)
    { }

    // One page of the files under `directory` ("" for all), in path order; pass the previous
    // page's nextPageToken for the next.
    Reply<FileList> list(
        const QString &pageToken = {}, int pageSize = 1000, const QString &directory = {}) const;
    // The content in memory (previews).
    Reply<QByteArray> content(const QString &path) const;
    // The first `maxBytes` bytes only (a Range request; the whole file when it is shorter).
    Reply<QByteArray> contentStart(const QString &path, qint64 maxBytes) const;
    // The content streamed into `sink` (which must outlive the call); nothing is written to
    // it unless the answer is a success.
    Reply<void> download(const QString &path, QIODevice *sink) const;
    // The rest of a download from byte `from` on, if the file still has the ETag `ifRange`:
    // 206 with the rest when it has, 200 with the whole file when it changed (RFC 9110 If-Range).
    // The call's headersReceived() tells which, before anything is written to `sink`.
    Reply<void> resumeDownload(
        const QString &path, QIODevice *sink, qint64 from, const QByteArray &ifRange) const;
    // A whole file in one PUT (up to the server's body limit), streamed from `device`.
    Reply<FileInfo> put(const QString &path, QIODevice *device, const QString &contentType) const;
    Reply<FileInfo> put(
        const QString &path, const QByteArray &content, const QString &contentType) const;
    Reply<void> remove(const QString &path) const;

    // Chunked upload: start, send parts 1..partCount (any order, again to replace one), then
    // complete (the file appears whole) or abort (the parts are dropped).
    Reply<Upload> startUpload(const UploadCreate &upload) const;
    Reply<Upload> upload(const QString &id) const; // which parts arrived
    Reply<void> putPart(const QString &id, int number, const QByteArray &bytes) const;
    Reply<FileInfo> completeUpload(const QString &id) const;
    Reply<void> abortUpload(const QString &id) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
