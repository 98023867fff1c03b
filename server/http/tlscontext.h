#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QMutex>
#include <QSslConfiguration>
#include <QString>

#include <memory>

namespace Outpost::Server {

// The listener's TLS settings: the certificate chain and key from two PEM files, TLS 1.2 and
// 1.3 only, forward-secret AEAD cipher suites only, ALPN "http/1.1". Shared by every HTTP
// thread. reload() (SIGHUP) reads the files again: connections accepted afterwards get the new
// certificate, open ones keep theirs, and a file that does not load leaves the old pair in
// place. Taken once per accepted connection, never per request.
class TlsContext
{
public:
    // Loads the pair; an Error naming the file when it does not.
    static Result<std::shared_ptr<TlsContext>> load(
        const QString &certFile, const QString &keyFile);

    Status reload();
    QSslConfiguration configuration() const;
    // The leaf certificate's notAfter (for outpost_tls_certificate_expiry_timestamp_seconds).
    QDateTime expiry() const;

private:
    TlsContext(QString certFile, QString keyFile);
    Result<QSslConfiguration> read() const;

    QString m_certFile;
    QString m_keyFile;
    mutable QMutex m_mutex;
    QSslConfiguration m_configuration;
};

} // namespace Outpost::Server
