#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>

namespace Outpost::Test {

// A real webhook receiver for the subscriptions tests: tests/support/webhookreceiver.py (Python
// standard library, run by /usr/bin/python3) on 127.0.0.1 and a free port. It checks every
// delivery's Standard Webhooks signature with its own HMAC against the secrets it was given,
// logs every request, and has paths that answer 200, 500, hang, redirect, or (`/gate`) 503
// until opened. Stopped by the destructor and killed with the test process (childprocess.h).
class WebhookReceiver
{
public:
    WebhookReceiver() = default;
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver &) = delete;
    WebhookReceiver &operator=(const WebhookReceiver &) = delete;

    // False, with the reason in `why`, when it cannot start.
    bool start(QString &why);

    QString url(const QString &path, const QString &host = QStringLiteral("127.0.0.1")) const;
    quint16 port() const { return m_port; }

    void addSecret(const QString &secret) const; // verify signatures with it too
    void release() const;                        // let the hanging requests go
    void open() const;                           // `/gate` answers 200 from now on

    // Every request it received, in order.
    QJsonArray log() const;
    // The requests to `path` with this webhook-id, or all to `path` when `id` is empty.
    QList<QJsonObject> received(const QString &path, const QString &id = {}) const;
    // The requests to `path` whose signature verified with a secret it was given.
    QList<QJsonObject> verified(const QString &path) const;

private:
    void control(const char *path, const QByteArray &body = {}) const;

    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace Outpost::Test
