#include "tlscontext.h"

#include "httplog.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslCipher>
#include <QSslKey>
#include <QSslSocket>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace Outpost::Server {

namespace {

// TLS 1.2: ECDHE key exchange (forward secrecy) with AES-GCM or ChaCha20-Poly1305 only, as in
// Mozilla's "intermediate" profile. TLS 1.3's own suites are all AEAD and stay as OpenSSL has
// them.
constexpr const char *kTls12Ciphers[] = {
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
};

Error problem(const char *setting, const QString &text)
{
    return Error::unavailable(QLatin1String(setting) + QStringLiteral(": ") + text);
}

Result<QByteArray> readFile(const QString &path, const char *setting)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(
            problem(setting, QStringLiteral("cannot read %1 (%2)").arg(path, file.errorString())));
    return file.read(1024 * 1024);
}

// The key is the private half of the certificate's public key (OpenSSL's own check).
bool keyMatches(const QSslCertificate &certificate, const QSslKey &key)
{
    const QByteArray certDer = certificate.toDer();
    const QByteArray keyDer = key.toDer();
    const auto *certBytes = reinterpret_cast<const unsigned char *>(certDer.constData());
    const auto *keyBytes = reinterpret_cast<const unsigned char *>(keyDer.constData());
    X509 *x509 = d2i_X509(nullptr, &certBytes, long(certDer.size()));
    EVP_PKEY *pkey = d2i_AutoPrivateKey(nullptr, &keyBytes, long(keyDer.size()));
    const bool matches = x509 && pkey && X509_check_private_key(x509, pkey) == 1;
    EVP_PKEY_free(pkey);
    X509_free(x509);
    ERR_clear_error();
    return matches;
}

} // namespace

TlsContext::TlsContext(QString certFile, QString keyFile)
    : m_certFile(std::move(certFile))
    , m_keyFile(std::move(keyFile))
{ }

Result<std::shared_ptr<TlsContext>> TlsContext::load(
    const QString &certFile, const QString &keyFile)
{
    std::shared_ptr<TlsContext> context(new TlsContext(certFile, keyFile));
    auto configuration = context->read();
    if (!configuration)
        return fail(configuration.error());
    context->m_configuration = *configuration;
    return context;
}

Result<QSslConfiguration> TlsContext::read() const
{
    if (!QSslSocket::supportsSsl()) {
        return fail(problem("OUTPOST_TLS_CERT_FILE",
            QStringLiteral("TLS is not available: Qt has no TLS backend (OpenSSL 3) here")));
    }
    auto certPem = readFile(m_certFile, "OUTPOST_TLS_CERT_FILE");
    if (!certPem)
        return fail(certPem.error());
    auto keyPem = readFile(m_keyFile, "OUTPOST_TLS_KEY_FILE");
    if (!keyPem)
        return fail(keyPem.error());
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.constFirst().isNull()) {
        return fail(problem("OUTPOST_TLS_CERT_FILE",
            QStringLiteral("%1 holds no PEM certificate").arg(m_certFile)));
    }
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        key = QSslKey(*keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        return fail(problem("OUTPOST_TLS_KEY_FILE",
            QStringLiteral("%1 holds no unencrypted PEM RSA or EC private key").arg(m_keyFile)));
    }
    if (!keyMatches(chain.constFirst(), key)) {
        return fail(problem("OUTPOST_TLS_KEY_FILE",
            QStringLiteral("the key in %1 is not the key of the certificate in %2")
                .arg(m_keyFile, m_certFile)));
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    QList<QSslCipher> ciphers;
    for (const QSslCipher &cipher : QSslConfiguration::supportedCiphers()) {
        if (cipher.protocol() == QSsl::TlsV1_3)
            ciphers.append(cipher);
    }
    for (const char *name : kTls12Ciphers) {
        const QSslCipher cipher(QString::fromLatin1(name), QSsl::TlsV1_2);
        if (!cipher.isNull())
            ciphers.append(cipher);
    }
    configuration.setCiphers(ciphers);
    configuration.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    configuration.setSslOption(QSsl::SslOptionDisableSessionPersistence, true);
    return configuration;
}

Status TlsContext::reload()
{
    auto configuration = read();
    if (!configuration) {
        qCWarning(lcHttp).noquote() << "TLS reload failed, keeping the current certificate:"
                                    << configuration.error().detail;
        return fail(configuration.error());
    }
    const QMutexLocker lock(&m_mutex);
    m_configuration = *configuration;
    qCInfo(lcHttp).noquote() << "TLS certificate reloaded; it expires"
                             << m_configuration.localCertificate().expiryDate().toString(
                                    Qt::ISODate);
    return {};
}

QSslConfiguration TlsContext::configuration() const
{
    const QMutexLocker lock(&m_mutex);
    return m_configuration;
}

QDateTime TlsContext::expiry() const
{
    const QMutexLocker lock(&m_mutex);
    return m_configuration.localCertificate().expiryDate();
}

} // namespace Outpost::Server
