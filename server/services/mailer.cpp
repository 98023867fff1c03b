#include "mailer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUrlQuery>

#include <curl/curl.h>

#include <algorithm>
#include <array>

Q_LOGGING_CATEGORY(lcMail, "outpost.mail", QtInfoMsg)

namespace Outpost::Server {

namespace {

using Clock = std::chrono::steady_clock;

void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What libcurl reads as the DATA of the mail.
struct Upload
{
    const QByteArray *data = nullptr;
    qsizetype offset = 0;
};

size_t readUpload(char *buffer, size_t size, size_t count, void *user)
{
    auto *upload = static_cast<Upload *>(user);
    const auto room = static_cast<qsizetype>(size) * static_cast<qsizetype>(count);
    const qsizetype left = upload->data->size() - upload->offset;
    const qsizetype n = std::min(room, left);
    if (n > 0) {
        std::copy_n(upload->data->constData() + upload->offset, n, buffer);
        upload->offset += n;
    }
    return size_t(n);
}

// A JSON value as one line of text for the mail body.
QString valueText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("-");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

// What names an event in a subject: a title or a name if the event has one.
QString eventLabel(const QString &type, const QJsonObject &data)
{
    for (const char *key : {"title", "name", "filename", "email"}) {
        const QString value = data.value(QLatin1String(key)).toString();
        if (!value.isEmpty())
            return type + QStringLiteral(": ") + value.left(120);
    }
    return type;
}

} // namespace

Mailer::Mailer(MailSettings settings)
    : m_settings(std::move(settings))
    , m_enabled(!m_settings.url.isEmpty())
{
    if (!m_enabled)
        return;
    initCurlOnce();
    const QUrl &url = m_settings.url;
    // Plain SMTP only when asked for by name; smtps:// is TLS from the first byte.
    m_requireTls = !(url.scheme() == u"smtp"
        && QUrlQuery(url).queryItemValue(QStringLiteral("starttls")) == u"off");
    QUrl target;
    target.setScheme(url.scheme());
    target.setHost(url.host());
    target.setPort(url.port(url.scheme() == u"smtps" ? 465 : 587));
    m_curlUrl = target.toEncoded();
    m_thread = std::thread([this] { run(); });
}

Mailer::~Mailer()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    if (!m_queue.empty() || !m_digests.isEmpty()) {
        qCWarning(lcMail).noquote()
            << QStringLiteral("stopping with %1 message(s) and %2 digest(s) unsent")
                   .arg(m_queue.size())
                   .arg(m_digests.size());
    }
}

void Mailer::dropped(const QString &recipient, const char *why)
{
    m_dropped.fetch_add(1, std::memory_order_relaxed);
    qCWarning(lcMail).noquote() << QStringLiteral("mail to %1 dropped: %2")
                                       .arg(recipient.left(254).simplified(), QLatin1String(why));
}

void Mailer::notify(const QString &recipient, const QString &eventType, const QJsonObject &data)
{
    if (!m_enabled)
        return;
    if (!MailMessage::isValidAddress(recipient))
        return dropped(recipient, "not a usable e-mail address");
    {
        std::lock_guard lock(m_mutex);
        auto digest = m_digests.find(recipient);
        if (digest == m_digests.end()) {
            if (qsizetype(m_queue.size()) + m_digests.size() >= m_settings.queueCapacity) {
                m_dropped.fetch_add(1, std::memory_order_relaxed);
                qCWarning(lcMail) << "mail queue full: notification dropped";
                return;
            }
            digest =
                m_digests.insert(recipient, Digest {Clock::now() + m_settings.digestWindow, {}, 0});
        }
        if (digest->events.size() < m_settings.maxEventsPerDigest) {
            digest->events.append({eventType, data, QDateTime::currentDateTimeUtc()});
        } else {
            ++digest->more;
        }
    }
    m_wake.notify_one();
}

void Mailer::send(
    const QString &recipient, const QString &subject, const QString &text, const QString &html)
{
    if (!m_enabled)
        return;
    if (!MailMessage::isValidAddress(recipient))
        return dropped(recipient, "not a usable e-mail address");
    MailMessage message;
    message.from = m_settings.from;
    message.to = recipient;
    message.subject = subject;
    message.text = text;
    message.html = html;
    bool queued = false;
    {
        std::lock_guard lock(m_mutex);
        queued = enqueueLocked(std::move(message));
    }
    if (queued)
        m_wake.notify_one();
}

