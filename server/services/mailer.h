#pragma once

#include "mailmessage.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace Outpost::Server {

struct MailSettings
{
    QUrl url;         // smtp://host[:port][?starttls=off] or smtps://host[:port]; empty: off
    QString username; // empty: no AUTH
    QByteArray password;
    QString from;   // "Name <local@domain>" or "local@domain"
    QString caFile; // PEM bundle to verify the server with; empty: the system's
    std::chrono::seconds digestWindow {300};
    int maxAttempts = 4; // a failed send is tried again after retryDelay, 2x, 4x ...
    std::chrono::milliseconds retryDelay {30'000};
    std::chrono::seconds timeout {30}; // per attempt (connect: 10 s at most)
    int queueCapacity = 1000;          // messages waiting; beyond it new ones are dropped
    int maxEventsPerDigest = 50;       // more are counted, not listed
    QString publicUrl;                 // named in the footer when set
};

// Outgoing e-mail through libcurl's SMTP, on a thread of its own: notify() and send() only
// queue (a bounded, in-memory queue), so a request never waits for a mail server. A failed
// attempt is logged and tried again a few times with a growing delay; what still fails is
// dropped, logged and counted in /metrics. Messages wait in memory only: a restart loses them.
class Mailer
{
public:
    explicit Mailer(MailSettings settings);
    ~Mailer(); // stops the thread; waiting mail is dropped (and logged)
    Mailer(const Mailer &) = delete;
    Mailer &operator=(const Mailer &) = delete;

    // False without OUTPOST_SMTP_URL: notify() and send() then do nothing.
    bool enabled() const { return m_enabled; }

    // An event for a recipient. Events for one recipient within the digest window are folded
    // into one message, sent when the window that the first of them opened ends.
    void notify(const QString &recipient, const QString &eventType, const QJsonObject &data);
    // One message now (password recovery): queued, not folded. `html` is sent as given: escape
    // user data in it (MailMessage::htmlEscaped()).
    void send(
        const QString &recipient, const QString &subject, const QString &text, const QString &html);

    // outpost_mail_* series for /metrics.
    void appendMetrics(QByteArray &out) const;

    struct Counters
    {
        quint64 sent = 0;
        quint64 failed = 0;         // given up after maxAttempts
        quint64 dropped = 0;        // queue full or an unusable recipient
        quint64 attemptsFailed = 0; // every failed attempt, retried or not
    };
    Counters counters() const;

private:
    struct Outgoing
    {
        MailMessage message;
        int attempts = 0;
        std::chrono::steady_clock::time_point notBefore;
    };
    struct DigestEvent
    {
        QString type;
        QJsonObject data;
        QDateTime at;
    };
    struct Digest
    {
        std::chrono::steady_clock::time_point due;
        QList<DigestEvent> events;
        int more = 0; // events beyond maxEventsPerDigest
    };

    void run();
    bool enqueueLocked(MailMessage message);
    MailMessage digestMessage(const QString &recipient, const Digest &digest) const;
    // Empty on success, else what went wrong.
    QString deliver(const MailMessage &message) const;
    void dropped(const QString &recipient, const char *why);

    const MailSettings m_settings;
    const bool m_enabled;
    bool m_requireTls = true;
    QByteArray m_curlUrl;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Outgoing> m_queue;
    QMap<QString, Digest> m_digests; // by recipient
    bool m_stopping = false;
    std::thread m_thread;

    std::atomic<quint64> m_sent {0};
    std::atomic<quint64> m_failed {0};
    std::atomic<quint64> m_dropped {0};
    std::atomic<quint64> m_attemptsFailed {0};
};

} // namespace Outpost::Server
