#include "backuparchive.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <archive.h>
#include <archive_entry.h>
#ifdef Q_OS_WIN
#include <io.h>
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

#include <algorithm>

namespace Outpost::Server {

namespace {

// Writes what `file` holds through to the disk (not only into the system's cache), so that a
// crash after this cannot lose it.
bool syncToDisk(QFile &file)
{
    if (!file.flush())
        return false;
#if defined(Q_OS_WIN)
    const auto handle = reinterpret_cast<HANDLE>(::_get_osfhandle(file.handle()));
    return handle != INVALID_HANDLE_VALUE && ::FlushFileBuffers(handle) != 0;
#elif defined(Q_OS_MACOS)
    // macOS's fsync() leaves the data in the drive's cache; F_FULLFSYNC flushes that too.
    return ::fcntl(file.handle(), F_FULLFSYNC) == 0 || ::fsync(file.handle()) == 0;
#else
    return ::fsync(file.handle()) == 0;
#endif
}

constexpr qint64 kChunk = 256 * 1024;

QString libarchiveError(archive *handle)
{
    const char *text = archive_error_string(handle);
    return text ? QString::fromLocal8Bit(text) : QStringLiteral("unknown archive error");
}

// Names a backup may hold: the manifest, the database, and files/<relative path> without any
// "." or ".." component (no member can land outside the directory it is unpacked into).
bool isMemberName(const QString &name)
{
    if (name == QLatin1String(BackupManifest::kFileName)
        || name == QLatin1String(BackupManifest::kDatabaseMember))
        return true;
    static const QRegularExpression files(
        QStringLiteral("^files(/[A-Za-z0-9_][A-Za-z0-9._-]{0,200}){1,16}$"));
    return files.match(name).hasMatch();
}

Error invalid(const QString &what)
{
    return Error::validation(QStringLiteral("input"), what);
}

} // namespace

QJsonObject BackupManifest::toJson() const
{
    QJsonArray list;
    for (const Member &member : members) {
        list.append(QJsonObject {{QStringLiteral("name"), member.name},
            {QStringLiteral("size"), member.size},
            {QStringLiteral("sha256"), QString::fromLatin1(member.sha256Hex)}});
    }
    return {{QStringLiteral("format"), QString::fromLatin1(kFormat)},
        {QStringLiteral("format_version"), kFormatVersion},
        {QStringLiteral("app_version"), appVersion},
        {QStringLiteral("schema_version"), schemaVersion}, {QStringLiteral("database"), database},
        {QStringLiteral("created_at"), createdAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("members"), list}};
}

Result<BackupManifest> BackupManifest::fromJson(const QJsonObject &json)
{
    if (json.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return fail(invalid(QStringLiteral("is not an Outpost backup (no manifest)")));
    if (json.value(QStringLiteral("format_version")).toInt() != kFormatVersion) {
        return fail(invalid(
            QStringLiteral("has backup format version %1; this outpost-server reads version %2")
                .arg(json.value(QStringLiteral("format_version")).toInt())
                .arg(kFormatVersion)));
    }
    BackupManifest manifest;
    manifest.appVersion = json.value(QStringLiteral("app_version")).toString();
    manifest.schemaVersion = json.value(QStringLiteral("schema_version")).toInt(-1);
    manifest.database = json.value(QStringLiteral("database")).toString();
    manifest.createdAt = QDateTime::fromString(
        json.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
    if (manifest.schemaVersion < 0 || !manifest.createdAt.isValid())
        return fail(invalid(QStringLiteral("has a manifest without schema_version or created_at")));
    for (const QJsonValue &value : json.value(QStringLiteral("members")).toArray()) {
        const QJsonObject object = value.toObject();
        Member member {object.value(QStringLiteral("name")).toString(),
            object.value(QStringLiteral("size")).toInteger(-1),
            object.value(QStringLiteral("sha256")).toString().toLatin1()};
        if (!isMemberName(member.name) || member.size < 0 || member.sha256Hex.size() != 64)
            return fail(invalid(QStringLiteral("has a manifest entry that is not valid")));
        manifest.members.append(member);
    }
    return manifest;
}

struct BackupWriter::Private
{
    QString path;
    QString partial;
    archive *handle = nullptr;
    bool finished = false;
    QList<BackupManifest::Member> members;

    Status writeEntry(
        const QString &member, QIODevice &source, qint64 size, QByteArray *sha256Hex = nullptr)
    {
        archive_entry *entry = archive_entry_new();
        const QByteArray name = member.toUtf8();
        archive_entry_set_pathname(entry, name.constData());
        archive_entry_set_size(entry, size);
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0600);
        archive_entry_set_mtime(entry, QDateTime::currentSecsSinceEpoch(), 0);
        const int header = archive_write_header(handle, entry);
        archive_entry_free(entry);
        if (header != ARCHIVE_OK)
            return fail(Error::unavailable(libarchiveError(handle)));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 written = 0;
        while (written < size) {
            const QByteArray chunk = source.read(qMin(kChunk, size - written));
            if (chunk.isEmpty())
                return fail(Error::unavailable(
                    QStringLiteral("%1 shrank while it was being backed up").arg(member)));
            hash.addData(chunk);
            if (archive_write_data(handle, chunk.constData(), size_t(chunk.size())) < 0)
                return fail(Error::unavailable(libarchiveError(handle)));
            written += chunk.size();
        }
        if (archive_write_finish_entry(handle) != ARCHIVE_OK)
            return fail(Error::unavailable(libarchiveError(handle)));
        if (sha256Hex)
            *sha256Hex = hash.result().toHex();
        return {};
    }
};

BackupWriter::BackupWriter(QString path)
    : d(std::make_unique<Private>())
{
    d->path = std::move(path);
    d->partial = d->path + QStringLiteral(".partial");
}

BackupWriter::~BackupWriter()
{
    if (d->handle)
        archive_write_free(d->handle);
    if (!d->finished)
        QFile::remove(d->partial);
}

Status BackupWriter::open()
{
    d->handle = archive_write_new();
    if (archive_write_add_filter_gzip(d->handle) != ARCHIVE_OK
        || archive_write_set_format_pax_restricted(d->handle) != ARCHIVE_OK
        || archive_write_open_filename(d->handle, QFile::encodeName(d->partial).constData())
            != ARCHIVE_OK) {
        return fail(Error::unavailable(
            QStringLiteral("cannot write %1: %2").arg(d->partial, libarchiveError(d->handle))));
    }
    return {};
}

Status BackupWriter::addFile(const QString &member, const QString &sourcePath)
{
    Q_ASSERT(isMemberName(member));
    QFile file(sourcePath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (!file.exists())
            return fail(Error::notFound(sourcePath));
        return fail(Error::unavailable(
            QStringLiteral("cannot read %1: %2").arg(sourcePath, file.errorString())));
    }
    BackupManifest::Member entry {member, file.size(), {}};
    if (Status written = d->writeEntry(member, file, entry.size, &entry.sha256Hex); !written)
        return written;
    d->members.append(entry);
    return {};
}

Status BackupWriter::addDirectory(
    const QString &prefix, const QString &directory, const QStringList &skip)
{
    const QDir root(directory);
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList paths;
    while (it.hasNext())
        paths.append(it.next());
    paths.sort(); // a stable order: archives of the same data list their members alike
    for (const QString &path : paths) {
        const QString relative = root.relativeFilePath(path);
        const bool skipped = std::any_of(skip.cbegin(), skip.cend(),
            [&](const QString &dir) { return relative.startsWith(dir + QLatin1Char('/')); });
        if (skipped)
            continue;
        const QString member = prefix + relative;
        if (!isMemberName(member))
            continue; // not a name the store makes (a stray file an admin put there)
        const Status added = addFile(member, path);
        if (!added && added.error().code != ErrorCode::NotFound)
            return added; // a file deleted meanwhile is simply not in the backup
    }
    return {};
}

Status BackupWriter::finish(BackupManifest manifest)
{
    manifest.members = d->members;
    const QByteArray json = QJsonDocument(manifest.toJson()).toJson(QJsonDocument::Indented);
    QByteArray bytes = json;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    if (Status written =
            d->writeEntry(QString::fromLatin1(BackupManifest::kFileName), buffer, json.size());
        !written)
        return written;
    const bool closed = archive_write_close(d->handle) == ARCHIVE_OK;
    const QString reason = closed ? QString() : libarchiveError(d->handle);
    archive_write_free(d->handle);
    d->handle = nullptr;
    if (!closed)
        return fail(
            Error::unavailable(QStringLiteral("cannot write %1: %2").arg(d->partial, reason)));
    // Make the archive durable before its final name appears.
    QFile partial(d->partial);
    if (!partial.open(QIODevice::ReadWrite) || !syncToDisk(partial))
        return fail(Error::unavailable(QStringLiteral("cannot sync %1").arg(d->partial)));
    partial.close();
    QFile::remove(d->path);
    if (!QFile::rename(d->partial, d->path))
        return fail(Error::unavailable(QStringLiteral("cannot write %1").arg(d->path)));
    d->finished = true;
    return {};
}

Result<BackupManifest> extractBackup(const QString &archivePath, const QString &directory)
{
    archive *handle = archive_read_new();
    archive_read_support_filter_gzip(handle);
    archive_read_support_format_tar(handle);
    const auto cleanup = qScopeGuard([handle] { archive_read_free(handle); });
    if (archive_read_open_filename(handle, QFile::encodeName(archivePath).constData(), kChunk)
        != ARCHIVE_OK) {
        return fail(invalid(
            QStringLiteral("cannot be read as a backup archive: %1").arg(libarchiveError(handle))));
    }
    const QDir target(directory);
    QHash<QString, QPair<qint64, QByteArray>> seen; // name -> size, sha256
    QByteArray manifestJson;
    archive_entry *entry = nullptr;
    for (;;) {
        const int next = archive_read_next_header(handle, &entry);
        if (next == ARCHIVE_EOF)
            break;
        if (next != ARCHIVE_OK) {
            return fail(invalid(
                QStringLiteral("is damaged or not a backup: %1").arg(libarchiveError(handle))));
        }
        QString name = QString::fromUtf8(archive_entry_pathname(entry));
        if (archive_entry_filetype(entry) == AE_IFDIR) {
            // Directory entries, which tar tools write (an admin may repack an archive), are
            // fine under files/; the directories are made as their files arrive.
            while (name.endsWith(QLatin1Char('/')))
                name.chop(1);
            if (name != QLatin1String("files")
                && !(name.startsWith(QLatin1String(BackupManifest::kFilesPrefix))
                    && isMemberName(name)))
                return fail(
                    invalid(QStringLiteral("holds \"%1\", which no backup holds").arg(name)));
            archive_read_data_skip(handle);
            continue;
        }
        if (archive_entry_filetype(entry) != AE_IFREG || !isMemberName(name)
            || seen.contains(name)) {
            return fail(invalid(QStringLiteral("holds \"%1\", which no backup holds").arg(name)));
        }
        const bool isManifest = name == QLatin1String(BackupManifest::kFileName);
        QFile out(target.filePath(name));
        if (!isManifest) {
            if (!QDir().mkpath(QFileInfo(out).path()) || !out.open(QIODevice::WriteOnly))
                return fail(Error::unavailable(
                    QStringLiteral("cannot write %1: %2").arg(out.fileName(), out.errorString())));
        }
        QCryptographicHash hash(QCryptographicHash::Sha256);
        qint64 size = 0;
        QByteArray buffer(int(kChunk), Qt::Uninitialized);
        for (;;) {
            const la_ssize_t n = archive_read_data(handle, buffer.data(), size_t(buffer.size()));
            if (n < 0) {
                return fail(invalid(
                    QStringLiteral("is damaged (%1): %2").arg(name, libarchiveError(handle))));
            }
            if (n == 0)
                break;
            size += n;
            if (isManifest) {
                if (manifestJson.size() + n > 64 * 1024 * 1024)
                    return fail(invalid(QStringLiteral("has a manifest that is too large")));
                manifestJson.append(buffer.constData(), int(n));
            } else {
                hash.addData(QByteArrayView(buffer.constData(), n));
                if (out.write(buffer.constData(), n) != n)
                    return fail(Error::unavailable(QStringLiteral("cannot write %1: %2")
                                                       .arg(out.fileName(), out.errorString())));
            }
        }
        if (!isManifest) {
            if (!syncToDisk(out))
                return fail(
                    Error::unavailable(QStringLiteral("cannot write %1").arg(out.fileName())));
            seen.insert(name, {size, hash.result().toHex()});
        }
    }
    if (manifestJson.isEmpty())
        return fail(invalid(QStringLiteral("is not an Outpost backup (no manifest)")));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(manifestJson, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail(invalid(QStringLiteral("has a manifest that is not JSON")));
    auto manifest = BackupManifest::fromJson(document.object());
    if (!manifest)
        return manifest;
    QSet<QString> listed;
    for (const BackupManifest::Member &member : manifest->members) {
        listed.insert(member.name);
        const auto found = seen.constFind(member.name);
        if (found == seen.constEnd())
            return fail(
                invalid(QStringLiteral("lacks %1, which its manifest lists").arg(member.name)));
        if (found->first != member.size || found->second != member.sha256Hex) {
            return fail(
                invalid(QStringLiteral("is damaged: %1 does not match its SHA-256 in the manifest")
                            .arg(member.name)));
        }
    }
    for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
        if (!listed.contains(it.key()))
            return fail(invalid(
                QStringLiteral("holds %1, which its manifest does not list").arg(it.key())));
    }
    if (!listed.contains(QLatin1String(BackupManifest::kDatabaseMember)))
        return fail(invalid(QStringLiteral("holds no database")));
    return manifest;
}

} // namespace Outpost::Server
