#include "webhookreceiver.h"

#include "childprocess.h"
#include "testserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QUrl>

namespace Outpost::Test {

WebhookReceiver::~WebhookReceiver()
{
    m_process.kill();
    m_process.waitForFinished(5'000);
}

bool WebhookReceiver::start(QString &why)
{
    const QString python = QStringLiteral("/usr/bin/python3");
    if (!QFile::exists(python)) {
        why = QStringLiteral("/usr/bin/python3 is missing (Debian package python3-minimal)");
        return false;
    }
    killWithTestProcess(m_process);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(python,
        {qEnvironmentVariable("OUTPOST_SOURCE_DIR")
            + QStringLiteral("/tests/support/webhookreceiver.py")});
    if (!m_process.waitForStarted(10'000) || !m_process.waitForReadyRead(10'000)) {
        why = QStringLiteral("the webhook receiver did not start");
        return false;
    }
    m_port = quint16(m_process.readLine().trimmed().toUInt());
    if (m_port == 0)
        why = QStringLiteral("the webhook receiver did not say its port");
    return m_port != 0;
}

QString WebhookReceiver::url(const QString &path, const QString &host) const
{
    return QStringLiteral("http://%1:%2%3").arg(host).arg(m_port).arg(path);
}

void WebhookReceiver::addSecret(const QString &secret) const
{
    control("/_secrets", secret.toUtf8());
}

void WebhookReceiver::release() const
{
    control("/_release");
}

void WebhookReceiver::open() const
{
    control("/_open");
}

QJsonArray WebhookReceiver::log() const
{
    const HttpResult result = httpRequest("GET", QUrl(url(QStringLiteral("/_log"))));
    return QJsonDocument::fromJson(result.body).array();
}

QList<QJsonObject> WebhookReceiver::received(const QString &path, const QString &id) const
{
    QList<QJsonObject> found;
    for (const QJsonValue &value : log()) {
        const QJsonObject entry = value.toObject();
        if (entry.value(QStringLiteral("path")).toString() == path
            && (id.isEmpty() || entry.value(QStringLiteral("id")).toString() == id))
            found.append(entry);
    }
    return found;
}

QList<QJsonObject> WebhookReceiver::verified(const QString &path) const
{
    QList<QJsonObject> found;
    for (const QJsonObject &entry : received(path)) {
        if (!entry.value(QStringLiteral("verified_with")).toArray().isEmpty())
            found.append(entry);
    }
    return found;
}

void WebhookReceiver::control(const char *path, const QByteArray &body) const
{
    httpRequest("POST", QUrl(url(QString::fromLatin1(path))), body);
}

} // namespace Outpost::Test
