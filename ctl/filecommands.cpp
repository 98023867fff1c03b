// outpostctl's file commands: ls, get, put (resumable), rm.
#include "ctl.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

#include <array>

namespace Outpost::Ctl {

namespace {

const View kFileView {{QStringLiteral("file_path"), QStringLiteral("size_bytes"),
                          QStringLiteral("content_type"), QStringLiteral("last_modified")},
    QStringLiteral("file_path")};

// Files larger than this always go in resumable parts.
constexpr qint64 kResumableFrom = 8LL * 1024 * 1024;

QString filePath(const QString &path)
{
    // The path's segments are sent as they are, each percent-encoded.
    QStringList segments;
    for (const QString &segment : path.split(QLatin1Char('/')))
        segments.append(QString::fromLatin1(QUrl::toPercentEncoding(segment)));
    return QStringLiteral("/v1/files/") + segments.join(QLatin1Char('/'));
}

// Uploads that may be resumed: <cache dir>/outpostctl/uploads.json, {key: upload id}, where
// the key names the server, the remote path and the local file (path, size, modification).
class ResumeRecords
{
public:
    ResumeRecords()
        : m_path(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
            + QStringLiteral("/outpostctl/uploads.json"))
    {
        QFile file(m_path);
        if (file.open(QIODevice::ReadOnly))
            m_records = QJsonDocument::fromJson(file.readAll()).object();
    }

    static QString key(const QUrl &server, const QString &remote, const QFileInfo &local)
    {
        return QStringList {server.toString(), remote, local.absoluteFilePath(),
            QString::number(local.size()),
            QString::number(local.lastModified().toMSecsSinceEpoch())}
            .join(QLatin1Char('\n'));
    }

    QString find(const QString &key) const { return m_records.value(key).toString(); }
    void set(const QString &key, const QString &id)
    {
        if (id.isEmpty()) {
            m_records.remove(key);
        } else {
            m_records.insert(key, id);
        }
        QDir().mkpath(QFileInfo(m_path).absolutePath());
        QSaveFile file(m_path);
        if (file.open(QIODevice::WriteOnly)) {
            file.write(QJsonDocument(m_records).toJson());
            file.commit();
        }
    }

private:
    QString m_path;
    QJsonObject m_records;
};

QString humanBytes(double bytes)
{
    static const std::array<const char *, 5> units {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t unit = 0;
    while (bytes >= 1024 && unit + 1 < units.size()) {
        bytes /= 1024;
        ++unit;
    }
    return QStringLiteral("%1 %2")
        .arg(bytes, 0, 'f', unit == 0 ? 0 : 1)
        .arg(QLatin1String(units.at(unit)));
}

} // namespace

int Ctl::filesList()
{
    QUrlQuery query;
    if (needPositionals(1))
        query.addQueryItem(QStringLiteral("directory"), positional(0));
    query.addQueryItem(QStringLiteral("page_size"), QStringLiteral("1000"));
    if (isSet(QStringLiteral("page-token")))
        query.addQueryItem(QStringLiteral("page_token"), value(QStringLiteral("page-token")));
    const Client::ApiResponse response = wait(m_client.get(QStringLiteral("/v1/files"), query));
    const int code = finish(response, kFileView);
    const QString next = response.object().value(QStringLiteral("next_page_token")).toString();
    if (code == Ok && m_format == Format::Table && !next.isEmpty())
        err(QStringLiteral("More: --page-token %1").arg(next));
    return code;
}

int Ctl::filesGet()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("files get needs a file's path"));
    const QString local = positional(1);
    QFile target;
    QSaveFile saved;
    QIODevice *sink = nullptr;
    if (local.isEmpty() || local == QLatin1String("-")) {
        if (!target.open(stdout, QIODevice::WriteOnly))
            return Failure;
        sink = &target;
    } else {
        saved.setFileName(local);
        if (!saved.open(QIODevice::WriteOnly)) {
            err(QStringLiteral("outpostctl: cannot write %1: %2").arg(local, saved.errorString()));
            return Failure;
        }
        sink = &saved;
    }
    const Client::ApiResponse response = wait(m_client.download(filePath(positional(0)), sink));
    if (!response.ok())
        return fail(response);
    if (sink == &saved && !saved.commit()) {
        err(QStringLiteral("outpostctl: cannot write %1: %2").arg(local, saved.errorString()));
        return Failure;
    }
    if (target.isOpen())
        target.flush();
    return Ok;
}

int Ctl::filesRemove()
{
    if (!needPositionals(1))
        return usage(QStringLiteral("files rm needs a file's path"));
    return finish(wait(m_client.del(filePath(positional(0)))));
}

