#include "credentialstore.h"

#include <qt6keychain/keychain.h>

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcKeychain, "outpost.app.keychain", QtInfoMsg)

namespace Outpost::App {

namespace {

bool meansNoKeychain(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::AccessDenied
        || error == QKeychain::OtherError || error == QKeychain::NotImplemented
        || error == QKeychain::AccessDeniedByUser;
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{ }

void CredentialStore::markUnavailable(const QString &reason)
{
    if (!m_available)
        return;
    m_available = false;
    qCInfo(lcKeychain).noquote() << "no keychain:" << reason;
    Q_EMIT keychainUnavailable(reason);
}

void CredentialStore::write(const QString &key, const QString &secret)
{
    if (!m_available) {
        m_memory.insert(key, secret);
        Q_EMIT written(key, false);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, key, secret](QKeychain::Job *finished) {
        if (finished->error() == QKeychain::NoError) {
            Q_EMIT written(key, true);
            return;
        }
        if (meansNoKeychain(finished->error()))
            markUnavailable(finished->errorString());
        m_memory.insert(key, secret);
        Q_EMIT written(key, false);
    });
    job->start();
}

void CredentialStore::read(const QString &key, const std::function<void(const QString &)> &done)
{
    if (!m_available) {
        done(m_memory.value(key));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, done](QKeychain::Job *finished) {
        auto *reader = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (reader->error() == QKeychain::NoError) {
            done(reader->textData());
            return;
        }
        if (meansNoKeychain(reader->error()))
            markUnavailable(reader->errorString());
        done(m_memory.value(key));
    });
    job->start();
}

void CredentialStore::remove(const QString &key)
{
    m_memory.remove(key);
    if (!m_available)
        return;
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(key);
    job->start();
}

} // namespace Outpost::App