bool Mailer::enqueueLocked(MailMessage message)
{
    if (qsizetype(m_queue.size()) + m_digests.size() >= m_settings.queueCapacity) {
        m_dropped.fetch_add(1, std::memory_order_relaxed);
        qCWarning(lcMail) << "mail queue full: message dropped";
        return false;
    }
    message.messageId = MailMessage::newMessageId(message.from);
    m_queue.push_back({std::move(message), 0, Clock::now()});
    return true;
}

MailMessage Mailer::digestMessage(const QString &recipient, const Digest &digest) const
{
    const int total = int(digest.events.size()) + digest.more;
    MailMessage message;
    message.from = m_settings.from;
    message.to = recipient;
    message.subject = total == 1 ? QStringLiteral("[Outpost] ")
            + eventLabel(digest.events.first().type, digest.events.first().data)
                                 : QStringLiteral("[Outpost] %1 new events").arg(total);
    QString text =
        total == 1 ? QString() : QStringLiteral("%1 events happened on Outpost:\n\n").arg(total);
    QString html = QStringLiteral("<!DOCTYPE html><html><body>");
    if (total > 1)
        html += QStringLiteral("<p>%1 events happened on Outpost:</p>").arg(total);
    for (const DigestEvent &event : digest.events) {
        const QString when = event.at.toString(Qt::ISODate);
        text += QStringLiteral("%1 (%2)\n").arg(event.type, when);
        html += QStringLiteral("<h3>%1 <small>(%2)</small></h3><ul>")
                    .arg(MailMessage::htmlEscaped(event.type), when);
        QStringList keys = event.data.keys();
        keys.sort();
        for (const QString &key : std::as_const(keys)) {
            const QString value = valueText(event.data.value(key));
            text += QStringLiteral("  %1: %2\n").arg(key, value);
            html += QStringLiteral("<li><b>%1</b>: %2</li>")
                        .arg(MailMessage::htmlEscaped(key), MailMessage::htmlEscaped(value));
        }
        text += QLatin1Char('\n');
        html += QStringLiteral("</ul>");
    }
    if (digest.more > 0) {
        text += QStringLiteral("... and %1 more.\n").arg(digest.more);
        html += QStringLiteral("<p>... and %1 more.</p>").arg(digest.more);
    }
    if (!m_settings.publicUrl.isEmpty()) {
        text += QStringLiteral("\n-- \nOutpost at %1\n").arg(m_settings.publicUrl);
        html += QStringLiteral("<p>Outpost at %1</p>")
                    .arg(MailMessage::htmlEscaped(m_settings.publicUrl));
    }
    html += QStringLiteral("</body></html>");
    message.text = text;
    message.html = html;
    return message;
}

void Mailer::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        const auto now = Clock::now();
        // Digests whose window has ended become messages.
        for (auto it = m_digests.begin(); it != m_digests.end();) {
            if (it->due <= now) {
                MailMessage message = digestMessage(it.key(), *it);
                it = m_digests.erase(it);
                message.messageId = MailMessage::newMessageId(message.from);
                m_queue.push_back({std::move(message), 0, now});
            } else {
                ++it;
            }
        }
        // The first message that may go now (FIFO among those not waiting for a retry).
        auto ready = std::find_if(m_queue.begin(), m_queue.end(),
            [now](const Outgoing &outgoing) { return outgoing.notBefore <= now; });
        if (ready == m_queue.end()) {
            auto wakeAt = Clock::time_point::max();
            for (const Digest &digest : std::as_const(m_digests))
                wakeAt = std::min(wakeAt, digest.due);
            for (const Outgoing &outgoing : m_queue)
                wakeAt = std::min(wakeAt, outgoing.notBefore);
            if (wakeAt == Clock::time_point::max()) {
                m_wake.wait(lock);
            } else {
                m_wake.wait_until(lock, wakeAt);
            }
            continue;
        }
        Outgoing outgoing = std::move(*ready);
        m_queue.erase(ready);
        lock.unlock();

        outgoing.message.date = QDateTime::currentDateTimeUtc();
        ++outgoing.attempts;
        const QString error = deliver(outgoing.message);
        const QString to = outgoing.message.to;
        if (error.isEmpty()) {
            m_sent.fetch_add(1, std::memory_order_relaxed);
            qCInfo(lcMail).noquote()
                << QStringLiteral("mail %1 sent to %2")
                       .arg(QString::fromLatin1(outgoing.message.messageId), to);
            lock.lock();
            continue;
        }
        m_attemptsFailed.fetch_add(1, std::memory_order_relaxed);
        lock.lock();
        if (outgoing.attempts >= m_settings.maxAttempts || m_stopping) {
            m_failed.fetch_add(1, std::memory_order_relaxed);
            qCWarning(lcMail).noquote()
                << QStringLiteral("mail %1 to %2 failed after %3 attempt(s), given up: %4")
                       .arg(QString::fromLatin1(outgoing.message.messageId), to)
                       .arg(outgoing.attempts)
                       .arg(error);
            continue;
        }
        const auto delay = m_settings.retryDelay * (1 << (outgoing.attempts - 1));
        qCWarning(lcMail).noquote()
            << QStringLiteral("mail %1 to %2 failed (attempt %3 of %4), trying again in %5 ms: %6")
                   .arg(QString::fromLatin1(outgoing.message.messageId), to)
                   .arg(outgoing.attempts)
                   .arg(m_settings.maxAttempts)
                   .arg(delay.count())
                   .arg(error);
        outgoing.notBefore = Clock::now() + delay;
        m_queue.push_back(std::move(outgoing));
    }
}

