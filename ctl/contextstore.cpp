#include "contextstore.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

#ifdef OUTPOSTCTL_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace Outpost::Ctl {

namespace {

const QString kService = QStringLiteral("outpostctl");

QJsonObject readObject(const QString &path, bool *exists, QString *error)
{
    QFile file(path);
    *exists = file.exists();
    if (!*exists)
        return {};
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    QJsonParseError parseError {};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("%1 is not a JSON object").arg(path);
        return {};
    }
    return document.object();
}

bool writeObject(const QString &path, const QJsonObject &object, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    // Owner only from the start: the file is created with these permissions, not chmod'ed.
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(QJsonDocument(object).toJson()) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

#ifdef OUTPOSTCTL_KEYCHAIN
// Runs a keychain job to its end; its error string, empty on success.
QString runJob(QKeychain::Job *job)
{
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job->setAutoDelete(false);
    job->start();
    loop.exec();
    return job->error() == QKeychain::NoError ? QString() : job->errorString();
}
#endif

} // namespace

ContextStore::ContextStore()
    : m_dir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/outpostctl"))
{ }

QString ContextStore::configPath() const
{
    return m_dir + QStringLiteral("/config.json");
}

QString ContextStore::credentialsPath() const
{
    return m_dir + QStringLiteral("/credentials.json");
}

bool ContextStore::load(QString *error)
{
    bool exists = false;
    const QJsonObject root = readObject(configPath(), &exists, error);
    if (!error->isEmpty())
        return false;
    m_current = root.value(QStringLiteral("current")).toString();
    const QJsonObject contexts = root.value(QStringLiteral("contexts")).toObject();
    for (auto it = contexts.begin(); it != contexts.end(); ++it) {
        const QJsonObject value = it.value().toObject();
        m_contexts.insert(it.key(),
            {it.key(), QUrl(value.value(QStringLiteral("server")).toString()),
                value.value(QStringLiteral("email")).toString(),
                value.value(QStringLiteral("token_store")).toString()});
    }
    return true;
}

bool ContextStore::save(QString *error) const
{
    QJsonObject contexts;
    for (const Context &context : m_contexts) {
        contexts.insert(context.name,
            QJsonObject {{QStringLiteral("server"), context.server.toString()},
                {QStringLiteral("email"), context.email},
                {QStringLiteral("token_store"), context.tokenStore}});
    }
    return writeObject(configPath(),
        {{QStringLiteral("current"), m_current}, {QStringLiteral("contexts"), contexts}}, error);
}

void ContextStore::remove(const QString &name)
{
    m_contexts.remove(name);
    if (m_current == name)
        m_current.clear();
}

QString ContextStore::readToken(const Context &context, QString *error) const
{
    if (context.tokenStore == QLatin1String("file")) {
        bool exists = false;
        const QJsonObject tokens = readObject(credentialsPath(), &exists, error);
        QString token = tokens.value(context.name).toString();
        if (token.isEmpty() && error->isEmpty()) {
            *error =
                QStringLiteral("no stored token for context %1: log in again").arg(context.name);
        }
        return token;
    }
#ifdef OUTPOSTCTL_KEYCHAIN
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(context.name);
    const QString failure = runJob(&job);
    if (!failure.isEmpty()) {
        *error = QStringLiteral("cannot read the token of context %1 from the keychain: %2")
                     .arg(context.name, failure);
        return {};
    }
    return job.textData();
#else
    *error = QStringLiteral("this outpostctl was built without keychain support");
    return {};
#endif
}

bool ContextStore::writeToken(const Context &context, const QString &token, QString *error) const
{
    if (context.tokenStore == QLatin1String("file")) {
        bool exists = false;
        QJsonObject tokens = readObject(credentialsPath(), &exists, error);
        if (!error->isEmpty())
            return false;
        tokens.insert(context.name, token);
        return writeObject(credentialsPath(), tokens, error);
    }
#ifdef OUTPOSTCTL_KEYCHAIN
    QKeychain::WritePasswordJob job(kService);
    job.setKey(context.name);
    job.setTextData(token);
    const QString failure = runJob(&job);
    if (!failure.isEmpty()) {
        *error = QStringLiteral("no keychain: %1").arg(failure);
        return false;
    }
    return true;
#else
    *error = QStringLiteral("no keychain: this outpostctl was built without keychain support");
    return false;
#endif
}

void ContextStore::removeToken(const Context &context) const
{
    if (context.tokenStore == QLatin1String("file")) {
        bool exists = false;
        QString error;
        QJsonObject tokens = readObject(credentialsPath(), &exists, &error);
        if (exists && error.isEmpty() && tokens.contains(context.name)) {
            tokens.remove(context.name);
            writeObject(credentialsPath(), tokens, &error);
        }
        return;
    }
#ifdef OUTPOSTCTL_KEYCHAIN
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(context.name);
    runJob(&job);
#endif
}

} // namespace Outpost::Ctl
