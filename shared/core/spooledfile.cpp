#include "spooledfile.h"

#include <QDir>
#include <QUuid>

#include <cerrno>

namespace Outpost {

namespace {

// The errno of what just failed; EIO when there is none to read.
int failedErrno(const QFile &file)
{
    if (file.error() == QFileDevice::ResourceError)
        return ENOSPC; // what QFile makes of ENOSPC and EDQUOT
    const int saved = errno;
    return saved != 0 ? saved : EIO;
}

} // namespace

SpooledFile::SpooledFile(const QString &directory)
    : m_path(QDir(directory).filePath(QUuid::createUuid().toString(QUuid::Id128)))
{
    m_file.setFileName(m_path);
    errno = 0;
    // Unbuffered: each piece of the body goes to the kernel as it comes, never copied again.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered)) {
        m_error = failedErrno(m_file);
        if (m_error == EEXIST) // a name we did not make: not ours to remove
            m_kept = true;
    }
}

SpooledFile::~SpooledFile()
{
    discard();
}

bool SpooledFile::append(QByteArrayView data)
{
    m_size += data.size();
    if (m_error != 0 || m_kept)
        return false;
    const char *at = data.data();
    qsizetype left = data.size();
    while (left > 0) {
        errno = 0;
        const qint64 written = m_file.write(at, left);
        if (written <= 0) {
            m_error = failedErrno(m_file);
            discard();
            return false;
        }
        at += written;
        left -= written;
    }
    return true;
}

void SpooledFile::keep(const QString &newPath)
{
    m_file.close();
    m_path = newPath;
    m_kept = true;
}

void SpooledFile::discard()
{
    if (m_kept)
        return;
    m_kept = true;
    m_file.close();
    QFile::remove(m_path);
}

} // namespace Outpost
