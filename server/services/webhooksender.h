#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <atomic>

namespace Outpost::Server {

struct WebhookResponse
{
    int status = 0;  // 0: no HTTP answer
    QByteArray body; // the first KiB of it
    qint64 latencyMs = -1;
    QString error;        // empty when an answer came (whatever its status)
    bool refused = false; // the address was not allowed (AddressPolicy)
    bool ok() const { return status >= 200 && status < 300; }
};

// One POST at a time over libcurl, for the thread that owns this object (an easy handle
// belongs to one thread; it keeps connections alive between requests).
//
// libcurl rather than QNetworkAccessManager, because the address check must see the address
// actually connected to: curl's open-socket callback is handed each resolved address just
// before the connect, after any DNS answer, so a name that resolves (or rebinds) to a private
// address is refused while TLS still verifies and sends SNI for the URL's name. QNAM offers no
// such hook, and connecting it to a pre-resolved IP would lose the name for certificate checks.
// Redirects are never followed, proxies from the environment are ignored (they would hide
// the address), and only https is allowed unless `allowPrivate`.
class WebhookSender
{
public:
    struct Settings
    {
        bool allowPrivate = false; // plain http and any address (OUTPOST_WEBHOOK_ALLOW_PRIVATE)
        int timeoutMs = 10'000;    // the whole exchange, connect included
        QByteArray userAgent;
    };

    explicit WebhookSender(Settings settings);
    ~WebhookSender();
    WebhookSender(const WebhookSender &) = delete;
    WebhookSender &operator=(const WebhookSender &) = delete;

    // Blocks for at most the timeout; `cancel` (when set) aborts it early (shutdown).
    WebhookResponse post(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
        const QByteArray &body, const std::atomic<bool> *cancel = nullptr);

private:
    Settings m_settings;
    void *m_curl = nullptr;
};

} // namespace Outpost::Server