QString Mailer::deliver(const MailMessage &message) const
{
    CURL *curl = curl_easy_init();
    if (!curl)
        return QStringLiteral("libcurl could not start a transfer");
    const QByteArray data = message.render();
    Upload upload {&data};
    const QByteArray from = '<' + MailMessage::addressOf(message.from).toLatin1() + '>';
    const QByteArray to = '<' + message.to.toLatin1() + '>';
    curl_slist *recipients = curl_slist_append(nullptr, to.constData());
    const QByteArray username = m_settings.username.toUtf8();
    const QByteArray caFile = m_settings.caFile.toLocal8Bit();
    std::array<char, CURL_ERROR_SIZE> errorText {};

    curl_easy_setopt(curl, CURLOPT_URL, m_curlUrl.constData());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, long(m_requireTls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    if (!username.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, username.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, m_settings.password.constData());
    }
    if (!caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, caFile.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readUpload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(data.size()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, long(m_settings.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorText.data());

    const CURLcode code = curl_easy_perform(curl);
    long response = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code == CURLE_OK)
        return {};
    QString error =
        QString::fromUtf8(errorText[0] != 0 ? errorText.data() : curl_easy_strerror(code));
    if (response != 0)
        error += QStringLiteral(" (server answered %1)").arg(response);
    return error;
}

Mailer::Counters Mailer::counters() const
{
    return {m_sent.load(std::memory_order_relaxed), m_failed.load(std::memory_order_relaxed),
        m_dropped.load(std::memory_order_relaxed),
        m_attemptsFailed.load(std::memory_order_relaxed)};
}

void Mailer::appendMetrics(QByteArray &out) const
{
    const Counters c = counters();
    qsizetype depth = 0;
    {
        std::lock_guard lock(m_mutex);
        depth = qsizetype(m_queue.size()) + m_digests.size();
    }
    out.append("# HELP outpost_mail_messages_total E-mail messages by result: sent, failed (given "
               "up after retries), dropped (queue full or unusable recipient).\n"
               "# TYPE outpost_mail_messages_total counter\n");
    out.append("outpost_mail_messages_total{result=\"sent\"} ")
        .append(QByteArray::number(c.sent))
        .append('\n');
    out.append("outpost_mail_messages_total{result=\"failed\"} ")
        .append(QByteArray::number(c.failed))
        .append('\n');
    out.append("outpost_mail_messages_total{result=\"dropped\"} ")
        .append(QByteArray::number(c.dropped))
        .append('\n');
    out.append(
        "# HELP outpost_mail_send_failures_total Failed SMTP attempts, retried or not.\n"
        "# TYPE outpost_mail_send_failures_total counter\noutpost_mail_send_failures_total ");
    out.append(QByteArray::number(c.attemptsFailed)).append('\n');
    out.append("# HELP outpost_mail_queue_depth Messages and open digests waiting to be sent.\n"
               "# TYPE outpost_mail_queue_depth gauge\noutpost_mail_queue_depth ");
    out.append(QByteArray::number(depth)).append('\n');
}

} // namespace Outpost::Server