int Ctl::filesPut()
{
    if (!needPositionals(2))
        return usage(QStringLiteral("files put needs a local file and a path on the server"));
    const QString remote = positional(1);
    QFile file(positional(0));
    if (!file.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("outpostctl: cannot read %1: %2")
                .arg(file.fileName(), file.errorString()));
        return Failure;
    }
    const QFileInfo info(file);
    const QString contentType = value(QStringLiteral("content-type"));
    const bool resume = isSet(QStringLiteral("resume"));
    if (!resume && !isSet(QStringLiteral("resumable")) && info.size() <= kResumableFrom) {
        const Client::ApiResponse response =
            wait(m_client.sendDevice("PUT", filePath(remote), &file,
                contentType.isEmpty() ? QByteArrayLiteral("application/octet-stream")
                                      : contentType.toUtf8()));
        return finish(response, kFileView, true);
    }

    ResumeRecords records;
    const QString key = ResumeRecords::key(m_client.baseUrl(), remote, info);
    QJsonObject upload;
    if (resume) {
        const QString id = records.find(key);
        if (id.isEmpty()) {
            err(QStringLiteral("outpostctl: no interrupted upload of %1 to %2 to resume")
                    .arg(file.fileName(), remote));
            return NotFound;
        }
        const Client::ApiResponse state = wait(m_client.get(QStringLiteral("/v1/uploads/") + id));
        if (!state.ok()) {
            if (state.status == 404) {
                records.set(key, {});
                err(QStringLiteral("outpostctl: upload %1 is gone from the server (expired or "
                                   "aborted): upload again without --resume")
                        .arg(id));
            }
            return fail(state);
        }
        upload = state.object();
    } else {
        QJsonObject create {
            {QStringLiteral("file_path"), remote}, {QStringLiteral("size"), info.size()}};
        if (!contentType.isEmpty())
            create.insert(QStringLiteral("content_type"), contentType);
        const Client::ApiResponse started =
            wait(m_client.post(QStringLiteral("/v1/uploads"), create));
        if (!started.ok())
            return fail(started);
        upload = started.object();
        records.set(key, upload.value(QStringLiteral("id")).toString());
    }
    const QString id = upload.value(QStringLiteral("id")).toString();
    const qint64 partSize = upload.value(QStringLiteral("part_size")).toInteger();
    const int partCount = int(upload.value(QStringLiteral("part_count")).toInteger());
    QList<int> received;
    for (const auto &number : upload.value(QStringLiteral("received_parts")).toArray())
        received.append(number.toInt());
    err(QStringLiteral("Upload %1: %2 parts of %3, %4 already sent.")
            .arg(id)
            .arg(partCount)
            .arg(humanBytes(double(partSize)))
            .arg(received.size()));

    const bool progress = stderrIsTerminal();
    QElapsedTimer clock;
    clock.start();
    qint64 sent = 0;
    qint64 done = 0;
    for (int number = 1; number <= partCount; ++number) {
        const qint64 offset = partSize * (number - 1);
        const qint64 size = qMin(partSize, info.size() - offset);
        if (received.contains(number)) {
            done += size;
            continue;
        }
        file.seek(offset);
        const QByteArray bytes = file.read(size);
        if (bytes.size() != size) {
            err(QStringLiteral("outpostctl: %1 changed while it was read").arg(file.fileName()));
            return Failure;
        }
        const Client::ApiResponse part =
            wait(m_client.send("PUT", QStringLiteral("/v1/uploads/%1/parts/%2").arg(id).arg(number),
                {}, bytes, {{"Content-Type", "application/octet-stream"}}));
        if (!part.ok()) {
            if (progress)
                errRaw("\n");
            err(QStringLiteral("outpostctl: part %1 failed; go on later with --resume")
                    .arg(number));
            return fail(part);
        }
        sent += size;
        done += size;
        if (progress) {
            const double seconds = qMax(0.001, double(clock.elapsed()) / 1000);
            const double rate = double(sent) / seconds;
            const double left = rate > 0 ? double(info.size() - done) / rate : 0;
            errRaw(QStringLiteral("\r%1 / %2  %3/s  ETA %4s   ")
                       .arg(humanBytes(double(done)), humanBytes(double(info.size())),
                           humanBytes(rate), QString::number(int(left)))
                       .toUtf8());
        }
    }
    if (progress)
        errRaw("\n");
    const Client::ApiResponse completed =
        wait(m_client.post(QStringLiteral("/v1/uploads/%1/complete").arg(id), {}));
    if (completed.ok())
        records.set(key, {});
    return finish(completed, kFileView, true);
}

} // namespace Outpost::Ctl
